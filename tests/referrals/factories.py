"""Factories for the referrals area. Names are fictional."""

import factory
from django.utils import timezone

from referrals.models import Case, Person, QuestionSet, Referral, RiskLevel

from ..factories import AgencyFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    person_ref = factory.Sequence(lambda n: f"P9{n:05d}")
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Testperson"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    victim = factory.SubFactory(PersonFactory)
    relationship = "ex-partner"
    area = "Gloucester"
    risk_level = RiskLevel.MEDIUM
    owner = factory.SubFactory(UserFactory, roles=["coordinator"])

    @factory.post_generation
    def suspects(self, create, extracted, **kwargs):
        if create:
            self.suspects.set(extracted if extracted is not None else [PersonFactory()])


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    source = Referral.Source.OFFICER
    referred_by = factory.SubFactory(UserFactory, roles=["officer"])
    victim = factory.SubFactory(PersonFactory)
    suspect = factory.SubFactory(PersonFactory)
    relationship = "ex-partner"
    area = "Gloucester"
    unwanted = "Repeated unwanted messages and turning up at work."
    submitted_at = factory.LazyFunction(timezone.now)
    requests = factory.LazyFunction(lambda: ["advice"])


SDASH_KEYS = [
    "very_frightened",
    "previous_harassment",
    "property_damaged",
    "visits_3_times_week",
    "loitering",
    "threats",
    "third_parties",
    "violence",
    "others_helping",
    "drugs_alcohol",
    "past_violence",
]


class QuestionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionSet
        django_get_or_create = ("instrument", "version")

    instrument = "sdash"
    version = "test-1"
    title = "S-DASH (test wording)"
    questions = factory.LazyFunction(
        lambda: [{"key": key, "text": f"Test question about {key}?"} for key in SDASH_KEYS]
    )
    thresholds = factory.LazyFunction(lambda: {"medium": 3, "high": 6})
    is_current = True


__all__ = [
    "AgencyFactory",
    "CaseFactory",
    "PersonFactory",
    "QuestionSetFactory",
    "ReferralFactory",
    "UserFactory",
]
