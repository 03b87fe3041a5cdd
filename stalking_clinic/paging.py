"""Long lists a page at a time, with one ``Page`` and one template (``includes/pagination.html``).

Two ways to page:

- ``keyset_page`` for lists that grow with the force (the triage queue, log findings, the audit
  log): a page is the rows after (or before) a position in the list's order, so every page is an
  index range scan however deep it is, and a row added meanwhile neither repeats nor hides one.
  The position travels in the address, so the order may only use fields that say nothing about a
  person (ranks, scores, times, ids), and must end with the primary key so it is total.
- ``numbered_page`` for lists of hundreds (sessions, officers, a CPD log): Django's paginator,
  with "Page 2 of 7".

Either keeps the list's other query parameters (its filters) in the links it makes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet

AFTER, BEFORE, PAGE = "after", "before", "page"


@dataclass
class Page:
    """One page: its ``rows`` and the links to the pages either side (None at either end)."""

    rows: list
    previous_link: str | None = None
    next_link: str | None = None
    # "Page 2 of 7", for numbered pages.
    summary: str = ""
    # Everything in the list, for numbered pages (a keyset page never counts: it need not).
    total: int | None = field(default=None)


def _link(request, drop: tuple[str, ...], **set_to: Any) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in set_to.items():
        params[key] = str(value)
    return "?" + params.urlencode()


def numbered_page(request, queryset, *, size: int) -> Page:
    """The page of ``queryset`` named by ``?page=`` (the first for anything else)."""
    page = Paginator(queryset, size).get_page(request.GET.get(PAGE))
    return Page(
        rows=list(page.object_list),
        previous_link=_link(request, (), page=page.previous_page_number())
        if page.has_previous()
        else None,
        next_link=_link(request, (), page=page.next_page_number()) if page.has_next() else None,
        summary=f"Page {page.number} of {page.paginator.num_pages}",
        total=page.paginator.count,
    )


class _Order:
    """The ordered fields of a queryset: how to read a row's position, write it into a link,
    read it back, and select the rows after or before it."""

    def __init__(self, queryset: QuerySet):
        names = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        if not names or names[-1].lstrip("-") not in {"id", "pk"}:
            raise ImproperlyConfigured(
                f"A keyset-paged list must be ordered ending with its id, not {names}."
            )
        self.descending = [name.startswith("-") for name in names]
        self.names = [name.lstrip("-").replace("pk", "id") for name in names]
        self.fields = [queryset.model._meta.get_field(name) for name in self.names]
        for model_field in self.fields:
            if isinstance(model_field, models.CharField | models.TextField):
                raise ImproperlyConfigured(
                    f"{model_field.name} would put text (perhaps a name) into the address: "
                    "page by ranks, times, scores and ids only."
                )

    def position(self, row) -> str:
        values = [getattr(row, model_field.attname) for model_field in self.fields]
        raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def read(self, raw: str | None) -> list | None:
        """The values of a position from a link, or None for a missing or mangled one."""
        if not raw:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            if not isinstance(values, list) or len(values) != len(self.fields):
                return None
            return [f.to_python(v) for f, v in zip(self.fields, values, strict=True)]
        except (binascii.Error, UnicodeDecodeError, ValueError, ValidationError, TypeError):
            return None

    def beyond(self, values: list, *, forwards: bool) -> Q:
        """The rows after ``values`` in the list's order (or before them, backwards)."""
        beyond = Q(pk__in=[])
        for i, name in enumerate(self.names):
            later = self.descending[i] != forwards  # ascending and forwards: greater
            step = Q(**{f"{name}__{'gt' if later else 'lt'}": values[i]})
            for j in range(i):
                step &= Q(**{self.names[j]: values[j]})
            beyond |= step
        return beyond

    def reversed(self) -> list[str]:
        pairs = zip(self.names, self.descending, strict=True)
        return [name if descending else f"-{name}" for name, descending in pairs]


def keyset_page(request, queryset: QuerySet, *, size: int) -> Page:
    """The page of ``queryset`` (ordered, ending with its id) after ``?after=`` or before
    ``?before=`` a position; the first page for neither or a mangled one."""
    order = _Order(queryset)
    after = order.read(request.GET.get(AFTER))
    before = None if after else order.read(request.GET.get(BEFORE))
    if before is not None:
        rows = list(
            queryset.filter(order.beyond(before, forwards=False)).order_by(*order.reversed())[
                : size + 1
            ]
        )
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        more_after, has_previous = bool(rows), more_before
    else:
        if after is not None:
            queryset = queryset.filter(order.beyond(after, forwards=True))
        rows = list(queryset[: size + 1])
        more_after = len(rows) > size
        rows = rows[:size]
        has_previous = after is not None and bool(rows)
    drop = (AFTER, BEFORE)
    return Page(
        rows=rows,
        previous_link=_link(request, drop, before=order.position(rows[0]))
        if has_previous
        else None,
        next_link=_link(request, drop, after=order.position(rows[-1])) if more_after else None,
    )
