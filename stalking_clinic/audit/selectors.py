"""Reading the audit log: filtered, newest first (keyset-paged by id, so it stays fast at any
size)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent
from .services import reference_for

PAGE_SIZE = 50


def audit_events(
    *,
    username: str = "",
    record_type: str = "",
    record_id: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if username:
        events = events.filter(actor__username=username)
    if record_type:
        events = events.filter(object_type=record_type)
    if record_id:
        events = events.filter(object_id=record_id)
    if action:
        events = events.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz))
    if date_to:
        day_after = date_to + datetime.timedelta(days=1)
        events = events.filter(at__lt=datetime.datetime.combine(day_after, datetime.time.min, tz))
    return events


def record_types() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def events_about(model, pk) -> QuerySet[AuditEvent]:
    """Every event about the record ``pk`` of ``model``, newest first: those naming it as their
    record, and those listing it among their ``records`` (a list or search it appeared on, a case
    page showing the person). Both conditions are indexed (``audit_object_idx``, the GIN index
    on ``records``)."""
    return (
        AuditEvent.objects.select_related("actor")
        .filter(
            Q(object_type=model._meta.label_lower, object_id=str(pk))
            | Q(records__contains=[reference_for(model, pk)])
        )
        .order_by("-id")
    )
