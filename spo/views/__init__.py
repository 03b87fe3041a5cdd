"""The protection orders area's pages, one module per part; each module exports ``urlpatterns``."""
