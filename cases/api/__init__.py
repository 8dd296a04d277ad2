"""REST API for cases, participations, actions and outcomes: shapes here, rules in services."""
