"""Models of the training area."""
