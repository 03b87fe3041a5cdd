"""The meetings area's pages, one module per part (``meetings``, ``actions``, ``documents``), each
exporting ``urlpatterns``."""
