"""Decisions on a case's risk, and the risk work waiting for someone.

Who may use these views:
- ``case_risk``: the case's owner, the coordinator and the tactical lead (``Perm.CASE_DECIDE``
  and its record rule), with the whole of an open case; anyone else who sees the case is refused
  (403); someone who may not know the case exists gets 404.
- ``risk_work``: anyone who sees cases (``Perm.CASES_VIEW``): their own cases past their risk
  review date, and the proposals waiting for their decision. It names cases by reference only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.dateformat import format as date_format

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_or_show

from ..access import get_case_for_user
from ..forms.risk import RiskDecisionForm
from ..models import RiskDecision
from ..selectors.risk import decision_page, may_decide_risk, risk_work_page
from ..services.risk import case_risk_decide


def _decided(decision: RiskDecision) -> str:
    level = decision.get_level_display().lower()
    review = date_format(decision.review_on, "j F Y")
    if decision.previous_level == decision.level:
        return f"Risk kept {level}. Next review by {review}."
    return f"Risk is now {level}. Next review by {review}."


@require(Perm.CASE_DECIDE, shows_personal_data=True, methods=POSTS)
def case_risk(request, pk):
    """Decide the case's risk: keep, raise or lower it, with reasons and a review date; the
    proposals waiting for a decision are shown above the form and answered by it."""
    case = get_case_for_user(request.user, pk, write=True, perm=Perm.CASE_DECIDE)
    if not may_decide_risk(request.user, case):
        raise PermissionDenied
    form = (
        RiskDecisionForm(request.POST)
        if request.method == "POST"
        else RiskDecisionForm(initial=RiskDecisionForm.initial_for(case))
    )

    def page(shown):
        request.audit.consulted(case)
        # ``case`` is read again when someone else changed it first: the page shows it as now.
        return render(
            request,
            "referrals/risk/decide.html",
            {**decision_page(case), "form": shown, "changed_meanwhile": shown is not form},
        )

    return save_or_show(
        request,
        form,
        case_risk_decide,
        done=_decided,
        then=reverse("referrals:case_detail", args=[case.pk]) + "#risk",
        page=page,
        record=case,
        case=case,
    )


@require(Perm.CASES_VIEW, shows_personal_data=True)
def risk_work(request):
    """The user's cases past their risk review date and the proposals waiting for them."""
    page = risk_work_page(request.user)
    request.audit.listed(
        [*page["overdue"], *(proposal.case for proposal in page["proposals"])],
        what="Risk work",
    )
    return render(request, "referrals/risk/work.html", page)


urlpatterns = [
    path("cases/<int:pk>/risk/", case_risk, name="case_risk"),
    path("cases/risk-work/", risk_work, name="risk_work"),
]
