"""Reads about risk assessments: the current wording of each instrument, the case page's
assessments panel, an assessment's page and the latest amendment of an assessment."""

from __future__ import annotations

from django.urls import reverse

from ..access import case_sections_for, may_assess
from ..models import Case, Instrument, QuestionSet, Relationship, RiskAssessment, Share
from ..models.assessments import SRP_DOMAINS
from .cases import needs_isac_referral

# What the case page offers, in this order.
INSTRUMENT_HINTS = {
    Instrument.SDASH: "Stalking screening: two or more incidents, or the victim is very frightened",
    Instrument.SRP: "Structured professional judgement by a trained assessor",
    Instrument.DASH: "For ex-partner cases",
}


def current_question_set(instrument: str) -> QuestionSet | None:
    """The wording an assessment with ``instrument`` is recorded against now (None: not loaded)."""
    return QuestionSet.objects.filter(instrument=instrument, is_current=True).first()


def assessments_panel(case: Case, *, user) -> dict:
    """Context for the case page's assessments panel (``assessments_panel`` in the template).

    A fixed number of queries whatever the number of assessments.
    """
    sections = case_sections_for(user, case)
    if Share.Section.ASSESSMENTS not in sections:
        return {"visible": False, "assessments": [], "can_assess": False}
    assessments = list(
        RiskAssessment.objects.filter(case=case)
        .select_related("assessed_by", "question_set", "amended_by")
        .order_by("-assessed_at", "-id")
    )
    can_assess = may_assess(user, case, sections)
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


def assessment_page(assessment: RiskAssessment, *, user, sections) -> dict:
    """An assessment's page: each question in the wording of the version it used with its answer
    (S-DASH, DASH) or each domain's judgement with its rationale (SRP), and whether ``user``,
    who sees ``sections`` of its case, may amend it."""
    case = assessment.case
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
    return {
        "assessment": assessment,
        "case": case,
        "questions": questions if assessment.instrument != Instrument.SRP else [],
        "domains": domains if assessment.instrument == Instrument.SRP else [],
        "amended_by": amended_by,
        "can_amend": amended_by is None and may_assess(user, case, sections),
    }


def latest_amendment(assessment: RiskAssessment) -> RiskAssessment:
    """The newest assessment in the chain of amendments starting at ``assessment``."""
    latest = assessment
    while True:
        newer = RiskAssessment.objects.filter(amends=latest).first()
        if newer is None:
            return latest
        latest = newer
