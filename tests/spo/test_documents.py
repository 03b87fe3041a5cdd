"""The application pack and the order details PDFs: who may download them, what they say, and
that every download is logged as a disclosure naming its recipient."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from referrals.models import Share
from spo.models import Condition
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent

from ..factories import AgencyFactory
from .factories import (
    ApplicationFactory,
    BreachFactory,
    ConditionFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)


@pytest.fixture
def officer_in_case(make_user):
    return make_user(Role.OFFICER, username="oic")


@pytest.fixture
def solicitor(make_user):
    return make_user(Role.SOLICITOR, username="sol")


@pytest.fixture
def application(officer_in_case, solicitor):
    application = ApplicationFactory(officer_in_case=officer_in_case, solicitor=solicitor)
    victim = application.case.victim
    victim.address = "1 Secret Lane, Hiddenville"
    victim.save()
    application.defendant.aliases = ["Bobby Alias"]
    application.defendant.save()
    ConditionFactory(application=application, text="Not to contact the victim.", position=1)
    ConditionFactory(application=application, text="Not to enter Hiddenville.", position=2)
    ConditionFactory(
        application=application,
        kind=Condition.Kind.REQUIREMENT,
        text="To attend a perpetrator programme.",
        position=1,
    )
    return application


@pytest.fixture
def order(application):
    order = OrderFactory(application=application, served_on=datetime.date(2026, 3, 2))
    NotificationFactory(order=order, due_on=datetime.date(2026, 3, 4))
    return order


def _pack_url(application):
    return reverse("spo:application_pack_pdf", args=[application.pk])


def _order_url(order):
    return reverse("spo:order_details_pdf", args=[order.application_id, order.pk])


def test_solicitor_downloads_the_pack_as_a_pdf_logged_as_disclosed_to_the_court(
    client, solicitor, application, order, fake_pdf
):
    HearingFactory(application=application, outcome="interim_made", notes="Interim made.")
    client.force_login(solicitor)
    response = client.post(
        _pack_url(application), {"recipient": "Gloucestershire Magistrates' Court"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response).startswith(b"%PDF")
    assert application.reference in fake_pdf["html"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.recipient == "Gloucestershire Magistrates' Court"
    assert (event.object_type, event.object_id) == ("spo.application", str(application.pk))
    assert event.actor == solicitor


def test_pack_sets_out_the_three_tests_conditions_orders_and_hearings(
    client, solicitor, application, order, fake_pdf
):
    HearingFactory(application=application, outcome="adjourned", court="Stroud Court")
    client.force_login(solicitor)
    client.post(_pack_url(application), {"recipient": "Counsel"})
    html = fake_pdf["html"]
    assert escape(application.acts_evidence) in html
    assert escape(application.risk_evidence) in html
    assert escape(application.necessity_evidence) in html
    assert "section 1(1)" in html
    assert html.index("Not to contact the victim.") < html.index("Not to enter Hiddenville.")
    assert "To attend a perpetrator programme." in html
    assert "Stroud Court" in html and "Adjourned" in html
    assert "Interim order" in html and "2 March 2026" in html  # served
    assert application.case.victim.full_name in html
    assert "Secret Lane" not in html  # a protected person's address is never printed
    assert "for Counsel" in html


def test_pack_page_asks_for_the_recipient_defaulting_to_the_court(client, solicitor, application):
    client.force_login(solicitor)
    response = client.get(reverse("spo:application_pack", args=[application.pk]))
    assert response.status_code == 200
    assert response.context["form"]["recipient"].value() == application.court
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE).exists()


def test_a_link_to_the_pack_pdf_goes_to_the_recipient_form(client, solicitor, application):
    client.force_login(solicitor)
    response = client.get(_pack_url(application))
    assert response.status_code == 302
    assert response["Location"] == reverse("spo:application_pack", args=[application.pk])


def test_pack_without_a_recipient_is_not_produced(client, solicitor, application, fake_pdf):
    client.force_login(solicitor)
    response = client.post(_pack_url(application), {"recipient": "  "})
    assert response.status_code == 200
    assert "html" not in fake_pdf
    assert response.context["form"].errors["recipient"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE).exists()


def test_officer_in_the_case_may_not_download_the_pack(client, officer_in_case, application):
    client.force_login(officer_in_case)
    assert client.post(_pack_url(application), {"recipient": "x"}).status_code == 403
    assert client.get(reverse("spo:application_pack", args=[application.pk])).status_code == 403


def test_officer_downloads_order_details_logged_as_disclosed_to_themselves(
    client, officer_in_case, order, fake_pdf
):
    client.force_login(officer_in_case)
    response = client.get(_order_url(order))
    assert response.status_code == 200
    assert b"".join(response).startswith(b"%PDF")
    assert order.application.reference in fake_pdf["html"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.recipient == officer_in_case.username
    assert (event.object_type, event.object_id) == ("spo.order", str(order.pk))


def test_order_details_say_what_the_officer_enforces(client, officer_in_case, order, fake_pdf):
    BreachFactory(order=order)
    client.force_login(officer_in_case)
    client.get(_order_url(order))
    html = fake_pdf["html"]
    defendant = order.application.defendant
    assert defendant.full_name in html and "Bobby Alias" in html
    assert "Secret Lane" not in html
    assert "Not to contact the victim." in html and "To attend a perpetrator programme." in html
    assert "4 March 2026" in html  # notification deadline
    assert "section 8" in html and "5 years" in html
    assert order.made_on.strftime("%Y") in html


def test_full_order_until_further_order_says_so(client, solicitor, application, fake_pdf):
    order = OrderFactory(
        application=application, kind="full", ends_on=None, until_further_order=True
    )
    client.force_login(solicitor)
    assert client.get(_order_url(order)).status_code == 200
    assert "Until further order" in fake_pdf["html"]


def test_partner_with_orders_shared_downloads_order_details_for_their_agency(
    client, make_user, order, fake_pdf
):
    agency = AgencyFactory(name="Probation (test)")
    partner = make_user(Role.PARTNER, username="probation", agency=agency)
    Share.objects.create(
        case=order.application.case,
        agency=agency,
        sections=["summary", Share.Section.ORDERS],
        reason="x",
        shared_by=order.recorded_by,
    )
    client.force_login(partner)
    assert client.get(_order_url(order)).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.recipient == "Probation (test)"


def test_partner_without_orders_shared_gets_not_found(client, make_user, order, fake_pdf):
    agency = AgencyFactory(name="Probation (test)")
    partner = make_user(Role.PARTNER, username="probation", agency=agency)
    Share.objects.create(
        case=order.application.case,
        agency=agency,
        sections=["summary"],
        reason="x",
        shared_by=order.recorded_by,
    )
    client.force_login(partner)
    assert client.get(_order_url(order)).status_code == 404


def test_another_officer_gets_not_found(client, make_user, order, fake_pdf):
    client.force_login(make_user(Role.OFFICER, username="other_officer"))
    assert client.get(_order_url(order)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE).exists()


def test_someone_without_a_role_is_refused(client, outsider, order, fake_pdf):
    client.force_login(outsider)
    assert client.get(_order_url(order)).status_code == 403
    assert client.post(_pack_url(order.application), {"recipient": "x"}).status_code == 403


def test_order_of_another_application_is_not_found(client, solicitor, order, fake_pdf):
    other = ApplicationFactory()
    client.force_login(solicitor)
    url = reverse("spo:order_details_pdf", args=[other.pk, order.pk])
    assert client.get(url).status_code == 404


def test_a_lower_dash_leaves_the_pack_saying_high(client, solicitor, make_user, fake_pdf):
    """The pack tells the court the case's decided risk, not the latest screening's: an ISAC's
    DASH scoring lower only proposes a lower level (issue 13)."""
    from referrals.models import RiskLevel
    from referrals.services.assessments import assessment_record
    from referrals.services.risk import risk_record

    from ..referrals.factories import CaseFactory
    from ..referrals.factories_assessments import DASH_KEYS, DashQuestionSetFactory

    DashQuestionSetFactory()
    coordinator = make_user(Role.COORDINATOR)
    case = CaseFactory(risk_level=RiskLevel.HIGH, owner=coordinator)
    risk_record(case, level="high", reasons="Threats to kill", by=coordinator, source="triage")
    assessment_record(
        case=case,
        instrument="dash",
        by=make_user(Role.ISAC),
        answers={key: "yes" if n < 11 else "no" for n, key in enumerate(DASH_KEYS)},
        risk_level="medium",
    )
    application = ApplicationFactory(case=case, solicitor=solicitor)
    client.force_login(solicitor)
    client.post(_pack_url(application), {"recipient": "Gloucestershire Magistrates' Court"})
    html = fake_pdf["html"]
    risk = html[html.index("<dt>Risk</dt>") :]
    assert risk[: risk.index("</dd>")].startswith("<dt>Risk</dt><dd>High (decided ")
