"""The beat job's entry point: a call to the service, nothing else."""

from celery import shared_task

from . import services


@shared_task
def send_reminders() -> int:
    return services.send_reminders()
