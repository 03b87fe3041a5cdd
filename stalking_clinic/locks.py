"""Named PostgreSQL advisory locks: every lock the project takes, in one place.

An advisory lock is a number that PostgreSQL lets one session (or one transaction) hold at a time.
Jobs that must never run twice at once take one: a second worker waits, or gives up and leaves the
work to the first. Two jobs given the same number by accident would block each other, so every
number is declared here, once, under a name that says what it guards; ``Lock`` refuses duplicates.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@enum.unique
class Lock(enum.IntEnum):
    """What each lock guards. The numbers are arbitrary but fixed: a running worker of the old
    code and one of the new must agree on them while a deployment rolls over."""

    # Police log imports write LogEntry one at a time (transaction lock)...
    POLICE_LOG_IMPORT = 7_201_906_511
    # ...and the stalking scan reads a settled LogEntry (transaction lock).
    POLICE_LOG_SCAN = 7_201_906_512
    # People are created one import at a time, on the importer's second session (transaction).
    POLICE_LOG_PEOPLE = 7_201_906_513
    # One officer list import at a time (transaction lock).
    OFFICER_LIST_IMPORT = 7_401_707_001
    # The beat job that creates and emails every app's reminders (session lock; a second run
    # gives up).
    REMINDERS = 7_301_402_019


def hold_for_transaction(lock: Lock, *, cursor=None) -> None:
    """Wait for ``lock`` and hold it until the current transaction ends (commit or rollback).

    ``cursor`` is for code working on a connection of its own (the police log importer's second
    session); by default the lock is taken on Django's connection, inside ``transaction.atomic``.
    """
    if cursor is not None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(lock)])
        return
    with connection.cursor() as own:
        own.execute("SELECT pg_advisory_xact_lock(%s)", [int(lock)])


@contextmanager
def try_hold(lock: Lock) -> Iterator[bool]:
    """Take ``lock`` for this session if nobody holds it, without waiting.

    Yields whether it was taken; the lock is released on leaving the block. A periodic job uses
    it so that a second worker starting the same job stops at once::

        with try_hold(Lock.REMINDERS) as held:
            if not held:
                return 0
            ...
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [int(lock)])
        held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [int(lock)])
