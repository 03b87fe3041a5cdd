"""Celery entry points of the meetings area: a call to the job, nothing else."""

from celery import shared_task

from .reminders import send_action_reminders


@shared_task
def send_action_reminders_task() -> int:
    return send_action_reminders()
