"""The training area's pages, one module per part; each module exports ``urlpatterns``."""
