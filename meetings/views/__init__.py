"""The meetings area's pages, one module per part; each module exports ``urlpatterns``."""
