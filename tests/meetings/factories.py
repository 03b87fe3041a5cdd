"""Factories for the meetings area."""

import datetime

import factory
from django.utils import timezone

from meetings.models import Action, AgendaItem, Attendee, Meeting

from ..factories import AgencyFactory, UserFactory
from ..referrals.factories import CaseFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.CLINIC
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Clinic room, Waterwells"
    convened_by = factory.SubFactory(UserFactory, roles=["coordinator"])
    chair = factory.SubFactory(UserFactory, roles=["tactical_lead"])


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory, roles=["partner"])
    agency = factory.LazyAttribute(lambda o: o.user.agency if o.user else None)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    case = factory.SubFactory(CaseFactory, risk_level="high")
    position = factory.Sequence(lambda n: n + 1)
    added_by = factory.LazyAttribute(lambda o: o.meeting.convened_by)
    risk_at_agenda = factory.LazyAttribute(lambda o: o.case.risk_level)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory, risk_level="high")
    description = "Check the suspect's licence conditions."
    owner_agency = factory.SubFactory(AgencyFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory, roles=["tactical_lead"])
