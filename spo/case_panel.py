"""The case page's protection orders panel: the case's SPO applications and their stage."""

from referrals.case_panels import case_panel
from stalking_clinic.access import Perm, can

from .access import applications_visible_to


@case_panel
def spo_applications(request, case) -> dict | None:
    user = request.user
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
