"""WSGI entry point (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stalking_clinic.settings")

application = get_wsgi_application()

# Importing WeasyPrint costs about a second: pay it once when the server starts, not on the
# first PDF someone asks for.
from stalking_clinic import pdf  # noqa: E402

pdf.warm_up()
