"""Open data about public cases: CSV, JSON, the DCAT-AP-SE catalogue and an Atom feed."""
