"""The Celery application: the worker runs tasks, beat schedules the periodic ones.

The schedule itself is ``CELERY_BEAT_SCHEDULE`` in settings, so it is read from one place.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stalking_clinic.settings")

app = Celery("stalking_clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
