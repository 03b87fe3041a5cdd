"""The case page: what it shows a user, assembled from each part's panel.

Which parts a user sees follows their sections of the case (``access.case_sections_for``): those
who see the whole case see everything and may act on it; a partner agency sees only the sections
shared with it. Other areas' panels (``referrals.case_panels``) are added by the view.
"""

from __future__ import annotations

from django.db.models import F

from stalking_clinic.access import Perm, can

from ..access import case_sections_for
from ..models import Case, Share
from ..timeline import timeline_for
from .allocation import allocation_panel
from .assessments import assessments_panel
from .case_status import outcomes_panel, status_panel
from .cases import needs_isac_referral
from .people import people_panel
from .risk import risk_panel
from .safety import safety_panel


def case_page(case: Case, *, user) -> dict:
    """The case page's context for ``user``, less its forms and other areas' panels."""
    sections = case_sections_for(user, case)
    full = sections.whole
    return {
        "case": case,
        "sections": sections,
        "full_access": full,
        "can_see_access_log": can(user, Perm.ACCESS_LOG_VIEW),
        "timeline": timeline_for(case, sections),
        "assessments_panel": assessments_panel(case, user=user)
        if Share.Section.ASSESSMENTS in sections
        else None,
        "safety_panel": safety_panel(case, user=user)
        if sections & {Share.Section.SAFETY_PLAN, Share.Section.VICTIM_VOICE}
        else None,
        "risk_panel": risk_panel(case, user=user, full_access=full)
        if Share.Section.SUMMARY in sections
        else None,
        "people_panel": people_panel(case, user=user) if full else None,
        "status_panel": status_panel(case, user=user, sections=sections),
        "outcomes_panel": outcomes_panel(case, user=user, sections=sections),
        "shares": case.shares.select_related("agency") if full else [],
        "agency_referrals": case.agency_referrals.select_related("agency") if full else [],
        "can_note": full and can(user, Perm.CASE_NOTE),
        "can_share": full and can(user, Perm.SHARE),
        "can_view_people": can(user, Perm.PEOPLE_VIEW),
        "can_refer_isac": can(user, Perm.TRIAGE),
        "needs_isac": full and needs_isac_referral(case),
        "new_log_entries": full and case.findings.filter(updated_at__gt=F("reviewed_at")).exists(),
        "allocation": allocation_panel(case, user=user) if full else None,
    }
