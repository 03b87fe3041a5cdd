"""What the documents hold: the application pack for the court and the order details for the
officer enforcing it. A protected person appears by name and date of birth only: their address
never goes into a document.
"""

from __future__ import annotations

from django.utils import timezone

from referrals.models import Person

from ..models import Application, Hearing, Order
from .applications import conditions_by_kind


def _protected_people(application: Application) -> list[Person]:
    # Names and dates of birth only: a protected person's address never goes into a document.
    return list(application.protected_people.only("first_name", "last_name", "date_of_birth"))


def _document(application: Application, *, recipient: str, user) -> dict:
    """What every document shows: the application, its case, defendant, the people it protects
    and its conditions; whom the document was produced for, and when."""
    prohibitions, requirements = conditions_by_kind(application)
    return {
        "application": application,
        "case": application.case,
        "defendant": application.defendant,
        "protected_people": _protected_people(application),
        "prohibitions": prohibitions,
        "requirements": requirements,
        "recipient": recipient,
        "produced_for": user,
        "generated_at": timezone.now(),
    }


def pack_context(application: Application, *, recipient: str, user) -> dict:
    """Everything the court needs to decide the application, in the order it is argued."""
    return {
        **_document(application, recipient=recipient, user=user),
        # Orders on every application of the case: a variation or renewal needs the history.
        "orders": Order.objects.filter(application__case=application.case).select_related(
            "application"
        ),
        "hearings": Hearing.objects.filter(application=application),
    }


def order_context(application: Application, order: Order, *, recipient: str, user) -> dict:
    """The order as the officer enforcing it needs it: its conditions, its notifications and
    whether it is in force today."""
    return {
        **_document(application, recipient=recipient, user=user),
        "order": order,
        "notifications": list(order.notifications.all()),
        "in_force": order.in_force_on(timezone.localdate()),
    }
