"""Lessons learned: what worked and what did not on a case, asked of its coordinator when the
case is evaluated or closed, and a library that finds them across cases."""
