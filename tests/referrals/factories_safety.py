"""Factories for safety plans, the victim's voice, agency referrals and shares (fictional)."""

import factory

from referrals.models import AgencyReferral, SafetyAction, Share, VictimVoice
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory, UserFactory
from .factories import CaseFactory


class IsacServiceFactory(AgencyFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Stalking Advocacy Service {n}")
    kind = Agency.Kind.ISAC_SERVICE
    is_partner = False


class AgencyReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyReferral

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(IsacServiceFactory)
    reason = "High risk: needs an advocate."
    referred_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR.value])


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    sections = factory.LazyFunction(lambda: [Share.Section.SUMMARY.value])
    reason = "Agreed at the clinic meeting."
    shared_by = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR.value])


class SafetyActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyAction

    case = factory.SubFactory(CaseFactory)
    description = factory.Sequence(lambda n: f"Safety action {n}")
    owner = "police"
    due_date = None


class VictimVoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VictimVoice

    case = factory.SubFactory(CaseFactory)
    account = "He waits outside my work most evenings."
    recorded_by = factory.SubFactory(UserFactory, roles=[Role.ISAC.value])


def isac_on(case, **user_kwargs):
    """An ISAC whose service the case was referred to: they may work on the whole case."""
    agency = IsacServiceFactory()
    AgencyReferralFactory(case=case, agency=agency)
    return UserFactory(roles=[Role.ISAC.value], agency=agency, **user_kwargs)


def isac_elsewhere(**user_kwargs):
    """An ISAC of a service the case was never referred to."""
    return UserFactory(roles=[Role.ISAC.value], agency=IsacServiceFactory(), **user_kwargs)


def partner_shown(case, sections, **user_kwargs):
    """A partner agency member whose agency the case was shared with, ``sections`` only."""
    agency = AgencyFactory()
    ShareFactory(case=case, agency=agency, sections=list(sections))
    return UserFactory(roles=[Role.PARTNER.value], agency=agency, **user_kwargs)


__all__ = [
    "AgencyReferralFactory",
    "IsacServiceFactory",
    "SafetyActionFactory",
    "ShareFactory",
    "VictimVoiceFactory",
    "isac_elsewhere",
    "isac_on",
    "partner_shown",
]
