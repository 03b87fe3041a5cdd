"""Writing to the audit log. Every service that collects, alters, discloses or erases calls
``record``; views log consultation through ``request.audit`` (see middleware)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from stalking_clinic.client_address import client_ip

from . import unusual
from .models import AuditEvent

Action = AuditEvent.Action


def describe(obj: Any) -> tuple[str, str, str]:
    """(type, id, label) for a record. Models may define ``audit_label`` (a reference, no name)."""
    if obj is None:
        return "", "", ""
    if isinstance(obj, models.Model):
        meta = obj._meta
        label = getattr(obj, "audit_label", None) or f"{meta.verbose_name.capitalize()} {obj.pk}"
        return meta.label_lower, str(obj.pk), str(label)[:200]
    raise TypeError(f"Cannot audit {type(obj).__name__}; pass a model instance")


def reference(obj: Any) -> str:
    """A record's reference in ``AuditEvent.records``: ``"app.model:id"`` (no name)."""
    if isinstance(obj, str):  # already a reference (``reference_for``)
        return obj
    if not isinstance(obj, models.Model):
        raise TypeError(f"Cannot audit {type(obj).__name__}; pass a model instance")
    return reference_for(type(obj), obj.pk)


def reference_for(model, pk) -> str:
    """``reference`` of the record ``pk`` of ``model``, without loading it."""
    return f"{model._meta.label_lower}:{pk}"


def download_recipient(user) -> str:
    """Whom a user's download for their own work is disclosed to: their agency, or, without one,
    themselves."""
    return str(user.agency) if user.agency_id else user.username


def record(
    *,
    actor,
    action: str,
    obj: Any = None,
    changed_fields: Iterable[str] = (),
    recipient: str = "",
    justification: str = "",
    request=None,
    records: Iterable[str] = (),
    search_terms: str = "",
    break_glass: bool = False,
    label: str = "",
    record_type: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log. ``records``: the references (``reference(obj)``) of
    the other records the event concerns, e.g. every row a list showed; without ``obj``,
    ``label`` and ``record_type`` say what they were (e.g. "Case list: 20 shown")."""
    object_type, object_id, object_label = describe(obj)
    if obj is None:
        object_type, object_label = record_type, label[:200]
    if action == Action.DISCLOSURE and not recipient:
        raise ValueError("A disclosure must name its recipient")
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changed_fields=sorted(changed_fields),
        changes=changes or {},
        recipient=recipient,
        justification=justification,
        records=list(dict.fromkeys(records)),
        search_terms=search_terms[:200],
        break_glass=break_glass,
        path=request.path[:300] if request is not None else "",
        ip_address=client_ip(request),
    )
    unusual.check_after(event)
    return event
