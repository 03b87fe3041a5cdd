"""Models of the meetings area."""
