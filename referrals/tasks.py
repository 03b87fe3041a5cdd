"""Celery entry points of the referrals area: ids in, a service call, nothing else."""

from celery import shared_task

from .logs import jobs
from .logs.scan import scan_police_logs
from .models import LogImport
from .services.retention import records_due_mark


@shared_task(acks_late=True)
def import_police_log_task(log_import_id: int) -> None:
    # Claim the queued import: a redelivered message finds it no longer queued and stops.
    claimed = LogImport.objects.filter(pk=log_import_id, status=LogImport.Status.QUEUED).update(
        status=LogImport.Status.RUNNING
    )
    if claimed:
        jobs.import_and_scan(LogImport.objects.get(pk=log_import_id))


@shared_task
def import_police_log_inbox() -> int:
    return len(jobs.import_inbox())


@shared_task
def scan_police_logs_task() -> None:
    jobs.alert_case_owners(scan_police_logs().grown_ids)


@shared_task
def records_due_for_review_task() -> int:
    return records_due_mark()
