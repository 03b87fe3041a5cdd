"""Writing an edit to a versioned row: every area's services share it.

A row a user edits carries a ``version``. The service locks the row (``select_for_update``),
compares the version the user saw (refusing a stale save with its area's "changed by another
user" error), then writes what changed with ``save_changes``, which moves the version on so the
next stale form is refused in turn.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import F


def save_changes(current: models.Model, new: dict, *, also: Iterable[str] = ()) -> list[str]:
    """Write the fields of ``new`` whose values differ from the locked row ``current`` and move
    its version on; also when only ``also`` (changes made elsewhere, such as to a many-to-many
    relation) changed. Returns the changed names (without ``_id``) followed by ``also``; nothing
    is written when both are empty. ``current`` is read again after the write."""
    changed = [name for name, value in new.items() if getattr(current, name) != value]
    also = list(also)
    if changed or also:
        type(current).objects.filter(pk=current.pk).update(
            **{name: new[name] for name in changed}, version=F("version") + 1
        )
        current.refresh_from_db()
    return [name.removesuffix("_id") for name in changed] + also
