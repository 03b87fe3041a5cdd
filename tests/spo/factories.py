"""Factories for the protection orders area; ``at_stage`` makes an application at a stage, and
``audit_events`` finds the audit entries a service made of a record."""

import datetime

import factory
from django.utils import timezone

from spo.models import Application, Breach, Condition, Hearing, Notification, Order
from stalking_clinic.audit.models import AuditEvent

from ..factories import UserFactory
from ..referrals.factories import CaseFactory, PersonFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    defendant = factory.LazyAttribute(lambda o: o.case.suspects.first() or PersonFactory())
    solicitor = factory.SubFactory(UserFactory, roles=["solicitor"])
    court = "Gloucestershire Magistrates' Court"
    acts_evidence = "Repeated unwanted messages and turning up at the victim's workplace."
    risk_evidence = "Escalating contact despite warnings."
    necessity_evidence = "Other measures have not stopped the contact."

    @factory.post_generation
    def protected_people(self, create, extracted, **kwargs):
        if create:
            self.protected_people.set(extracted if extracted is not None else [self.case.victim])


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    application = factory.SubFactory(ApplicationFactory)
    kind = Condition.Kind.PROHIBITION
    text = "Not to contact the protected person by any means."
    position = factory.Sequence(lambda n: n + 1)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    application = factory.SubFactory(ApplicationFactory, stage=Application.Stage.INTERIM)
    kind = Order.Kind.INTERIM
    made_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda o: o.made_on + datetime.timedelta(days=28))
    recorded_by = factory.LazyAttribute(lambda o: o.application.solicitor)


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    application = factory.SubFactory(ApplicationFactory)
    kind = Hearing.Kind.FULL
    court = "Cheltenham Magistrates' Court"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    recorded_by = factory.LazyAttribute(lambda o: o.application.solicitor)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    order = factory.SubFactory(OrderFactory)
    kind = Notification.Kind.INITIAL
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    due_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=2))
    recorded_by = factory.LazyAttribute(lambda o: o.order.recorded_by)


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    order = factory.SubFactory(OrderFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate())
    description = "Sent a message to the protected person."
    log_ref = "INC-2026-00001234"
    recorded_by = factory.LazyAttribute(lambda o: o.order.recorded_by)


def at_stage(stage, **kwargs):
    return ApplicationFactory(stage=stage, **kwargs)


def audit_events(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )
