"""The protection orders calendar: the page, the .ics download, the secret feed and its address."""

import datetime
import hashlib
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from spo.ics import write_calendar
from spo.models import Application, CalendarFeed, Order
from spo.selectors.calendar import calendar_events
from spo.services.calendar_feed import calendar_feed_replace
from stalking_clinic.accounts.models import Role

from .factories import (
    ApplicationFactory,
    BreachFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
WEEK = datetime.date(2026, 3, 30)  # a Monday, the day after the clocks go forward


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def solicitor(make_user):
    return make_user(Role.SOLICITOR, username="sol")


@pytest.fixture
def week_of_events(solicitor):
    """One of each kind of event in the week of 30 March 2026, on one application."""
    application = ApplicationFactory(solicitor=solicitor, court="Gloucester Magistrates' Court")
    hearing = HearingFactory(
        application=application, starts_at=at(2026, 3, 30, 10, 0), court="Cheltenham Court"
    )
    interim = OrderFactory(application=application, made_on=WEEK, ends_on=WEEK.replace(day=31))
    full = OrderFactory(
        application=application,
        kind=Order.Kind.FULL,
        made_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2026, 4, 1),
    )
    notification = NotificationFactory(
        order=interim, starts_on=WEEK, due_on=datetime.date(2026, 4, 2)
    )
    breach = BreachFactory(order=interim, recorded_at=at(2026, 3, 21, 9, 0))  # chase on 4 April
    return {
        "application": application,
        "hearing": hearing,
        "interim": interim,
        "full": full,
        "notification": notification,
        "breach": breach,
    }


@pytest.fixture
def feed_reaches_the_fixed_week(monkeypatch):
    """The .ics holds a window around today; reach back to the fixed week the tests use."""
    monkeypatch.setattr("spo.selectors.calendar.FEED_PAST_DAYS", 10 * 366)


def names_of(application):
    people = [application.defendant, *application.protected_people.all()]
    return [name for person in people for name in (person.first_name, person.last_name)]


# --- The page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_week_shows_each_kind_of_event_linking_to_its_application(
    client, solicitor, week_of_events
):
    client.force_login(solicitor)

    response = client.get(reverse("spo:calendar"), {"week": "2026-04-01"})

    page = response.content.decode()
    application = week_of_events["application"]
    assert "Week of 30 March 2026" in page
    assert "10:00" in page  # the hearing, in local time (BST)
    for text in (
        "Full hearing, Cheltenham Court",
        "Notification due: Names and home address after service",
        "Interim order ends",
        "Full order ends",
        "Breach outcome to chase",
    ):
        assert text in page
    detail = reverse("spo:application_detail", args=[application.pk])
    assert page.count(f'href="{detail}"') == 5
    assert application.reference in page
    for name in names_of(application):
        assert name not in page


@pytest.mark.django_db
def test_week_links_go_to_the_previous_and_next_weeks(client, solicitor):
    client.force_login(solicitor)

    page = client.get(reverse("spo:calendar"), {"week": "2026-04-01"}).content.decode()

    assert "week=2026-03-23" in page
    assert "week=2026-04-06" in page


@pytest.mark.django_db
def test_filter_by_kind_and_court(client, solicitor, week_of_events):
    client.force_login(solicitor)
    url = reverse("spo:calendar")

    hearings = client.get(url, {"week": "2026-03-30", "show": "hearings"}).content.decode()
    deadlines = client.get(url, {"week": "2026-03-30", "show": "deadlines"}).content.decode()
    elsewhere = client.get(
        url, {"week": "2026-03-30", "court": "Gloucester Magistrates' Court"}
    ).content.decode()

    assert "Full hearing" in hearings and "Interim order ends" not in hearings
    assert "Full hearing" not in deadlines and "Interim order ends" in deadlines
    # The hearing is at Cheltenham; the deadlines belong to the application's court.
    assert "Full hearing" not in elsewhere and "Interim order ends" in elsewhere


@pytest.mark.django_db
def test_list_shows_what_is_coming_and_deadlines_already_missed(client, solicitor):
    client.force_login(solicitor)
    application = ApplicationFactory(solicitor=solicitor)
    order = OrderFactory(application=application)
    NotificationFactory(
        order=order,
        starts_on=order.made_on - datetime.timedelta(days=10),
        due_on=order.made_on - datetime.timedelta(days=8),
    )
    HearingFactory(application=application)  # in ten days

    page = client.get(reverse("spo:calendar"), {"view": "list"}).content.decode()

    assert "Overdue" in page
    assert "Notification due" in page
    assert "Full hearing" in page


@pytest.mark.django_db
def test_officer_sees_only_events_of_applications_naming_them(make_user, week_of_events):
    officer = make_user(Role.OFFICER, username="oic")
    theirs = ApplicationFactory(officer_in_case=officer)
    HearingFactory(application=theirs, starts_at=at(2026, 3, 31, 14, 0))

    events = calendar_events(officer, start=WEEK, end=WEEK + datetime.timedelta(days=7))

    assert {event.application_id for event in events} == {theirs.pk}
    assert (
        calendar_events(
            make_user(username="nobody"), start=WEEK, end=WEEK + datetime.timedelta(days=7)
        )
        == []
    )


@pytest.mark.django_db
def test_calendar_page_makes_the_same_queries_however_many_events(client, solicitor):
    client.force_login(solicitor)
    url = reverse("spo:calendar")

    def add_application():
        application = ApplicationFactory(
            solicitor=solicitor, court=f"Court {Application.objects.count()}"
        )
        order = OrderFactory(application=application, made_on=WEEK, ends_on=WEEK)
        HearingFactory(application=application, starts_at=at(2026, 3, 31, 10, 0))
        NotificationFactory(order=order, starts_on=WEEK, due_on=WEEK)
        BreachFactory(order=order, recorded_at=at(2026, 3, 17, 9, 0))

    add_application()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"week": "2026-03-30"}).status_code == 200
    for _ in range(4):
        add_application()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"week": "2026-03-30"}).content.decode()

    assert page.count("Breach outcome to chase") == 5
    assert len(many) == len(few)


