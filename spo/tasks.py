"""Celery entry points of the protection orders area: a call to the job, nothing else."""

from celery import shared_task

from .reminders import send_spo_reminders


@shared_task
def send_spo_reminders_task() -> int:
    return send_spo_reminders()
