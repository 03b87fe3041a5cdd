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

A large import into a nearly empty LogEntry (the first load) drops its indexes but the primary
key, and the unique log_ref too if the table is empty, and builds them again after the load, in
the same transaction: building an index costs about half of keeping it up to date row by row.
Person's indexes that enforce nothing (the name trigram indexes above all) go the same way when
the register holds few people next to the rows coming in; both sets are rebuilt at the same
time, one session each. The transactions then hold exclusive locks on LogEntry (and Person)
until they commit: case timelines and person pages wait for a first load to finish.

Called inside a transaction (tests, Celery's eager mode) or for a small file, the same steps run
on the caller's connection in a savepoint, without the threads.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg2
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.locks import Lock, hold_for_transaction
from stalking_clinic.services import ServiceError

from ..models import LogImport, RejectedRow

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")

# Export columns the clinic uses, in the order the parser hands them on.
COLUMNS = (
    "log_ref",
    "crime_ref",
    "recorded_at",
    "offence_code",
    "offence",
    "flags",
    "victim_ref",
    "victim_name",
    "victim_dob",
    "suspect_ref",
    "suspect_name",
    "suspect_dob",
    "relationship",
    "officer",
    "area",
    "summary",
)
REQUIRED = ("log_ref", "recorded_at", "victim_ref")
# Column sizes of LogEntry and Person: a longer value is refused rather than cut short.
MAX_LENGTHS = {
    "log_ref": 40,
    "crime_ref": 40,
    "offence_code": 20,
    "offence": 200,
    "victim_ref": 20,
    "suspect_ref": 20,
    "relationship": 20,
    "officer": 120,
    "area": 60,
}
MAX_FLAG_LENGTH = 40
MAX_NAME_LENGTH = 100  # Person.first_name / last_name: longer names are cut, not refused
RAW_KEPT = 2_000  # characters of a rejected row kept for the coordinator
CHUNK_ROWS = 20_000
# Chunks handed to the loading thread and not loaded yet, at most: one loads while the next is
# read. Two (for uneven chunks) measured no faster and hold another chunk in memory.
IN_FLIGHT = 1
# Below this size the file is imported on the caller's connection, without a worker thread.
PIPELINE_MIN_BYTES = 2_000_000
# Drop and rebuild LogEntry's non-unique indexes when at least this many rows come in and
# LogEntry holds fewer than a quarter as many.
BULK_MIN_ROWS = 100_000
# The suspect-victim pairs an import touched are returned for the scan up to this many; beyond
# it ``pairs`` is None: a full scan is cheaper than a list that long.
MAX_PAIRS = 50_000

# COPY text format with the unit separator as delimiter: text hardly ever contains it, so most
# rows need no escaping at all (a value that does contain it is escaped).
SEP = "\x1f"
ENTRY_COLUMNS = (
    "log_ref",
    "crime_ref",
    "recorded_at",
    "offence_code",
    "offence",
    "flags",
    "victim_ref",
    "relationship",
    "officer",
    "area",
    "summary",
    "suspect_ref",
    "updated_at",
    "first_import_id",
    "last_import_id",
)
PERSON_COLUMNS = ("person_ref", "first_name", "last_name", "date_of_birth")
_COPY_OPTIONS = "WITH (FORMAT text, DELIMITER E'\\x1f')"
_ENTRY_LIST = ", ".join(ENTRY_COLUMNS)
_UPDATED = [c for c in ENTRY_COLUMNS if c not in ("log_ref", "first_import_id")]

# What an export says about an entry: a row whose values all equal the entry's changes nothing.
_CONTENT = ENTRY_COLUMNS[1:12]
_E_CONTENT = ", ".join(f"e.{c}" for c in _CONTENT)
_X_CONTENT = ", ".join(f"x.{c}" for c in _CONTENT)
_CONTENT_LIST = ", ".join(_CONTENT)
_S_CONTENT = ", ".join(f"s.{c}" for c in _CONTENT)
_NEW_CONTENT = ", ".join(f"EXCLUDED.{c}" for c in _CONTENT)

# SQL put together from the constants above only: nothing read from a file reaches it.
# Unchanged rows are compared column by column in PostgreSQL: cheaper than hashing every row in
# Python on the way in (1.8 s of a million-row import, measured).
_MERGE = f"""
    WITH changed AS (
        INSERT INTO referrals_logentry AS e ({_ENTRY_LIST})
        SELECT {_ENTRY_LIST} FROM police_log_staging s
        WHERE NOT EXISTS (
            SELECT FROM referrals_logentry x
            WHERE x.log_ref = s.log_ref AND ({_X_CONTENT}) IS NOT DISTINCT FROM ({_S_CONTENT})
        )
        ON CONFLICT (log_ref) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATED)}
        WHERE ({_E_CONTENT}) IS DISTINCT FROM ({_NEW_CONTENT})
        RETURNING (e.xmax = 0) AS inserted, e.suspect_ref, e.victim_ref
    )
"""  # noqa: S608
MERGE_COUNTS = (
    _MERGE + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
    "FROM changed"
)
MERGE_PAIRS = (
    _MERGE + "SELECT inserted, suspect_ref, victim_ref, count(*) FROM changed GROUP BY 1, 2, 3"  # noqa: S608
)
# Rows with the same log_ref in file (id) order: all but the last go; each counts as the merge
# would have counted it, as an update of the row before, or unchanged if it is the same.
DEDUPLICATE = f"""
    WITH repeated AS (
        SELECT id, content,
            lag(content) OVER (PARTITION BY log_ref ORDER BY id) AS previous,
            row_number() OVER (PARTITION BY log_ref ORDER BY id DESC) AS from_last
        FROM (SELECT id, log_ref, md5(ROW({_CONTENT_LIST})::text) AS content
            FROM referrals_logentry) entries
        WHERE log_ref IN (
            SELECT log_ref FROM referrals_logentry GROUP BY log_ref HAVING count(*) > 1
        )
    ), gone AS (
        DELETE FROM referrals_logentry e USING repeated r WHERE e.id = r.id AND r.from_last > 1
    )
    SELECT count(*) FILTER (WHERE previous <> content),
        count(*) FILTER (WHERE previous = content)
    FROM repeated
"""  # noqa: S608
CREATE_STAGING = (
    "CREATE TEMP TABLE police_log_staging ON COMMIT DROP AS"  # noqa: S608
    f" SELECT {_ENTRY_LIST} FROM referrals_logentry WITH NO DATA"
)
CREATE_PEOPLE = (
    "CREATE TEMP TABLE police_log_people ON COMMIT DROP AS"  # noqa: S608
    f" SELECT {', '.join(PERSON_COLUMNS)} FROM referrals_person WITH NO DATA"
)
INSERT_PEOPLE = """
    INSERT INTO referrals_person (person_ref, first_name, last_name, date_of_birth, aliases,
        address, safe_contact, interpreter_language, communication_needs, created_at, updated_at)
    SELECT person_ref, first_name, last_name, date_of_birth, '{}', '', '', '', '', %s, %s
    FROM police_log_people
    ORDER BY person_ref
    ON CONFLICT (person_ref) DO NOTHING
"""


class NotAnExport(Exception):
    """The file is not a police log export: it is refused and nothing from it is kept."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    """What ``import_police_log`` returns: the finished import and what the scan should read."""

    log_import: LogImport
    # (suspect_ref, victim_ref) of every entry added or changed; suspect_ref None for entries
    # with no suspect. None when there were more than MAX_PAIRS: scan everything instead.
    pairs: set[tuple[str | None, str]] | None = field(default_factory=set)
    # Seconds spent on each kind of database work, for the benchmark.
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Chunk:
    # COPY data, encoded by the reading thread: the loading thread then spends next to no time
    # holding Python's interpreter lock, which the reading thread needs.
    entries: bytes
    entry_count: int
    people: bytes
    rejected: list[RejectedRow]
    rows_read: int
    bytes_done: int


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


# --- Reading and checking rows -------------------------------------------------------------------


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def split_name(name: str) -> tuple[str, str]:
    """("Mary Ann", "Smith") from "Mary Ann Smith" or "SMITH, Mary Ann"; one word: a first name."""
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.rpartition(" ")
        if not first:
            first, last = last, ""
    return first.strip()[:MAX_NAME_LENGTH], last.strip()[:MAX_NAME_LENGTH]


def _escape(value: str) -> str:
    """One value in COPY text format (delimiter SEP)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace(SEP, "\\x1f")
    )


