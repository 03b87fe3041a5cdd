"""Celery entry points of the training area: a call to the job, nothing else."""

from celery import shared_task

from .reminders import send_session_reminders


@shared_task
def send_session_reminders_task() -> int:
    return send_session_reminders()
