"""Celery: the app loads Django's settings, and beat's schedule names tasks the worker knows."""

from django.conf import settings

from stalking_clinic.celery import app


def test_beat_schedules_only_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled
    assert scheduled <= set(app.tasks)


def test_broker_is_redis_and_tasks_have_time_limits():
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
