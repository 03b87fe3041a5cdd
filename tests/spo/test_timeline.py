"""What protection orders put on the case timeline, and who sees it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import spo.timeline  # noqa: F401  (registers the sources, as spo/apps.py does)
from referrals.models import Share
from referrals.timeline import timeline_for
from spo.models import Application, StageChange
from stalking_clinic.accounts.models import Role

from ..factories import AgencyFactory
from ..referrals.factories import CaseFactory
from .factories import ApplicationFactory, BreachFactory, HearingFactory, OrderFactory

ORDERS = Share.Section.ORDERS


def _history(case, solicitor=None):
    application = ApplicationFactory(case=case, **({"solicitor": solicitor} if solicitor else {}))
    StageChange.objects.create(
        application=application,
        from_stage="",
        to_stage=Application.Stage.CONSIDERED,
        reason="Started",
        by=application.solicitor,
    )
    StageChange.objects.create(
        application=application,
        from_stage=Application.Stage.CONSIDERED,
        to_stage=Application.Stage.DRAFTING,
        reason="Evidence gathered",
        by=application.solicitor,
    )
    order = OrderFactory(
        application=application,
        made_on=timezone.localdate() - datetime.timedelta(days=20),
        ended_on=timezone.localdate() - datetime.timedelta(days=2),
        ended_reason="Main application decided",
    )
    HearingFactory(
        application=application,
        starts_at=timezone.now() - datetime.timedelta(days=20),
        outcome="interim_made",
        court="Past Court",
    )
    HearingFactory(application=application, court="Future Court")
    BreachFactory(order=order, description="Waited outside the victim's home. " * 20)
    BreachFactory(order=order, description="Sent a letter.", outcome="Charged")
    return application


@pytest.fixture
def case(db):
    return CaseFactory()


def _titles(entries):
    return [f"{e.kind}: {e.title}" for e in entries]


def test_orders_section_shows_stages_orders_past_hearings_and_breaches(case):
    application = _history(case)
    entries = timeline_for(case, {ORDERS})
    titles = _titles(entries)
    ref = application.reference
    assert f"Protection order: {ref} (stalking protection order) started" in titles
    assert f"Protection order: {ref} moved from considered to drafting" in titles
    assert any(t.startswith(f"Protection order: Interim order made on {ref}") for t in titles)
    assert f"Protection order: Interim order on {ref} ended" in titles
    assert any("Past Court" in t for t in titles)
    assert not any("Future Court" in t for t in titles)  # hearings still to come are not history
    breaches = [e for e in entries if e.kind == "Breach of order"]
    assert len(breaches) == 2
    assert all(len(e.detail) <= 200 for e in breaches)
    assert {e.lines[-1] for e in breaches} == {"Outcome: Charged", "Outcome: not yet recorded"}
    assert [e.at for e in entries] == sorted(e.at for e in entries)


def test_without_the_orders_section_nothing_from_orders_shows(case):
    _history(case)
    sections = set(Share.Section.values) - {ORDERS}
    kinds = {e.kind for e in timeline_for(case, sections)}
    assert not kinds & {"Protection order", "Court hearing", "Breach of order"}


def test_partner_sees_order_entries_only_when_orders_are_shared(client, make_user, case):
    _history(case)
    agency = AgencyFactory(name="Probation (timeline)")
    partner = make_user(Role.PARTNER, username="tl_partner", agency=agency)
    share = Share.objects.create(
        case=case, agency=agency, sections=["summary"], reason="x", shared_by=case.owner
    )
    client.force_login(partner)
    url = reverse("referrals:case_detail", args=[case.pk])
    kinds = {e.kind for e in client.get(url).context["timeline"]}
    assert "Breach of order" not in kinds
    share.sections = ["summary", ORDERS]
    share.save()
    kinds = {e.kind for e in client.get(url).context["timeline"]}
    assert {"Protection order", "Court hearing", "Breach of order"} <= kinds


def _queries(case):
    with CaptureQueriesContext(connection) as queries:
        list(timeline_for(case, {ORDERS}))
    return len(queries)


def test_query_count_does_not_grow_with_the_history(case):
    _history(case)
    one = _queries(case)
    _history(case)
    _history(case)
    assert _queries(case) == one == 4
