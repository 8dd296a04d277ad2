"""The committee's numbered decisions ("2026:14"), on a case, at a meeting or by delegation."""
