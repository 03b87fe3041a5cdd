"""Models of the protection orders area."""
