"""The beat job's entry point: a call to the service, nothing else."""

from celery import shared_task

from . import services


@shared_task
def send_reminders() -> int:
    return services.send_reminders()


@shared_task
def email_reminders() -> int:
    """Email what is waiting now, after an act that made a reminder (``reminders_send_now``)."""
    return services.reminders_email_waiting()
