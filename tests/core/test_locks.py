"""Named advisory locks (stalking_clinic/locks.py): one name per number, and what each helper
does when another session holds the lock."""

import threading

import psycopg2
import pytest
from django.db import connection, transaction

from stalking_clinic.locks import Lock, hold_for_transaction, try_hold


def _other_session():
    params = connection.get_connection_params()
    return psycopg2.connect(**params)


def test_every_lock_has_its_own_number():
    assert len({int(lock) for lock in Lock}) == len(Lock)


@pytest.mark.django_db(transaction=True)
def test_try_hold_gives_up_while_another_session_holds_the_lock(lock_held_elsewhere):
    with lock_held_elsewhere(Lock.REMINDERS) as other:
        with try_hold(Lock.REMINDERS) as held:
            assert held is False
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [int(Lock.REMINDERS)])
        with try_hold(Lock.REMINDERS) as held:
            assert held is True
        # Released on leaving the block: the other session can take it now.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [int(Lock.REMINDERS)])
            assert cursor.fetchone()[0] is True


@pytest.mark.django_db(transaction=True)
def test_hold_for_transaction_waits_until_the_holder_commits():
    other = _other_session()
    order = []
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(Lock.OFFICER_LIST_IMPORT)])

        def release_soon():
            order.append("other commits")
            other.commit()

        timer = threading.Timer(0.3, release_soon)
        timer.start()
        with transaction.atomic():
            hold_for_transaction(Lock.OFFICER_LIST_IMPORT)
            order.append("ours holds it")
        timer.join()
    finally:
        other.close()
    assert order == ["other commits", "ours holds it"]
