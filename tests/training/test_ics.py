"""A booking as an iCalendar file: one VEVENT with a UID fixed per booking, UTC start and end
from the session and the course's duration, the course title, the venue or "Online", and a URL;
CRLF lines folded at 75 octets; nothing about the trainee."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from training.ics import booking_calendar

from .factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

STAMP = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)


def _calendar(booking, **kwargs) -> str:
    return booking_calendar(booking, **kwargs).decode()


def _unfolded(text):
    return text.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def booking():
    session = SessionFactory(
        starts_at=datetime.datetime(2026, 6, 3, 9, 30, tzinfo=datetime.UTC),
        course__title="Stalking, harassment; and coercive control: a long course title for folding",
        course__duration_minutes=150,
        venue="Training suite, Headquarters",
    )
    return BookingFactory(session=session, trainee__name="Priya Patel")


def test_one_event_with_the_session_in_utc(booking):
    text = _calendar(booking, now=STAMP)
    lines = _unfolded(text)

    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert lines.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20260603T093000Z" in lines
    assert "DTEND:20260603T120000Z" in lines
    assert "DTSTAMP:20260301T080000Z" in lines
    assert (
        "SUMMARY:Stalking\\, harassment\\; and coercive control: a long course title for folding"
        in lines
    )
    assert "LOCATION:Training suite\\, Headquarters" in lines
    url = next(line for line in lines if line.startswith("URL:"))
    assert url.startswith("URL:" + settings.SITE_URL)
    assert "Priya" not in text


def test_lines_end_in_crlf_and_are_folded_at_75_octets(booking):
    text = _calendar(booking, now=STAMP)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # the long SUMMARY was folded


def test_the_uid_is_the_same_for_the_booking_whenever_downloaded(booking):
    def uid(text):
        return [line for line in _unfolded(text) if line.startswith("UID:")]

    first = uid(_calendar(booking, now=STAMP))
    later = uid(_calendar(booking, now=STAMP + datetime.timedelta(days=3)))
    other = uid(_calendar(BookingFactory(session=booking.session), now=STAMP))
    assert first == later and len(first) == 1
    assert first != other


def test_an_online_session_says_online_and_links_to_the_meeting():
    booking = BookingFactory(
        session=SessionFactory(venue="", online_link="https://meet.example.invalid/xyz")
    )
    lines = _unfolded(_calendar(booking))
    assert "LOCATION:Online" in lines
    assert "URL:https://meet.example.invalid/xyz" in lines


def test_a_session_in_a_venue_links_to_its_page(booking):
    lines = _unfolded(_calendar(booking))
    page = reverse("training:session_detail", args=[booking.session_id])
    assert f"URL:{settings.SITE_URL}{page}" in lines