def _array_literal(items: list[str]) -> str:
    quoted = []
    for item in items:
        if item and not any(c in item for c in ' ,{}"\\'):
            quoted.append(item)
        else:
            quoted.append('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(quoted) + "}"


class RowError(Exception):
    """The row cannot be imported; the message is the reason the coordinator sees."""


# Lengths of "2024-06-30T10:19+01:00" and "2024-06-30T10:19:00+01:00": the shapes exports use,
# which PostgreSQL reads as they are (checked in the parser's loop).
_OFFSET_LENGTHS = frozenset((22, 25))
_MAX_OFFSET = datetime.timedelta(hours=15)  # PostgreSQL refuses larger UTC offsets


def _recorded_at(value: str) -> str:
    """``value`` as PostgreSQL should read it, or RowError: for the shapes the loop does not
    pass straight through."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"recorded_at is not an ISO 8601 date and time: {value[:40]!r}.") from None
    if "T" not in value.upper() and " " not in value:
        raise RowError(f"recorded_at has no time of day: {value[:40]!r}.")
    if moment.tzinfo is None:
        # No offset: UK local time, which PostgreSQL turns into an instant. In the hour the
        # clocks go back it reads the time as GMT (the later one); in the hour they skip, as GMT.
        return moment.isoformat() + " Europe/London"
    if abs(moment.utcoffset()) >= _MAX_OFFSET:
        raise RowError(f"recorded_at has no such UTC offset: {value[:40]!r}.")
    return moment.isoformat()


class Parser:
    """Reads the export row by row and hands on chunks of COPY lines and rejected rows."""

    def __init__(self, text: io.TextIOBase, raw, *, import_id: int):
        self.text = text
        self.raw = raw  # the binary file under ``text``: its position is the progress
        self.import_id = import_id
        self.reader = csv.reader(text)
        # Constant end of every entry line: updated_at, first_import_id, last_import_id.
        self.tail = f"{SEP}{timezone.now().isoformat()}{SEP}{import_id}{SEP}{import_id}\n"
        self.flags_cache: dict[str, str] = {}
        self.good_dobs: set[str] = set()
        self.people_seen: set[str] = set()

    def _header(self) -> list[str]:
        try:
            header = next(self.reader)
        except StopIteration:
            raise NotAnExport("The file is empty: it is not a police log export.") from None
        except (UnicodeDecodeError, csv.Error):
            raise NotAnExport(
                "This is not a police log export: it is not CSV text (UTF-8). Export the log "
                "again as CSV."
            ) from None
        names = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            columns = "column" if len(missing) == 1 else "columns"
            verb = "is" if len(missing) == 1 else "are"
            message = (
                f"This is not a police log export: the {columns} {_and_list(missing)} "
                f"{verb} missing."
            )
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                message += " The values seem to be separated by semicolons or tabs, not commas."
            raise NotAnExport(message)
        return names

    def chunks(self) -> Iterator[Chunk]:
        """Chunks of at most CHUNK_ROWS entries, none with the same log_ref twice."""
        names = self._header()
        width = len(names)
        # Columns absent from this export read as the empty value appended to each row.
        positions = [names.index(c) if c in names else width for c in COLUMNS]
        pad = width in positions
        get = itemgetter(*positions)
        reader = self.reader
        fromisoformat = datetime.datetime.fromisoformat
        tail = self.tail
        flags_cache = self.flags_cache
        good_dobs = self.good_dobs
        people_seen = self.people_seen
        self.chunk_start()
        entries, refs = self.entries, self.refs
        last_line = reader.line_num
        while True:
            # The loop is the import's hot path: a million rows take it a million times, so the
            # checks of a typical row are written out here and the rare cases go to methods.
            try:
                for row in reader:
                    line_number = last_line + 1
                    last_line = reader.line_num
                    if len(row) != width:
                        if not row:
                            continue  # a blank line
                        row = self._fit(row, width, line_number)
                        if row is None:
                            continue
                    if pad:
                        row.append("")
                    try:
                        (
                            log_ref,
                            crime_ref,
                            recorded_at,
                            offence_code,
                            offence,
                            flags,
                            victim_ref,
                            victim_name,
                            victim_dob,
                            suspect_ref,
                            suspect_name,
                            suspect_dob,
                            relationship,
                            officer,
                            area,
                            summary,
                        ) = get(row)
                        log_ref = log_ref.strip()
                        recorded_at = recorded_at.strip()
                        victim_ref = victim_ref.strip()
                        if not (log_ref and recorded_at and victim_ref):
                            self._missing(log_ref, recorded_at, victim_ref)
                        suspect_ref = suspect_ref.strip()
                        crime_ref = crime_ref.strip()
                        offence_code = offence_code.strip()
                        offence = offence.strip()
                        relationship = relationship.strip()
                        officer = officer.strip()
                        area = area.strip()
                        summary = summary.strip()
                        if (
                            len(log_ref) > 40
                            or len(victim_ref) > 20
                            or len(suspect_ref) > 20
                            or len(crime_ref) > 40
                            or len(offence_code) > 20
                            or len(offence) > 200
                            or len(relationship) > 20
                            or len(officer) > 120
                            or len(area) > 60
                        ):
                            self._too_long(get(row))
                        # recorded_at as PostgreSQL should read it: most pass as they are.
                        try:
                            moment = fromisoformat(recorded_at)
                        except ValueError:
                            moment = None
                        if (
                            moment is not None
                            and len(recorded_at) in _OFFSET_LENGTHS
                            and recorded_at[10] == "T"
                            and recorded_at[-3] == ":"
                            and recorded_at[-5:-3] < "15"
                            and moment.tzinfo is not None
                        ):
                            recorded = recorded_at
                        else:
                            recorded = _recorded_at(recorded_at)
                        flags = (flags_cache.get(flags) or self._flags(flags)) if flags else "{}"
                        if victim_dob and victim_dob not in good_dobs:
                            victim_dob = self._dob("victim_dob", victim_dob)
                        if suspect_dob and suspect_dob not in good_dobs:
                            suspect_dob = self._dob("suspect_dob", suspect_dob)
                        line = SEP.join(
                            (
                                log_ref,
                                crime_ref,
                                recorded,
                                offence_code,
                                offence,
                                flags,
                                victim_ref,
                                relationship,
                                officer,
                                area,
                                summary,
                                suspect_ref,
                            )
                        )
                        # Few rows need escaping for COPY: look for what does, all at once.
                        if (
                            "\\" in line
                            or "\n" in line
                            or "\r" in line
                            or "\x00" in line
                            or line.count(SEP) != 11
                        ):
                            line = _escaped_line(
                                line,
                                11,
                                log_ref,
                                crime_ref,
                                recorded,
                                offence_code,
                                offence,
                                flags,
                                victim_ref,
                                relationship,
                                officer,
                                area,
                                summary,
                                suspect_ref,
                            )
                    except RowError as error:
                        self.rejected.append(self._reject(line_number, str(error), row[:width]))
                        continue
                    if not suspect_ref:
                        line += "\\N"  # NULL: LogEntry.suspect is a nullable reference
                    if log_ref in refs:
                        # The same entry again: load what came before first, so that the rows
                        # apply in file order (one statement cannot change a row twice).
                        yield self.chunk()
                        entries, refs = self.entries, self.refs
                    refs.add(log_ref)
                    entries.append(line + tail)
                    if victim_ref not in people_seen:
                        self._person(victim_ref, victim_name, victim_dob)
                    if suspect_ref and suspect_ref not in people_seen:
                        self._person(suspect_ref, suspect_name, suspect_dob)
                    if len(entries) >= CHUNK_ROWS:
                        yield self.chunk()
                        entries, refs = self.entries, self.refs
            except UnicodeDecodeError:
                raise NotAnExport(
                    "The file is not UTF-8 text: the bytes after line "
                    f"{last_line} cannot be read. Export the log again as CSV (UTF-8). Nothing "
                    "from this file was imported."
                ) from None
            except csv.Error as error:
                # The reader starts afresh on the next line.
                self.rejected.append(self._reject(last_line + 1, f"Unreadable CSV: {error}.", []))
                last_line = reader.line_num
                continue
            break
        yield self.chunk()

    def chunk_start(self) -> None:
        self.entries: list[str] = []
        self.people: list[str] = []
        self.rejected: list[RejectedRow] = []
        self.refs: set[str] = set()

    def chunk(self) -> Chunk:
        chunk = Chunk(
            entries="".join(self.entries).encode(),
            entry_count=len(self.entries),
            people="".join(self.people).encode(),
            rejected=self.rejected,
            rows_read=len(self.entries) + len(self.rejected),  # every row is one or the other
            bytes_done=self.raw.tell(),
        )
        self.chunk_start()
        return chunk

    def _fit(self, row: list[str], width: int, line_number: int) -> list[str] | None:
        if len(row) > width and not any(v.strip() for v in row[width:]):
            del row[width:]  # empty values after the last column
            return row
        self.rejected.append(
            self._reject(
                line_number, f"The row has {len(row)} values; the header has {width}.", row
            )
        )
        return None

    def _reject(self, line_number: int, reason: str, row: list[str]) -> RejectedRow:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(row)
        return RejectedRow(
            log_import_id=self.import_id,
            line_number=line_number,
            reason=reason[:300],
            # PostgreSQL cannot store NUL: show where it was.
            raw=out.getvalue()[:RAW_KEPT].replace("\x00", "\u2400"),
        )

    @staticmethod
    def _missing(log_ref: str, recorded_at: str, victim_ref: str) -> None:
        missing = [
            name
            for name, value in (
                ("log_ref", log_ref),
                ("recorded_at", recorded_at),
                ("victim_ref", victim_ref),
            )
            if not value
        ]
        raise RowError(f"No value for {_and_list(missing)}.")

    @staticmethod
    def _too_long(values: tuple[str, ...]) -> None:
        for name, value in zip(COLUMNS, values, strict=True):
            limit = MAX_LENGTHS.get(name)
            if limit and len(value.strip()) > limit:
                raise RowError(f"{name} is longer than {limit} characters.")

    def _flags(self, raw: str) -> str:
        items = []
        for item in raw.split(";"):
            item = item.strip().upper()
            if not item:
                continue
            if len(item) > MAX_FLAG_LENGTH:
                raise RowError(
                    f"The flag {item[:50]!r} is longer than {MAX_FLAG_LENGTH} characters."
                )
            if item not in items:
                items.append(item)
        literal = _array_literal(items)
        if len(self.flags_cache) > 10_000:
            self.flags_cache.clear()  # bounded memory whatever the file holds
        self.flags_cache[raw] = literal
        return literal

    def _dob(self, name: str, raw: str) -> str:
        value = raw.strip()
        if value:
            try:
                if len(value) != 10 or value[4] != "-" or value[7] != "-":
                    raise ValueError
                datetime.date.fromisoformat(value)
            except ValueError:
                raise RowError(f"{name} is not a date (YYYY-MM-DD): {value[:40]!r}.") from None
            if value == raw:
                if len(self.good_dobs) > 100_000:
                    self.good_dobs.clear()
                self.good_dobs.add(value)
        return value

    def _person(self, ref: str, name: str, dob: str) -> None:
        seen = self.people_seen
        if len(seen) > 1_000_000:
            seen.clear()  # bounded memory: a person seen again is only offered again
        seen.add(ref)
        # The row passed its checks; a stray NUL in a name (which PostgreSQL cannot store)
        # is dropped rather than refusing the row for it.
        first, last = split_name(name.replace("\x00", "").strip())
        line = SEP.join((ref, first, last))
        if "\\" in line or "\n" in line or "\r" in line or "\x00" in line or line.count(SEP) != 2:
            line = _escaped_line(line, 2, ref, first, last)
        self.people.append(f"{line}{SEP}{dob.strip() or '\\N'}\n")


def _escaped_line(line: str, separators: int, *values: str) -> str:
    """``line`` (``values`` joined by SEP) in COPY text format, or RowError."""
    if "\x00" in line:
        raise RowError("The row contains a NUL character.")
    if line.count(SEP) == separators:  # no value holds a SEP: escape the line in one go
        return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return SEP.join(_escape(value) for value in values)


# --- Loading into PostgreSQL ---------------------------------------------------------------------


class _Lane:
    """One database session and the thread that talks to it (``threaded``), or the caller's own
    connection and thread. Work handed to a lane runs in order."""

    def __init__(self, name: str, *, threaded: bool):
        self.threaded = threaded
        self.executor = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"police-log-{name}")
            if threaded
            else None
        )
        self.pending: deque[Future] = deque()  # work handed over and not finished, oldest first
        self.conn = None  # psycopg2 connection

    def run(self, fn, *args) -> Future:
        if self.executor:
            return self.executor.submit(_without_values, fn, *args)
        future: Future = Future()
        future.set_result(_without_values(fn, *args))
        return future

    def call(self, fn, *args):
        return self.run(fn, *args).result()  # raises what the lane raised

    def hand_over(self, fn, *args) -> None:
        self.pending.append(self.run(fn, *args))

    def wait(self, *, keep: int = 0) -> None:
        while len(self.pending) > keep:
            self.pending.popleft().result()

    def open(self) -> None:
        if self.threaded:
            # The thread's own Django connection: a session and transaction apart from the
            # caller's, whose progress updates commit at once.
            own = connections["default"]
            own.ensure_connection()
            self.conn = own.connection
            self.conn.autocommit = False
        else:
            connection.ensure_connection()
            self.conn = connection.connection

    def commit(self) -> None:
        if self.threaded:
            self.conn.commit()

    def rollback(self) -> None:
        if self.threaded and self.conn is not None:
            self.conn.rollback()

    def close(self) -> None:
        if self.executor:
            try:
                self.call(_close_own_connection)
            finally:
                self.executor.shutdown(wait=True)


class Loader:
    """Writes chunks to the database: entries and people each on a session and thread of their
    own (``threaded``), or both on the caller's connection inside a savepoint.

    With threads, people are created alongside the entries (they are independent: an entry
    names its people by reference) and their transaction commits just before the entries'. A
    crash between the two commits would leave people without the entries that named them,
    never the reverse: the next import of the file finds them there and adds the entries.
    """

    def __init__(self, import_id: int, *, threaded: bool, file_size: int):
        self.import_id = import_id
        self.threaded = threaded
        self.file_size = file_size
        self.added = 0
        self.updated = 0
        self.pairs: set[tuple[str | None, str]] | None = set()
        self.direct = True  # try COPY straight into LogEntry until a chunk meets existing rows
        self.started = False
        self.dropped_indexes: list[tuple[str, str]] = []
        self.dropped_unique: list[tuple[str, str]] = []
        self.dropped_person_indexes: list[tuple[str, str]] = []
        self.entries = _Lane("entries", threaded=threaded)
        self.people = _Lane("people", threaded=threaded)
        self.switch_interval = sys.getswitchinterval()
        if threaded:
            # The reading thread holds the interpreter lock nearly all the time; the loading
            # threads need it for a moment after every statement and by default wait up to
            # 5 ms for it, which added 2-3 s to a million-row import (measured).
            sys.setswitchinterval(0.0005)
        self.now = timezone.now()
        self.timings: dict[str, float] = {}  # seconds per kind of statement, for the benchmark

    @contextmanager
    def _timed(self, kind: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[kind] = self.timings.get(kind, 0.0) + time.perf_counter() - started

    def transaction(self):
        return _LoaderTransaction(self)

    # Work done in the entries lane.

    def _begin_entries(self, expected: int) -> None:
        with self.entries.conn.cursor() as cursor:
            # Imports write LogEntry one at a time.
            hold_for_transaction(Lock.POLICE_LOG_IMPORT, cursor=cursor)
            # Sorting for the merge and for index builds in memory rather than on disk.
            cursor.execute(
                "SELECT set_config('work_mem', '64MB', true),"
                " set_config('maintenance_work_mem', '256MB', true)"
            )
            cursor.execute("DROP TABLE IF EXISTS pg_temp.police_log_staging")
            cursor.execute(CREATE_STAGING)
            if expected >= BULK_MIN_ROWS:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT FROM referrals_logentry LIMIT %s) existing",
                    [expected // 4 + 1],
                )
                existing = cursor.fetchone()[0]
                if existing <= expected // 4:
                    self._drop_indexes(cursor, unique=existing == 0)

    def _drop_indexes(self, cursor, *, unique: bool) -> None:
        """Drop every index of LogEntry but its primary key (Finding's evidence refers to it),
        keeping how PostgreSQL itself would write each again: so this follows the model.

        The unique constraint on log_ref goes too if LogEntry is empty: then only a log_ref
        repeated within the file can clash, which ``_finish`` sorts out. Otherwise the merge
        needs it to find the entries that exist.
        """
        self.dropped_indexes = _drop_secondary_indexes(cursor, "referrals_logentry")
        if unique:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'referrals_logentry'::regclass AND contype = 'u'"
            )
            self.dropped_unique = [
                (name, definition)
                for name, definition in cursor.fetchall()
                if definition == "UNIQUE (log_ref)"
            ]
            for name, _ in self.dropped_unique:
                cursor.execute(f'ALTER TABLE referrals_logentry DROP CONSTRAINT "{name}"')

    def _load_entries(self, chunk: Chunk) -> None:
        if not chunk.entry_count:
            return
        with self.entries.conn.cursor() as cursor:
            data = chunk.entries
            if self.direct:
                collect = self.pairs is not None
                if collect:
                    cursor.execute("SELECT coalesce(max(id), 0) FROM referrals_logentry")
                    before = cursor.fetchone()[0]
                cursor.execute("SAVEPOINT police_log_chunk")
                try:
                    with self._timed("copy entries"):
                        cursor.copy_expert(
                            f"COPY referrals_logentry ({_ENTRY_LIST}) FROM STDIN " + _COPY_OPTIONS,
                            io.BytesIO(data),
                            size=len(data),
                        )
                except Exception as error:
                    if getattr(error, "pgcode", None) != "23505":  # unique_violation
                        raise
                    # Some of these entries exist already: merge this chunk, and the next.
                    cursor.execute("ROLLBACK TO SAVEPOINT police_log_chunk")
                    self.direct = False
                else:
                    cursor.execute("RELEASE SAVEPOINT police_log_chunk")
                    self.added += chunk.entry_count
                    if collect:
                        cursor.execute(
                            "SELECT DISTINCT suspect_ref, victim_ref FROM referrals_logentry"
                            " WHERE id > %s",
                            [before],
                        )
                        self._add_pairs(cursor.fetchall())
                    return
            with self._timed("staging copy"):
                cursor.execute("TRUNCATE police_log_staging")
                cursor.copy_expert(
                    f"COPY police_log_staging ({_ENTRY_LIST}) FROM STDIN " + _COPY_OPTIONS,
                    io.BytesIO(data),
                    size=len(data),
                )
            with self._timed("merge"):
                if self.pairs is None:
                    cursor.execute(MERGE_COUNTS)
                    added, updated = cursor.fetchone()
                else:
                    cursor.execute(MERGE_PAIRS)
                    rows = cursor.fetchall()
                    added = sum(n for inserted, _, _, n in rows if inserted)
                    updated = sum(n for inserted, _, _, n in rows if not inserted)
                    self._add_pairs((suspect, victim) for _, suspect, victim, _ in rows)
            self.added += added
            self.updated += updated
            # A chunk of nothing but new entries: the rest of the file is likely new as well.
            self.direct = added == chunk.entry_count

    def _add_pairs(self, pairs) -> None:
        if self.pairs is not None:
            self.pairs.update(pairs)
            if len(self.pairs) > MAX_PAIRS:
                self.pairs = None

    def _finish(self) -> None:
        with self.entries.conn.cursor() as cursor:
            for name, definition in self.dropped_unique:
                with self._timed(f"index {name}"):
                    self._add_unique(cursor, name, definition)
            for name, definition in self.dropped_indexes:
                with self._timed(f"index {name}"):
                    cursor.execute(definition)
            if self.dropped_indexes or self.dropped_unique:
                # The scan that follows plans its joins on these statistics.
                cursor.execute("ANALYZE referrals_logentry")

    def _add_unique(self, cursor, name: str, definition: str) -> None:
        add = f'ALTER TABLE referrals_logentry ADD CONSTRAINT "{name}" {definition}'
        cursor.execute("SAVEPOINT police_log_unique")
        try:
            cursor.execute(add)
        except Exception as error:
            if getattr(error, "pgcode", None) != "23505":  # unique_violation
                raise
        else:
            cursor.execute("RELEASE SAVEPOINT police_log_unique")
            return
        # A log_ref repeated in the file was loaded twice (or more) while nothing checked: keep
        # the last row, as the merge would have, and count the others as it would have.
        cursor.execute("ROLLBACK TO SAVEPOINT police_log_unique")
        cursor.execute(DEDUPLICATE)
        updated, unchanged = cursor.fetchone()
        self.added -= updated + unchanged
        self.updated += updated
        # The deletes queued deferred foreign key checks (Finding's evidence), which stop an
        # ALTER TABLE: run them now, as Django's own check_constraints does.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(add)

    # Work done in the people lane.

    def _begin_people(self, expected: int) -> None:
        with self.people.conn.cursor() as cursor:
            if self.threaded:
                # Imports create people one at a time, in the order they took the entries'
                # lock: two imports waiting on each other's new people cannot deadlock.
                hold_for_transaction(Lock.POLICE_LOG_PEOPLE, cursor=cursor)
            cursor.execute("DROP TABLE IF EXISTS pg_temp.police_log_people")
            cursor.execute(CREATE_PEOPLE)
            if expected >= BULK_MIN_ROWS:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT FROM referrals_person LIMIT %s) existing",
                    [expected // 4 + 1],
                )
                if cursor.fetchone()[0] <= expected // 4:
                    self.dropped_person_indexes = _drop_secondary_indexes(
                        cursor, "referrals_person"
                    )

    def _finish_people(self) -> None:
        with self.people.conn.cursor() as cursor:
            for name, definition in self.dropped_person_indexes:
                with self._timed(f"index {name}"):
                    cursor.execute(definition)
            if self.dropped_person_indexes:
                cursor.execute("ANALYZE referrals_person")

    def _load_people(self, people: bytes) -> None:
        with self.people.conn.cursor() as cursor:
            with self._timed("people copy"):
                cursor.execute("TRUNCATE police_log_people")
                cursor.copy_expert(
                    f"COPY police_log_people ({', '.join(PERSON_COLUMNS)}) FROM STDIN "
                    + _COPY_OPTIONS,
                    io.BytesIO(people),
                    size=len(people),
                )
            with self._timed("people insert"):
                cursor.execute(INSERT_PEOPLE, [self.now, self.now])

    # The caller's side.

    def _lanes(self) -> list[_Lane]:
        return [self.people, self.entries]  # people commit first: see the class's docstring

    def load(self, chunk: Chunk) -> None:
        for lane in self._lanes():
            lane.wait(keep=IN_FLIGHT - 1)
        if not self.started:
            self.started = True
            rows_per_byte = (chunk.rows_read / chunk.bytes_done) if chunk.bytes_done else 0
            expected = int(self.file_size * rows_per_byte)
            self.entries.call(self._begin_entries, expected)
            # After the entries' lock: see _begin_people.
            self.people.call(self._begin_people, expected)
        if chunk.people:
            self.people.hand_over(self._load_people, chunk.people)
        self.entries.hand_over(self._load_entries, chunk)

    def finish(self) -> None:
        for lane in self._lanes():
            lane.wait()
        if self.started:
            # Indexes of people and of entries are built at the same time, one session each.
            self.people.hand_over(self._finish_people)
            self.entries.hand_over(self._finish)
            for lane in self._lanes():
                lane.wait()

    def close(self) -> None:
        try:
            for lane in self._lanes():
                lane.close()
        finally:
            if self.threaded:
                sys.setswitchinterval(self.switch_interval)


def _drop_secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """Drop every index of ``table`` that enforces nothing (not unique, not a primary key) and
    return how to build each again, as PostgreSQL itself writes it: so this follows the models.
    ``table`` is one of ours, never a value from a file."""
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = %s::regclass AND NOT i.indisunique"
        " ORDER BY c.relname",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def _close_own_connection() -> None:
    connections["default"].close()  # the calling thread's connection: run in the lane's thread


class LoadError(Exception):
    """PostgreSQL refused what the loader sent. Its message names no value from the file."""


def _without_values(fn, *args):
    # PostgreSQL's messages quote the values they refuse (a name, a summary), and the caller
    # logs the exception: keep the error's code and column, drop the rest.
    try:
        return fn(*args)
    except psycopg2.Error as error:
        column = getattr(error.diag, "column_name", None)
        raise LoadError(
            f"PostgreSQL error {error.pgcode} in {fn.__name__}"
            + (f" (column {column})" if column else "")
        ) from None


class _LoaderTransaction:
    """The loader's transactions: committed when the block ends normally, else rolled back."""

    def __init__(self, loader: Loader):
        self.loader = loader
        self.atomic = None if loader.threaded else transaction.atomic()

    def __enter__(self):
        if self.atomic:
            self.atomic.__enter__()
        for lane in self.loader._lanes():
            lane.call(lane.open)
        return self.loader

    def __exit__(self, exc_type, exc, tb):
        lanes = self.loader._lanes()
        if exc_type is None:
            try:
                for lane in lanes:
                    lane.wait()
                for lane in lanes:
                    lane.call(lane.commit)
            except BaseException as error:
                self._rollback()
                if self.atomic:
                    self.atomic.__exit__(type(error), error, error.__traceback__)
                raise
        else:
            for lane in lanes:
                lane.pending.clear()  # their errors, if any, are already on their way up
            self._rollback()
        if self.atomic:
            return self.atomic.__exit__(exc_type, exc, tb)
        return False

    def _rollback(self) -> None:
        for lane in self.loader._lanes():
            try:
                lane.call(lane.rollback)
            except Exception:
                logger.exception("Rolling back police log import %s failed", self.loader.import_id)
