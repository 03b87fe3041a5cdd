"""Risk assessments on a case: record (S-DASH, DASH, SRP), read, amend; the case page's panel.

Who may use them:
- record and amend: ISACs and coordinators (``Perm.ASSESS``) with full access to the case;
- read: anyone who sees the case with its "assessments" section (a partner only if shared).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from stalking_clinic.access import Perm, can, require
from stalking_clinic.services import ServiceError

from ..access import ALL_SECTIONS, case_sections_for, get_case_for_user
from ..forms.assessments import assessment_form, initial_from
from ..models import Case, Instrument, QuestionSet, Relationship, RiskAssessment
from ..selectors import needs_isac_referral
from ..services.assessments import (
    SRP_DOMAINS,
    assessment_record,
    current_question_set,
)

ASSESSMENTS = "assessments"

# What the case page offers, in this order.
INSTRUMENT_HINTS = {
    Instrument.SDASH: "Stalking screening: two or more incidents, or the victim is very frightened",
    Instrument.SRP: "Structured professional judgement by a trained assessor",
    Instrument.DASH: "For ex-partner cases",
}


def _get_assessment_for_user(user, pk, *, write: bool = False):
    """The assessment and the case sections the user sees, if they may see the assessment
    (else 404); ``write`` also requires that they may assess on the case (else 403)."""
    assessment = (
        RiskAssessment.objects.select_related(
            "question_set", "assessed_by", "amends", "amended_by__assessed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    case = get_case_for_user(user, assessment.case_id, write=write, perm=Perm.ASSESS)
    sections = case_sections_for(user, case)
    if ASSESSMENTS not in sections:
        raise Http404("No such assessment")
    assessment.case = case
    return assessment, sections


def _may_assess(user, case: Case, sections) -> bool:
    return can(user, Perm.ASSESS) and sections == ALL_SECTIONS and case.status == Case.Status.OPEN


def _record_form(request, *, case: Case, question_set: QuestionSet, amends=None):
    """GET: the form (prefilled from ``amends``). POST: save, or show the form with errors."""
    amending = amends is not None
    form = assessment_form(
        question_set,
        amending=amending,
        data=request.POST if request.method == "POST" else None,
        initial=initial_from(amends) if amending else None,
    )
    if form.is_bound and form.is_valid():
        try:
            assessment = assessment_record(
                case=case,
                instrument=question_set.instrument,
                by=request.user,
                amends=amends,
                **form.service_kwargs(),
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                f"{assessment.get_instrument_display()} saved: "
                f"{assessment.get_risk_level_display().lower()} risk.",
            )
            return redirect("referrals:case_detail", case.pk)
    request.audit.consulted(case)
    if amending:
        request.audit.consulted(amends)  # the form shows what the earlier assessment said
    return render(
        request,
        "referrals/assessments/form.html",
        {
            "form": form,
            "case": case,
            "question_set": question_set,
            "amends": amends,
            "wording_changed": amending and amends.question_set_id != question_set.pk,
        },
    )


@require(Perm.ASSESS, shows_personal_data=True)
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


@require(Perm.ASSESS, shows_personal_data=True)
def assessment_amend(request, pk):
    """Amend an assessment: a new assessment, prefilled from this one, which stays as it was."""
    original, _sections = _get_assessment_for_user(request.user, pk, write=True)
    if hasattr(original, "amended_by"):
        messages.info(request, "That assessment has already been amended: this is the latest.")
        return redirect("referrals:assessment_detail", _latest_version(original).pk)
    question_set = current_question_set(original.instrument)
    if question_set is None:
        raise Http404("No current wording for this instrument")
    return _record_form(request, case=original.case, question_set=question_set, amends=original)


def _latest_version(assessment: RiskAssessment) -> RiskAssessment:
    latest = assessment
    while True:
        newer = RiskAssessment.objects.filter(amends=latest).first()
        if newer is None:
            return latest
        latest = newer


@require(Perm.CASES_VIEW, shows_personal_data=True)
def assessment_detail(request, pk):
    """One assessment, with the wording of the version it used."""
    assessment, sections = _get_assessment_for_user(request.user, pk)
    case = assessment.case
    request.audit.consulted(assessment)
    answers = assessment.answers
    questions = [
        {
            "number": number,
            "text": question["text"],
            "answer": RiskAssessment.Answer(answers[question["key"]]).label
            if answers.get(question["key"])
            else "Not recorded",
            "is_yes": answers.get(question["key"]) == RiskAssessment.Answer.YES,
        }
        for number, question in enumerate(assessment.question_set.questions, start=1)
    ]
    wording = {q["key"]: q for q in assessment.question_set.questions}
    domains = [
        {
            "label": wording.get(domain, {}).get("text", domain.replace("_", " ").capitalize()),
            "level": getattr(assessment, f"get_{domain}_display")(),
            "value": getattr(assessment, domain),
            "rationale": getattr(assessment, f"{domain}_rationale"),
        }
        for domain in SRP_DOMAINS
    ]
    amended_by = getattr(assessment, "amended_by", None)
    return render(
        request,
        "referrals/assessments/detail.html",
        {
            "assessment": assessment,
            "case": case,
            "questions": questions if assessment.instrument != Instrument.SRP else [],
            "domains": domains if assessment.instrument == Instrument.SRP else [],
            "amended_by": amended_by,
            "can_amend": amended_by is None and _may_assess(request.user, case, sections),
        },
    )


def case_panel(case: Case, *, user) -> dict:
    """Context for the case page's assessments panel (``assessments_panel`` in the template).

    A fixed number of queries whatever the number of assessments.
    """
    sections = case_sections_for(user, case)
    if ASSESSMENTS not in sections:
        return {"visible": False, "assessments": [], "can_assess": False}
    assessments = list(
        RiskAssessment.objects.filter(case=case)
        .select_related("assessed_by", "question_set", "amended_by")
        .order_by("-assessed_at", "-id")
    )
    can_assess = _may_assess(user, case, sections)
    rows = [
        {
            "assessment": assessment,
            "url": reverse("referrals:assessment_detail", args=[assessment.pk]),
            "is_amended": hasattr(assessment, "amended_by"),
            "is_latest": index == 0,
        }
        for index, assessment in enumerate(assessments)
    ]
    instruments = []
    if can_assess:
        loaded = set(
            QuestionSet.objects.filter(is_current=True).values_list("instrument", flat=True)
        )
        instruments = [
            {
                "code": instrument.value,
                "label": instrument.label,
                "hint": hint,
                "url": reverse("referrals:assessment_new", args=[case.pk, instrument.value]),
                "suggested": instrument == Instrument.DASH
                and case.relationship == Relationship.EX_PARTNER,
            }
            for instrument, hint in INSTRUMENT_HINTS.items()
            if instrument.value in loaded
        ]
    return {
        "visible": True,
        "case": case,
        "assessments": rows,
        "latest": assessments[0] if assessments else None,
        "can_assess": can_assess,
        "instruments": instruments,
        "needs_isac_referral": needs_isac_referral(case),
    }


urlpatterns = [
    path(
        "cases/<int:case_pk>/assessments/<str:instrument>/new/",
        assessment_new,
        name="assessment_new",
    ),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/amend/", assessment_amend, name="assessment_amend"),
]
