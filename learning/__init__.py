"""Learning across cases: the obstacle register ("hinder") and its escalation by the committee."""
