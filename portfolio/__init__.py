"""The committee's overview: figures, flags, the map of Sweden, the collaboration picture."""
