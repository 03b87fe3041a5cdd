"""Factories for risk assessments: DASH and SRP wording, and recorded assessments."""

import factory
from django.utils import timezone

from referrals.models import QuestionSet, RiskAssessment
from referrals.models.assessments import SRP_DOMAINS

from ..factories import UserFactory
from .factories import SDASH_KEYS, CaseFactory, QuestionSetFactory

DASH_KEYS = [f"dash_{n}" for n in range(1, 25)]


class DashQuestionSetFactory(QuestionSetFactory):
    instrument = "dash"
    title = "DASH (test wording)"
    questions = factory.LazyFunction(
        lambda: [{"key": key, "text": f"Test DASH question {key}?"} for key in DASH_KEYS]
    )
    thresholds = factory.LazyFunction(lambda: {"medium": 10, "high": 14})


class SRPQuestionSetFactory(QuestionSetFactory):
    instrument = "srp"
    title = "Stalking Risk Profile (test wording)"
    questions = factory.LazyFunction(
        lambda: [
            {"key": key, "text": f"Risk of {key}", "hint": f"Guidance on {key}"}
            for key in SRP_DOMAINS
        ]
    )
    thresholds = factory.LazyFunction(dict)


def sdash_answers(yes: int = 0, *, not_known: int = 0) -> dict:
    """Answers to the test S-DASH: the first ``yes`` questions yes, then ``not_known``, rest no."""
    answers = {}
    for index, key in enumerate(SDASH_KEYS):
        if index < yes:
            answers[key] = "yes"
        elif index < yes + not_known:
            answers[key] = "not_known"
        else:
            answers[key] = "no"
    return answers


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """An S-DASH as stored (bypasses the service: for reads, not for rules)."""

    class Meta:
        model = RiskAssessment

    case = factory.SubFactory(CaseFactory)
    instrument = "sdash"
    question_set = factory.LazyFunction(
        lambda: (
            QuestionSet.objects.filter(instrument="sdash", is_current=True).first()
            or QuestionSetFactory()
        )
    )
    assessed_by = factory.SubFactory(UserFactory, roles=["coordinator"])
    assessed_at = factory.LazyFunction(timezone.now)
    answers = factory.LazyFunction(lambda: sdash_answers(3))
    yes_count = 3
    indicated_level = "medium"
    risk_level = "medium"


__all__ = [
    "DASH_KEYS",
    "DashQuestionSetFactory",
    "RiskAssessmentFactory",
    "SRPQuestionSetFactory",
    "sdash_answers",
]
