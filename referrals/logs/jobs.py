"""Importing an export and scanning what it brought: the one sequence used by the upload page (in
a Celery worker), the command line and the inbox folder."""

from __future__ import annotations

import logging
import os
import stat
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Finding, LogImport
from .importer import import_police_log
from .scan import scan_police_logs

logger = logging.getLogger(__name__)


# Files the clinic holds a copy of (an upload, an inbox file) and deletes once imported; a file
# named on the command line is the caller's own and is left where it is.
_COPIES = frozenset({LogImport.Source.UPLOAD, LogImport.Source.INBOX})


def forget_file(log_import: LogImport) -> None:
    """Delete the clinic's copy of an export once its import ended (imported, refused or
    failed): what was kept of it is in the database, and what the coordinator is shown of it is
    the import's summary and rejected rows. The export itself stays in the force's records
    system; a copy here would be personal data held for no purpose (Data Protection Act 2018
    s.39, "kept for no longer than is necessary")."""
    if log_import.source not in _COPIES or not log_import.stored_path:
        return
    Path(log_import.stored_path).unlink(missing_ok=True)
    LogImport.objects.filter(pk=log_import.pk).update(stored_path="")
    log_import.stored_path = ""


def import_and_scan(
    log_import: LogImport, *, progress: Callable[[LogImport], None] | None = None
) -> LogImport:
    """Import the stored file, then scan only the suspect-victim pairs it added or changed. The
    clinic's copy of the file is deleted whatever the outcome (``forget_file``)."""
    try:
        result = import_police_log(
            log_import=log_import, path=Path(log_import.stored_path), progress=progress
        )
    except Exception:
        forget_file(log_import)
        LogImport.objects.filter(pk=log_import.pk).update(
            status=LogImport.Status.FAILED,
            finished_at=timezone.now(),
            message="The import stopped on an unexpected error; nothing from this file was "
            "kept. The system administrator has the details.",
        )
        # The exception names no person: rows and values stay out of logs.
        logger.exception("Police log import %s failed", log_import.pk)
        raise
    log_import = result.log_import
    forget_file(log_import)
    # pairs None: too many to list, so scan everything; an empty set: nothing changed.
    if log_import.status == LogImport.Status.DONE and (result.pairs is None or result.pairs):
        scan = scan_police_logs(pairs=result.pairs)
        alert_case_owners(scan.grown_ids)
    return log_import


def alert_case_owners(finding_ids: Iterable[int]) -> int:
    """Tell each case's owner that the logs have new entries for the case's suspect and victim.

    The email holds a link and the case reference, never a name.
    """
    findings = Finding.objects.filter(pk__in=list(finding_ids), case__isnull=False).select_related(
        "case__owner"
    )
    sent = 0
    for finding in findings:
        owner = finding.case.owner
        if not owner.email:
            continue
        url = settings.SITE_URL + reverse("referrals:case_detail", args=[finding.case_id])
        send_mail(
            f"New police log entries on case {finding.case.reference}",
            "The police log scan found new entries for the suspect and victim of case "
            f"{finding.case.reference}. They are on the case timeline:\n\n{url}\n",
            None,
            [owner.email],
        )
        sent += 1
    return sent


def store_upload(uploaded_file) -> Path:
    """Keep an uploaded export on disk under a random name until the worker imports it."""
    folder = Path(settings.POLICE_LOG_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    with path.open("wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    return path


@transaction.atomic
def log_import_queue(*, uploaded_file, by) -> LogImport:
    """Accept an uploaded export and queue it for the worker (once the row is committed)."""
    from ..tasks import import_police_log_task

    path = store_upload(uploaded_file)
    log_import = LogImport.objects.create(
        file_name=Path(uploaded_file.name).name[:255],
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        source=LogImport.Source.UPLOAD,
        uploaded_by=by,
    )
    transaction.on_commit(lambda: import_police_log_task.delay(log_import.pk))
    return log_import


NOT_A_FILE = (
    "Refused: this is a link or a special file, not an export. Only plain files dropped into "
    "the inbox are imported; the link was removed."
)


def import_inbox() -> list[LogImport]:
    """Import every export dropped into POLICE_LOG_INBOX, each once, then delete it.

    A file is claimed by renaming it into ``processing/``: a rename is atomic, so two workers can
    never both take it. A symbolic link (or any other file that is not a plain file: a FIFO
    would hang the worker) is refused and removed, never followed: a link could make the worker
    read any file it can, into the database. The claimed name is checked, not the one in the
    inbox, so that nothing can swap a link in between the check and the reading.
    """
    inbox = Path(settings.POLICE_LOG_INBOX)
    if not inbox.is_dir():
        return []
    processing = inbox / "processing"
    processing.mkdir(exist_ok=True)
    imports = []
    for path in sorted(inbox.glob("*.csv")):
        claimed = processing / f"{timezone.now():%Y%m%d-%H%M%S}-{path.name}"
        try:
            path.rename(claimed)
        except FileNotFoundError:
            continue  # another worker claimed it first
        mode = os.lstat(claimed).st_mode
        if not stat.S_ISREG(mode):
            claimed.unlink()  # the link itself, never what it points at
            log_import = LogImport.objects.create(
                file_name=path.name,
                source=LogImport.Source.INBOX,
                status=LogImport.Status.REFUSED,
                finished_at=timezone.now(),
                message=NOT_A_FILE,
            )
            logger.warning("Police log inbox: refused %s, not a plain file", log_import)
            imports.append(log_import)
            continue
        log_import = LogImport.objects.create(
            file_name=path.name,
            stored_path=str(claimed),
            size_bytes=claimed.stat().st_size,
            source=LogImport.Source.INBOX,
            status=LogImport.Status.RUNNING,
        )
        imports.append(import_and_scan(log_import))
    return imports
