"""Importing a police log export (the force's CSV format: log_ref, recorded_at, victim_ref, …).

``import_police_log`` reads the file once, as a stream, and holds no more than a chunk of it:

1. The header names the columns, in any order and any case; unknown columns are ignored. A file
   whose header lacks ``log_ref``, ``recorded_at`` or ``victim_ref``, or that is not UTF-8 text
   (even far down), is refused and nothing from it is kept.
2. Each row is checked and normalised in Python: required values present, ``recorded_at`` an ISO
   8601 date and time (without an offset it is UK local time), dates of birth ``YYYY-MM-DD``,
   values within the column sizes, flags split on ``;``, trimmed and upper-cased. A row that fails
   is kept as a RejectedRow with its physical line number (the header is line 1; a summary running
   over several lines counts them all) and the reason, and the rest of the file goes on.
3. Good rows go to PostgreSQL with ``COPY`` in chunks, in one transaction on a connection of its
   own, sent by a worker thread while this thread reads the next chunk, so that the database and
   Python work at the same time. A chunk of entries none of which exist yet is copied straight
   into LogEntry; otherwise it is copied into a temporary staging table and merged with one
   set-based upsert on ``log_ref`` that writes only the entries whose values changed.
4. People named in the rows whose person reference is not known yet become Person records, with
   the name and date of birth of the first row naming them. Existing people are never changed.
   They are written by a second worker thread on a session of its own, alongside the entries;
   its transaction commits just before the entries' (see ``Loader``).
5. Progress (bytes and rows read, rows rejected) is saved after each chunk through the caller's
   connection and committed at once, so the upload page shows it while the import runs. The
   entries appear all together when the loading transaction commits.

A log_ref repeated within one file is applied in file order, as if the later row came in a later
export: the later row updates the entry (counted as updated, or unchanged if identical). So rows
read = added + updated + unchanged + rejected, always.

The package in three parts, each read on its own:

- ``parse``: reading the file and checking its rows (``Parser``, ``RowError``, ``split_name``,
  the export's ``COLUMNS``), handing on chunks of ``COPY`` data and rejected rows;
- ``load``: writing the chunks to PostgreSQL (``Loader``, its lanes and transactions, the index
  drop and rebuild of a first load);
- ``sql``: the statements and column lists ``load`` sends, built from constants only.

This module runs one import from start to end: it claims the LogImport, streams the file through
the parser into the loader, saves the progress, and records the outcome (done, refused, failed).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ...models import LogImport, RejectedRow
from .load import Loader, LoadError
from .parse import COLUMNS, Chunk, NotAnExport, Parser, RowError, split_name

__all__ = [
    "COLUMNS",
    "ImportResult",
    "LoadError",
    "Loader",
    "NotAnExport",
    "Parser",
    "RowError",
    "import_police_log",
    "split_name",
]

logger = logging.getLogger(__name__)

# Below this size the file is imported on the caller's connection, without a worker thread.
PIPELINE_MIN_BYTES = 2_000_000


@dataclass
class ImportResult:
    """What ``import_police_log`` returns: the finished import and what the scan should read."""

    log_import: LogImport
    # (suspect_ref, victim_ref) of every entry added or changed; suspect_ref None for entries
    # with no suspect. None when there were more than load.MAX_PAIRS: scan everything instead.
    pairs: set[tuple[str | None, str]] | None = field(default_factory=set)
    # Seconds spent on each kind of database work, for the benchmark.
    timings: dict[str, float] = field(default_factory=dict)


def import_police_log(
    *,
    log_import: LogImport,
    path: Path,
    progress: Callable[[LogImport], None] | None = None,
) -> ImportResult:
    """Import the export at ``path`` as ``log_import`` (queued, or running but not started)."""
    claimed = LogImport.objects.filter(
        Q(status=LogImport.Status.QUEUED) | Q(status=LogImport.Status.RUNNING, started_at=None),
        pk=log_import.pk,
    ).update(status=LogImport.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        raise ServiceError(f"{log_import} has already started.")
    log_import.refresh_from_db()
    size = path.stat().st_size
    if size != log_import.size_bytes:
        log_import.size_bytes = size
        LogImport.objects.filter(pk=log_import.pk).update(size_bytes=size)

    loader = None
    try:
        with path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            parser = Parser(text, raw, import_id=log_import.pk)
            threaded = size >= PIPELINE_MIN_BYTES and not connection.in_atomic_block
            loader = Loader(log_import.pk, threaded=threaded, file_size=size)
            with loader.transaction():
                for chunk in parser.chunks():
                    loader.load(chunk)  # first waits for the chunk before to be loaded
                    _save_progress(log_import, chunk)
                    if progress:
                        progress(log_import)
                loader.finish()
    except NotAnExport as refusal:
        return _refuse(log_import, refusal.message, progress)
    except Exception:
        # Nothing of the file was kept (the loader's transaction rolled back): neither are the
        # rows rejected so far. The caller logs the error.
        try:
            RejectedRow.objects.filter(log_import=log_import).delete()
            LogImport.objects.filter(pk=log_import.pk).update(
                status=LogImport.Status.FAILED,
                finished_at=timezone.now(),
                message="The import stopped on an unexpected error; nothing from this file was "
                "kept.",
            )
        except Exception:
            logger.exception("Recording the failure of %s failed", log_import)
        raise
    finally:
        if loader:
            loader.close()
    log_import.rows_added, log_import.rows_updated = loader.added, loader.updated
    log_import.rows_unchanged = (
        log_import.rows_read - log_import.rows_rejected - loader.added - loader.updated
    )
    log_import.status = LogImport.Status.DONE
    log_import.finished_at = timezone.now()
    log_import.bytes_done = log_import.size_bytes
    log_import.save(
        update_fields=[
            "status",
            "finished_at",
            "bytes_done",
            "rows_read",
            "rows_added",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
        ]
    )
    record(
        actor=log_import.uploaded_by,
        action=AuditEvent.Action.COLLECTION,
        obj=log_import,
        justification=f"{loader.added} added, {loader.updated} updated",
    )
    if progress:
        progress(log_import)
    return ImportResult(log_import=log_import, pairs=loader.pairs, timings=loader.timings)


def _save_progress(log_import: LogImport, chunk: Chunk) -> None:
    if chunk.rejected:
        RejectedRow.objects.bulk_create(chunk.rejected)
    log_import.rows_read += chunk.rows_read
    log_import.rows_rejected += len(chunk.rejected)
    log_import.bytes_done = chunk.bytes_done
    # An UPDATE of its own, committed at once outside a transaction: the page polling this
    # import sees it while the entries are still being loaded.
    LogImport.objects.filter(pk=log_import.pk).update(
        rows_read=log_import.rows_read,
        rows_rejected=log_import.rows_rejected,
        bytes_done=log_import.bytes_done,
    )


def _refuse(log_import: LogImport, message: str, progress) -> ImportResult:
    # Rows rejected before the file turned out unreadable were saved as they came: remove them
    # too, so that a refused file leaves nothing but the refusal.
    RejectedRow.objects.filter(log_import=log_import).delete()
    log_import.status = LogImport.Status.REFUSED
    log_import.message = message
    log_import.finished_at = timezone.now()
    log_import.rows_read = log_import.rows_rejected = log_import.bytes_done = 0
    log_import.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "rows_read",
            "rows_rejected",
            "bytes_done",
        ]
    )
    if progress:
        progress(log_import)
    return ImportResult(log_import=log_import, pairs=set())
