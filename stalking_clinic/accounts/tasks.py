from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions():
    """Delete expired sessions: a stale session row is a stale key to victims' data."""
    call_command("clearsessions")
