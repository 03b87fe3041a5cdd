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
