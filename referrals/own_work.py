"""The own-work registry: where other areas say which cases are in a user's work.

An area registers ``fn(user, now) -> Q | None`` with ``@own_work`` (from its
``AppConfig.ready``; meetings and protection orders do so): a condition on ``Case`` rows that
holds for the cases in ``user``'s work because of that area (a case on the agenda of a meeting
coming up, an SPO application the solicitor brings), or ``None`` for nothing. The referrals app
combines them in ``referrals.access.in_own_work`` without importing the areas that add to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q

Source = Callable[[object, datetime.datetime], Q | None]
_sources: list[Source] = []


def own_work(fn: Source) -> Source:
    """Register ``fn`` as a source of a user's own cases (once, however often it is imported)."""
    if fn not in _sources:
        _sources.append(fn)
    return fn


def registered_for(user, now: datetime.datetime) -> Q:
    """The registered conditions for ``user``'s cases, or'ed (matches nothing without any)."""
    found = Q(pk__in=[])
    for fn in _sources:
        condition = fn(user, now)
        if condition is not None:
            found |= condition
    return found
