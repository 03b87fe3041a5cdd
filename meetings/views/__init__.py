"""The meetings area's pages, one module per part (``meetings``, ``actions``, ``documents``), each
exporting ``urlpatterns``; ``saving`` is how their forms and buttons post through a service."""
