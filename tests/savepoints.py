"""Undo what a block of a test wrote, so that several checks can share one setting."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back():
    """Run the block in a savepoint, then roll back to it: the next block sees the database as
    this one found it, whether this one passed, failed or left the transaction broken."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def kept_for_module(django_db_blocker):
    """For a module-scoped fixture: what is written in the block stays for every later test of the
    module, and is rolled back after the module's last test. Each test's own transaction nests in
    this one as a savepoint, so what a test writes is still undone after it.

    The data stays from the first test that asks for the fixture to the end of the module: tests
    that need a database without it come before that one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
