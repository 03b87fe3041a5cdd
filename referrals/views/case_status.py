"""A case's life: closing, reopening and keeping it closed, the closed cases with new
information, and its criminal justice outcomes.

Who may use these views: those who decide on the case (``Perm.CASE_DECIDE`` for the case: its
owner, the coordinator and the tactical lead). Someone who may not know the case exists gets 404;
someone who sees it but does not decide on it, 403. ``closed_with_new_information`` lists the
closed cases the user decides on.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.service_forms import save_or_show

from ..access import cases_visible_to, get_case_for_user
from ..forms.case_status import CloseCaseForm, KeepClosedForm, OutcomeForm, ReopenCaseForm
from ..models import Case
from ..selectors.case_status import cases_decided_on_by, closed_cases_with_new_information
from ..services.case_status import case_close, case_keep_closed, case_reopen
from ..services.outcomes import outcome_record

LIST_LIMIT = 200


def _case_to_decide_on(user, pk) -> Case:
    """The case, if ``user`` may see it (else 404) and decide on it (else 403)."""
    case = get_case_for_user(user, pk, write=True, perm=Perm.CASE_DECIDE)
    if not can(user, Perm.CASE_DECIDE, case):
        raise PermissionDenied
    return case


def _on_case(request, case, form, service, /, *, template, done, record=None):
    """A page of its own for an act on ``case`` through ``service``: once saved, ``done`` and back
    to the case; otherwise ``template`` with the form and its refusal (after a refused stale save,
    the case as it is now)."""

    def page(shown):
        return render(request, template, {"case": case, "form": shown})

    return save_or_show(
        request,
        form,
        service,
        case=case,
        record=record,
        done=done,
        then=reverse("referrals:case_detail", args=[case.pk]),
        page=page,
    )


@require(Perm.CASE_DECIDE, methods=POSTS)
def close(request, pk):
    case = _case_to_decide_on(request.user, pk)
    form = CloseCaseForm(request.POST or None, case=case, initial={"version": case.version})
    return _on_case(
        request,
        case,
        form,
        case_close,
        template="referrals/case/close.html",
        done=f"Case {case.reference} closed.",
        record=case,
    )


@require(Perm.CASE_DECIDE, methods=POSTS)
def reopen(request, pk):
    case = _case_to_decide_on(request.user, pk)
    form = ReopenCaseForm(request.POST or None, initial={"version": case.version})
    return _on_case(
        request,
        case,
        form,
        case_reopen,
        template="referrals/case/reopen.html",
        done=f"Case {case.reference} reopened.",
        record=case,
    )


@require(Perm.CASE_DECIDE, methods=POSTS)
def keep_closed(request, pk):
    case = _case_to_decide_on(request.user, pk)
    form = KeepClosedForm(request.POST or None, initial={"version": case.version})
    return _on_case(
        request,
        case,
        form,
        case_keep_closed,
        template="referrals/case/keep_closed.html",
        done=f"Case {case.reference} stays closed.",
        record=case,
    )


@require(Perm.CASE_DECIDE, methods=POSTS)
def outcome_add(request, pk):
    case = _case_to_decide_on(request.user, pk)
    return _on_case(
        request,
        case,
        OutcomeForm(request.POST or None),
        outcome_record,
        template="referrals/case/outcome_form.html",
        done=lambda outcome: f"{outcome.get_kind_display()} recorded on case {case.reference}.",
    )


@require(Perm.CASE_DECIDE, shows_personal_data=True)
def closed_with_new_information(request):
    cases = closed_cases_with_new_information(
        cases_decided_on_by(request.user, cases_visible_to(request.user))
    )
    shown = list(cases[: LIST_LIMIT + 1])
    request.audit.listed(
        shown[:LIST_LIMIT],
        what="Closed cases with new information",
        people=[case.victim for case in shown[:LIST_LIMIT]],
    )
    return render(
        request,
        "referrals/case/closed_with_new_information.html",
        {"cases": shown[:LIST_LIMIT], "more": len(shown) > LIST_LIMIT, "limit": LIST_LIMIT},
    )


urlpatterns = [
    path("cases/<int:pk>/close/", close, name="case_close"),
    path("cases/<int:pk>/reopen/", reopen, name="case_reopen"),
    path("cases/<int:pk>/keep-closed/", keep_closed, name="case_keep_closed"),
    path("cases/<int:pk>/outcomes/add/", outcome_add, name="outcome_add"),
    path(
        "cases/closed-with-new-information/",
        closed_with_new_information,
        name="closed_with_new_information",
    ),
]