# --- The .ics download and the writer -----------------------------------------------------------


@pytest.mark.django_db
def test_ics_download_is_an_attachment_without_names(
    client, solicitor, week_of_events, feed_reaches_the_fixed_week
):
    client.force_login(solicitor)
    HearingFactory(
        application=week_of_events["application"],
        starts_at=at(2026, 6, 1, 14, 0),
        court="A court with a very long name, to make this summary line fold over 75 octets",
    )

    response = client.get(reverse("spo:calendar_ics"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="protection-orders-')
    assert response["Cache-Control"] == "no-store"
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode().replace("\r\n ", "")  # unfolded
    application = week_of_events["application"]
    for name in names_of(application):
        assert name not in text
    assert application.case.victim.address == "" or application.case.victim.address not in text
    hearing = week_of_events["hearing"]
    assert f"UID:spo-hearing-{hearing.pk}@" in text
    assert "DTSTART:20260330T090000Z" in text  # 10:00 BST
    assert "DTSTART;VALUE=DATE:20260331" in text  # the interim order's end
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", text)
    ref = application.reference
    assert f"SUMMARY:{ref}: Full hearing\\, Cheltenham Court" in text
    assert f"SUMMARY:{ref}: Full hearing\\, A court with a very long name\\, to make" in text
    assert text.count("BEGIN:VEVENT") == 6


def test_lines_keep_to_75_octets_without_splitting_characters(settings):
    from spo.selectors.calendar import Event, EventKind

    court = "Magistrates\u2019 Court \u2013 " * 10
    event = Event(EventKind.ORDER_ENDS, 1, 7, court, datetime.date(2026, 5, 1))
    raw = write_calendar([event], name="Test")

    physical = raw.split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert [part.decode() for part in physical]  # no character split across two lines
    summary = next(i for i, part in enumerate(physical) if part.startswith(b"SUMMARY:"))
    assert physical[summary + 1].startswith(b" ") and physical[summary + 2].startswith(b" ")
    unfolded = raw.decode().replace("\r\n ", "")
    assert f"SUMMARY:SPO-00007: Full order ends\\, {court}\r\n" in unfolded


def test_calendar_text_escapes_commas_and_semicolons(settings):
    from spo.selectors.calendar import Event, EventKind

    event = Event(EventKind.ORDER_ENDS, 1, 7, "Court; one, two", datetime.date(2026, 5, 1))
    text = write_calendar([event], name="Test").decode()

    assert "SUMMARY:SPO-00007: Full order ends\\, Court\\; one\\, two\r\n" in text
    assert "TRANSP:TRANSPARENT" in text


# --- The secret feed ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_feed_serves_the_calendar_to_the_token_alone(
    client, solicitor, week_of_events, feed_reaches_the_fixed_week
):
    token = calendar_feed_replace(user=solicitor)

    response = client.get(reverse("spo:calendar_feed", kwargs={"token": token}))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in response
    assert response.content.count(b"BEGIN:VEVENT") == 5
    assert CalendarFeed.objects.get(user=solicitor).last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["unknown", "x" * 43, ""])
def test_feed_refuses_an_unknown_token_with_404_not_a_redirect(client, solicitor, token):
    calendar_feed_replace(user=solicitor)

    response = client.get(f"/protection-orders/calendar/feed/{token}.ics")

    assert response.status_code == 404


@pytest.mark.django_db
def test_replaced_token_stops_working(client, solicitor):
    old = calendar_feed_replace(user=solicitor)
    new = calendar_feed_replace(user=solicitor)

    assert client.get(reverse("spo:calendar_feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("spo:calendar_feed", kwargs={"token": new})).status_code == 200
    assert CalendarFeed.objects.filter(user=solicitor).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change", [{"roles": [Role.OFFICER]}, {"roles": []}, {"is_active": False}], ids=str
)
def test_feed_stops_when_the_user_loses_the_role(client, solicitor, change):
    token = calendar_feed_replace(user=solicitor)
    for field, value in change.items():
        setattr(solicitor, field, value)
    solicitor.save()

    response = client.get(reverse("spo:calendar_feed", kwargs={"token": token}))

    assert response.status_code == 404
    assert CalendarFeed.objects.get(user=solicitor).last_used_at is None


@pytest.mark.django_db
def test_new_address_is_shown_once_and_only_its_hash_kept(client, solicitor):
    client.force_login(solicitor)
    assert client.get(reverse("spo:calendar_feed_new")).status_code == 200

    page = client.post(reverse("spo:calendar_feed_new")).content.decode()

    url = re.search(r'value="(http[^"]+/calendar/feed/([^"/]+)\.ics)"', page)
    token = url.group(2)
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=solicitor)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get(reverse("spo:calendar")).content.decode()
    assert client.get(reverse("spo:calendar_feed", kwargs={"token": token})).status_code == 200


@pytest.mark.django_db
def test_calendar_page_offers_to_replace_an_existing_address(client, solicitor):
    client.force_login(solicitor)
    assert "Create a calendar address" in client.get(reverse("spo:calendar")).content.decode()

    calendar_feed_replace(user=solicitor)

    page = client.get(reverse("spo:calendar")).content.decode()
    assert "Replace my calendar address" in page
    assert "no calendar program has read it yet" in page
