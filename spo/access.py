"""Who sees and who changes SPO applications: the record rules of the protection orders area.

- Solicitor, coordinator and tactical lead see every application and change them (``Perm.SPO``).
- The officer in the case sees the applications naming them as officer, read only.
- A partner agency member sees, read only, the applications on cases shared with their agency
  with the "Stalking protection orders" section.
- Anyone else: as if the application did not exist (404).

A part of an application (condition, order, hearing; an order's notification or breach) is seen
and changed by whoever sees and changes the application.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from referrals.models import Share
from stalking_clinic.access import Perm, can
from stalking_clinic.access.rules import record_rule
from stalking_clinic.accounts.models import Role

from .models import Application, Breach, Condition, Hearing, Notification, Order


def applications_visible_to(user) -> QuerySet[Application]:
    if can(user, Perm.SPO):
        return Application.objects.all()
    if not can(user, Perm.SPO_ORDERS_VIEW):
        return Application.objects.none()
    allowed = Q(officer_in_case=user)
    if Role.PARTNER in user.roles and user.agency_id:
        allowed |= Q(
            Exists(
                Share.objects.filter(
                    case=OuterRef("case"),
                    agency_id=user.agency_id,
                    sections__contains=[Share.Section.ORDERS],
                )
            )
        )
    return Application.objects.filter(allowed)


def get_application_for_user(user, pk, *, write: bool = False) -> Application:
    """The application, if the user may see it (else 404); ``write`` needs Perm.SPO (else 403)."""
    application = (
        applications_visible_to(user)
        .select_related("case", "case__victim", "defendant", "solicitor", "officer_in_case")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application")
    if write and not can(user, Perm.SPO):
        raise PermissionDenied
    return application


def _part_for_user(user, queryset: QuerySet, pk, *, write: bool, of_order: bool = False):
    """The part (404 if there is none), given its application as ``get_application_for_user``
    returns it: on the part itself, or ``of_order`` on the part's order."""
    part = get_object_or_404(queryset, pk=pk)
    holder = part.order if of_order else part
    holder.application = get_application_for_user(user, holder.application_id, write=write)
    return part


def get_condition_for_user(user, pk, *, write: bool = False) -> Condition:
    return _part_for_user(user, Condition.objects.all(), pk, write=write)


def get_order_for_user(user, pk, *, write: bool = False) -> Order:
    return _part_for_user(user, Order.objects.all(), pk, write=write)


def get_hearing_for_user(user, pk, *, write: bool = False) -> Hearing:
    return _part_for_user(user, Hearing.objects.all(), pk, write=write)


def get_notification_for_user(user, pk, *, write: bool = False) -> Notification:
    queryset = Notification.objects.select_related("order")
    return _part_for_user(user, queryset, pk, write=write, of_order=True)


def get_breach_for_user(user, pk, *, write: bool = False) -> Breach:
    queryset = Breach.objects.select_related("order")
    return _part_for_user(user, queryset, pk, write=write, of_order=True)


@record_rule(Perm.SPO_ORDERS_VIEW)
def _may_see_application(user, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()
