"""A stalking protection order made is a criminal justice outcome of its case: recorded with the
order (never typed by hand), linking to it from the case page."""

import datetime

import pytest
from django.urls import reverse

from referrals.models import CriminalJusticeOutcome
from spo.models import Application, Order
from spo.services import orders

from .factories import at_stage

pytestmark = pytest.mark.django_db

D = datetime.date


def test_an_order_made_on_an_application_is_an_outcome_of_its_case(client, solicitor, make_user):
    application = at_stage(Application.Stage.APPLIED)
    interim = orders.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.INTERIM,
        made_on=D(2026, 3, 2),
        ends_on=D(2026, 3, 30),
    )
    full = orders.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 3, 20),
        until_further_order=True,
    )

    outcomes = CriminalJusticeOutcome.objects.filter(case=application.case).order_by("on")
    assert [(o.kind, o.on, o.record, o.recorded_by) for o in outcomes] == [
        (CriminalJusticeOutcome.Kind.SPO_MADE, D(2026, 3, 2), interim, solicitor),
        (CriminalJusticeOutcome.Kind.SPO_MADE, D(2026, 3, 20), full, solicitor),
    ]
    client.force_login(make_user("coordinator"))
    html = client.get(reverse("referrals:case_detail", args=[application.case_id])).content
    assert full.get_absolute_url().encode() in html
    assert client.get(full.get_absolute_url()).status_code == 200


def test_an_order_on_a_renewal_is_not_a_new_order_made(solicitor):
    application = at_stage(Application.Stage.APPLIED, kind=Application.Kind.RENEWAL)
    orders.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 3, 20),
        until_further_order=True,
    )
    assert not CriminalJusticeOutcome.objects.exists()
