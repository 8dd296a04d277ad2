"""REST API for organisations, the signed-in user and their personal API tokens."""
