"""Reads of the CPD log: one person's entries with their hours in the last 12 months, and, for
the coordinator and tactical lead, every member of staff's hours (for supervision)."""

from __future__ import annotations

import datetime
import decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from stalking_clinic.access import Perm
from stalking_clinic.access.rules import ROLE_PERMISSIONS
from stalking_clinic.accounts.models import User

from ..access import cpd_entries_visible_to, manages_training


def staff_totals(since: datetime.date) -> list[User]:
    """Every active member of staff who keeps a CPD log, with their entries
    (``recent_entries``) and hours (``recent_hours``) since ``since`` (one query)."""
    roles = [str(role) for role in ROLE_PERMISSIONS[Perm.CPD]]
    recent = Q(cpd_entries__done_on__gte=since)
    return list(
        User.objects.filter(is_active=True, roles__overlap=roles)
        .annotate(
            recent_hours=Sum("cpd_entries__hours", filter=recent),
            recent_entries=Count("cpd_entries", filter=recent),
        )
        .order_by("first_name", "last_name", "username")
    )


def cpd_log(user, *, asked: str = "") -> dict:
    """The CPD log page: whose log it is (``person``: the user's own, or, for the managers, the
    member of staff whose id is ``asked``), its ``entries`` (latest first, to be paged), the
    hours and entries in the 12 months ``since`` a year ago, and for the managers every member
    of staff's totals (``staff``)."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    manager = manages_training(user)
    staff = staff_totals(since) if manager else []
    chosen = int(asked) if asked.isdigit() else None
    person = next((member for member in staff if member.pk == chosen), None) or user
    entries = cpd_entries_visible_to(user).filter(user=person).order_by("-done_on", "-id")
    totals = entries.aggregate(
        hours=Sum("hours", filter=Q(done_on__gte=since)),
        count=Count("pk", filter=Q(done_on__gte=since)),
    )
    return {
        "person": person,
        "own": person.pk == user.pk,
        "entries": entries,
        "recent_hours": totals["hours"] or decimal.Decimal("0"),
        "recent_count": totals["count"],
        "since": since,
        "staff": staff,
        "manager": manager,
    }
