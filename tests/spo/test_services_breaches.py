"""The SPO services of breaches (spo/services/breaches.py): s.8 and the outcome."""

import datetime

import pytest
from django.utils import timezone

from spo.models import Application, Breach
from spo.services import breaches
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import (
    BreachFactory,
    OrderFactory,
    audit_events,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


# --- breaches ------------------------------------------------------------------------------------


def test_breach_record(solicitor):
    order = OrderFactory(made_on=timezone.localdate() - datetime.timedelta(days=10))
    breach = breaches.breach_record(
        order=order,
        by=solicitor,
        occurred_on=order.made_on,
        description="Texted the victim.",
        log_ref="INC-1",
    )
    assert breach.recorded_by == solicitor
    assert audit_events(breach, AuditEvent.Action.COLLECTION).count() == 1


def test_breach_before_the_order_was_made_is_refused(solicitor):
    order = OrderFactory(made_on=timezone.localdate() - datetime.timedelta(days=10))
    with pytest.raises(ServiceError) as error:
        breaches.breach_record(
            order=order,
            by=solicitor,
            occurred_on=order.made_on - datetime.timedelta(days=1),
            description="Texted the victim.",
        )
    assert error.value.field == "occurred_on"
    assert not Breach.objects.exists()


def test_breach_in_the_future_is_refused(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        breaches.breach_record(
            order=order,
            by=solicitor,
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            description="Texted the victim.",
        )
    assert error.value.field == "occurred_on"


def test_breach_needs_a_description(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        breaches.breach_record(
            order=order, by=solicitor, occurred_on=order.made_on, description="  "
        )
    assert error.value.field == "description"


def test_breach_outcome(solicitor):
    breach = BreachFactory()
    updated = breaches.breach_outcome_record(
        breach=breach,
        by=solicitor,
        version=1,
        outcome="Charged under s.8",
        outcome_recorded_on=breach.occurred_on,
    )
    assert (updated.outcome, updated.outcome_recorded_on, updated.version) == (
        "Charged under s.8",
        breach.occurred_on,
        2,
    )


def test_breach_outcome_is_required(solicitor):
    breach = BreachFactory()
    with pytest.raises(ServiceError) as error:
        breaches.breach_outcome_record(
            breach=breach, by=solicitor, version=1, outcome=" ", outcome_recorded_on=None
        )
    assert error.value.field == "outcome"


def test_breach_outcome_with_an_old_version_is_refused(solicitor, colleague):
    breach = BreachFactory()
    breaches.breach_outcome_record(
        breach=breach, by=colleague, version=1, outcome="Cautioned", outcome_recorded_on=None
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        breaches.breach_outcome_record(
            breach=breach, by=solicitor, version=1, outcome="NFA", outcome_recorded_on=None
        )
    assert error.value.by == colleague.display_name
