"""PDF reports: the case report (lägesrapport) and the committee's portfolio report."""
