"""What other areas hold about a case, erased when the case's record is disposed of.

Disposal (``services.retention.record_dispose``) erases the case's personal data in the referrals
area itself, then asks every area that registered here: first whether it refuses the disposal
(``@disposal_refusal``: a function taking the case and returning the reason, or ``""``; an SPO
in force, say), then to erase what it holds about the case (``@disposal_eraser``: a function
taking the case). The referrals app never imports the areas that register; they register
themselves when Django loads them, as for the timeline and the case page's panels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models

Refusal = Callable[[object], str]
Eraser = Callable[[object], None]
_refusals: list[Refusal] = []
_erasers: list[Eraser] = []


def disposal_refusal(check: Refusal) -> Refusal:
    _refusals.append(check)
    return check


def disposal_eraser(erase: Eraser) -> Eraser:
    _erasers.append(erase)
    return erase


def refusals_for(case) -> list[str]:
    """Why the case's record may not be disposed of yet (empty: it may)."""
    return [reason for check in _refusals if (reason := check(case))]


def erase_elsewhere(case) -> None:
    for erase in _erasers:
        erase(case)


def blank_text(queryset: models.QuerySet, *, also: Iterable[str] = ()) -> int:
    """Empty every free-text field (``TextField``) of the rows, and the fields named in
    ``also``: what people wrote about someone, which is where the personal data of a record
    lies, while the rows (dates, kinds, who recorded them) stay as the record's bare outline."""
    model = queryset.model
    empty = {
        field.name: field.get_default() if field.has_default() else ""
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) or field.name in set(also)
    }
    return queryset.update(**empty) if empty else 0
