"""Loading checked rows into PostgreSQL: the ``Loader``, its two lanes and their transactions.

The parser's chunks go to PostgreSQL with ``COPY``, in one transaction on a connection of its own,
sent by a worker thread while the caller's thread reads the next chunk, so that the database and
Python work at the same time. A chunk of entries none of which exist yet is copied straight into
LogEntry; otherwise it is copied into a temporary staging table and merged with one set-based
upsert on ``log_ref`` that writes only the entries whose values changed. People new to the
register are written by a second thread on a session of its own, alongside the entries.

A large import into a nearly empty LogEntry (the first load) drops its indexes but the primary
key, and the unique log_ref too if the table is empty, and builds them again after the load, in
the same transaction: building an index costs about half of keeping it up to date row by row.
Dropping an index is the table owner's right, not the application role's (README, "Database
roles"): the two threaded sessions connect as the owner role (the ``owner`` alias,
DATABASE_OWNER_URL), and a session that does not own the table keeps its indexes.
Person's indexes that enforce nothing (the name trigram indexes above all) go the same way when
the register holds few people next to the rows coming in; both sets are rebuilt at the same
time, one session each. The transactions then hold exclusive locks on LogEntry (and Person)
until they commit: case timelines and person pages wait for a first load to finish.

Called inside a transaction (tests, Celery's eager mode) or for a small file, the same steps run
on the caller's connection in a savepoint, without the threads. The statements are in ``sql``.
"""

from __future__ import annotations

import io
import logging
import sys
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import psycopg2
from django.db import connection, connections, transaction
from django.utils import timezone

from stalking_clinic.locks import Lock, hold_for_transaction

from .parse import Chunk
from .sql import (
    COPY_ENTRIES,
    COPY_PEOPLE,
    COPY_STAGING,
    CREATE_PEOPLE,
    CREATE_STAGING,
    DEDUPLICATE,
    INSERT_PEOPLE,
    MERGE_COUNTS,
    MERGE_PAIRS,
)

logger = logging.getLogger(__name__)

# The database alias of the threaded sessions: the owner role's (settings.DATABASES).
OWNER = "owner"
# Chunks handed to the loading thread and not loaded yet, at most: one loads while the next is
# read. Two (for uneven chunks) measured no faster and hold another chunk in memory.
IN_FLIGHT = 1
# Drop and rebuild LogEntry's non-unique indexes when at least this many rows come in and
# LogEntry holds fewer than a quarter as many.
BULK_MIN_ROWS = 100_000
# The suspect-victim pairs an import touched are returned for the scan up to this many; beyond
# it ``pairs`` is None: a full scan is cheaper than a list that long.
MAX_PAIRS = 50_000


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


def _copy(cursor, statement: str, data: bytes) -> None:
    """Send ``data``, COPY lines already encoded, with one of ``sql``'s COPY statements."""
    # Read in one go: the chunk is in memory already (psycopg2 would read it 8 KB at a time).
    cursor.copy_expert(statement, io.BytesIO(data), size=len(data))


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
            # caller's, whose progress updates commit at once. As the owner role: a first load
            # drops and rebuilds indexes, which only the tables' owner may.
            own = connections[OWNER]
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
            if expected >= BULK_MIN_ROWS and _owns(cursor, "referrals_logentry"):
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
                        _copy(cursor, COPY_ENTRIES, data)
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
                _copy(cursor, COPY_STAGING, data)
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
            if expected >= BULK_MIN_ROWS and _owns(cursor, "referrals_person"):
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
                _copy(cursor, COPY_PEOPLE, people)
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


def _owns(cursor, table: str) -> bool:
    """Whether this session's role may drop and build ``table``'s indexes (owns the table)."""
    cursor.execute(
        "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [table]
    )
    return cursor.fetchone()[0]


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
    connections[OWNER].close()  # the calling thread's connection: run in the lane's thread


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
