"""Who sees and who changes SPO applications: the record rules of the protection orders area.

- Solicitor, coordinator and tactical lead see every application and change them (``Perm.SPO``).
- The officer in the case sees the applications naming them as officer, read only.
- A partner agency member sees, read only, the applications on cases shared with their agency
  with the "Stalking protection orders" section.
- Anyone else: as if the application did not exist (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from referrals.models import Share
from stalking_clinic.access import Perm, can
from stalking_clinic.access.rules import record_rule
from stalking_clinic.accounts.models import Role

from .models import Application


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


@record_rule(Perm.SPO_ORDERS_VIEW)
def _may_see_application(user, application: Application) -> bool:
    return applications_visible_to(user).filter(pk=application.pk).exists()
