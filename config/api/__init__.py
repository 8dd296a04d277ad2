"""Cross-cutting API pieces: authentication, errors, pagination, throttling, retries, ETags."""
