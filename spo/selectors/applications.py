"""Reads about applications: the solicitor's list and its filters, the orders list of those who
only read them, an application's page, and the panel on the case page.

Every read starts from ``access.applications_visible_to``: what a user may not see is not there.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from referrals.models import Case
from stalking_clinic.access import Perm, can

from ..access import applications_visible_to
from ..models import Application, Breach, Condition, Hearing
from ..services.applications import ALLOWED_MOVES


def next_hearing() -> Subquery:
    """For an application query: when its next hearing starts (None without one to come)."""
    return Subquery(
        Hearing.objects.filter(application=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def applications_filtered(
    user, *, stage: str = "", kind: str = "", court: str = "", mine: bool = False
) -> QuerySet[Application]:
    """The solicitor's list: the applications ``user`` sees, with their next hearing, filtered
    by stage, kind, court (any part of its name) and, with ``mine``, those ``user`` prepares or
    is the officer in."""
    applications = (
        applications_visible_to(user)
        .select_related("case", "defendant", "solicitor")
        .annotate(next_hearing=next_hearing())
    )
    if stage:
        applications = applications.filter(stage=stage)
    if kind:
        applications = applications.filter(kind=kind)
    if court:
        applications = applications.filter(court__icontains=court)
    if mine:
        applications = applications.filter(Q(solicitor=user) | Q(officer_in_case=user))
    return applications


def applications_with_orders(user) -> QuerySet[Application]:
    """The orders list: the applications ``user`` sees, with their orders and next hearing."""
    return (
        applications_visible_to(user)
        .select_related("case", "defendant")
        .annotate(next_hearing=next_hearing())
        .prefetch_related("orders")
    )


def conditions_by_kind(application: Application) -> tuple[list[Condition], list[Condition]]:
    """The application's prohibitions and its requirements, each in their order."""
    conditions = list(application.conditions.all())
    return (
        [c for c in conditions if c.kind == Condition.Kind.PROHIBITION],
        [c for c in conditions if c.kind == Condition.Kind.REQUIREMENT],
    )


def application_page(application: Application, *, user, today: datetime.date) -> dict:
    """An application's page for ``user``: its people, stages, conditions, orders (each marked
    in force or not on ``today``, with its notifications marked overdue), hearings, breaches,
    the later applications concerning its orders, and where it may move next."""
    orders = list(
        application.orders.prefetch_related(
            "notifications", Prefetch("breaches", queryset=Breach.objects.order_by("occurred_on"))
        )
    )
    for order in orders:
        order.in_force = order.in_force_on(today)
        for notification in order.notifications.all():
            notification.overdue = notification.received_on is None and notification.due_on < today
    prohibitions, requirements = conditions_by_kind(application)
    return {
        "application": application,
        "can_change": can(user, Perm.SPO),
        "protected_people": list(application.protected_people.all()),
        "stage_changes": list(application.stage_changes.select_related("by")),
        "prohibitions": prohibitions,
        "requirements": requirements,
        "orders": orders,
        "hearings": list(application.hearings.all()),
        "breaches": [breach for order in orders for breach in order.breaches.all()],
        "later_applications": list(
            Application.objects.filter(order__application=application).order_by("created_at")
        ),
        "allowed_moves": ALLOWED_MOVES.get(application.stage, frozenset()),
        "now": timezone.now(),
    }


def applications_panel(case: Case, *, user) -> dict | None:
    """The case page's protection orders panel: the case's applications ``user`` sees, and
    whether they may start one; None when there is nothing for them there."""
    if not can(user, Perm.SPO_ORDERS_VIEW):
        return None
    applications = list(applications_visible_to(user).filter(case=case).select_related("defendant"))
    can_start = can(user, Perm.SPO)
    if not applications and not can_start:
        return None
    return {
        "template": "spo/includes/case_panel.html",
        "applications": applications,
        "can_start": can_start,
    }
