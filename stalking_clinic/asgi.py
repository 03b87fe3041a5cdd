"""ASGI entry point, for servers that prefer it; the project is served by gunicorn (WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stalking_clinic.settings")

application = get_asgi_application()
