"""Forms of the training pages, one module per part of the area."""
