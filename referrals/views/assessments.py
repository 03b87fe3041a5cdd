"""Risk assessments on a case: record (S-DASH, DASH, SRP), read, amend.

Who may use them:
- record and amend: ISACs and coordinators (``Perm.ASSESS``) with full access to the case;
- read: anyone who sees the case with its "assessments" section (a partner only if shared).
The case page shows them in its assessments panel (``selectors.assessments.assessments_panel``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_through_service

from ..access import get_assessment_for_user, get_case_for_user
from ..forms.assessments import assessment_form, initial_from
from ..models import Case, Instrument, QuestionSet, RiskAssessment
from ..selectors.assessments import assessment_page, current_question_set, latest_amendment
from ..services.assessments import assessment_record


def _record_form(request, *, case: Case, question_set: QuestionSet, amends=None):
    """GET: the form (prefilled from ``amends``). POST: save, or show the form with errors."""
    amending = amends is not None
    form = assessment_form(
        question_set,
        amending=amending,
        data=request.POST if request.method == "POST" else None,
        initial=initial_from(amends) if amending else None,
    )
    outcome = save_through_service(
        request,
        form,
        assessment_record,
        case=case,
        instrument=question_set.instrument,
        by=request.user,
        amends=amends,
    )
    if outcome.saved:
        messages.success(request, _saved_message(outcome.result, case))
        return redirect("referrals:case_detail", case.pk)
    request.audit.consulted(case)
    if amending:
        request.audit.consulted(amends)  # the form shows what the earlier assessment said
    return render(
        request,
        "referrals/assessments/form.html",
        {
            "form": outcome.form,
            "case": case,
            "question_set": question_set,
            "amends": amends,
            "wording_changed": amending and amends.question_set_id != question_set.pk,
        },
    )


def _saved_message(assessment: RiskAssessment, case: Case) -> str:
    """What the assessor is told: the level judged, and what it did to the case's risk."""
    judged = assessment.get_risk_level_display().lower()
    said = f"{assessment.get_instrument_display()} saved: {judged} risk."
    if assessment.proposal == RiskAssessment.Proposal.PENDING:
        return (
            f"{said} The case stays {case.get_risk_level_display().lower()} until its owner "
            f"({case.owner.display_name}) decides whether to lower it to {judged}."
        )
    if assessment.risk_decisions.exists():
        return f"{said} The case's risk is now {judged}."
    return said


@require(Perm.ASSESS, shows_personal_data=True, methods=POSTS)
def assessment_new(request, case_pk, instrument):
    """Record an S-DASH, DASH or Stalking Risk Profile on the case."""
    if instrument not in Instrument.values:
        raise Http404("No such instrument")
    case = get_case_for_user(request.user, case_pk, write=True, perm=Perm.ASSESS)
    question_set = current_question_set(instrument)
    if question_set is None:
        request.audit.consulted(case)
        return render(
            request,
            "referrals/assessments/form.html",
            {"case": case, "instrument_label": Instrument(instrument).label},
        )
    return _record_form(request, case=case, question_set=question_set)


@require(Perm.ASSESS, shows_personal_data=True, methods=POSTS)
def assessment_amend(request, pk):
    """Amend an assessment: a new assessment, prefilled from this one, which stays as it was."""
    original, _sections = get_assessment_for_user(request.user, pk, write=True)
    if hasattr(original, "amended_by"):
        messages.info(request, "That assessment has already been amended: this is the latest.")
        return redirect("referrals:assessment_detail", latest_amendment(original).pk)
    question_set = current_question_set(original.instrument)
    if question_set is None:
        raise Http404("No current wording for this instrument")
    return _record_form(request, case=original.case, question_set=question_set, amends=original)


@require(Perm.CASES_VIEW, shows_personal_data=True)
def assessment_detail(request, pk):
    """One assessment, with the wording of the version it used."""
    assessment, sections = get_assessment_for_user(request.user, pk)
    request.audit.consulted(assessment)
    return render(
        request,
        "referrals/assessments/detail.html",
        assessment_page(assessment, user=request.user, sections=sections),
    )


urlpatterns = [
    path(
        "cases/<int:case_pk>/assessments/<str:instrument>/new/",
        assessment_new,
        name="assessment_new",
    ),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/amend/", assessment_amend, name="assessment_amend"),
]
