"""The secret calendar address: kept out of the logs, audited, revocable, and expiring
(issue 14, item 12)."""

import datetime
import logging
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from spo.models import CalendarFeed
from spo.services.calendar_feed import calendar_feed_replace
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.log_redaction import GunicornLogger, RedactSecrets

from ..pages import submit

pytestmark = pytest.mark.django_db


def _feed_url(token):
    return reverse("spo:calendar_feed", kwargs={"token": token})


def test_django_log_lines_never_hold_the_token(solicitor):
    token = calendar_feed_replace(user=solicitor)
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Not Found: %s", (_feed_url(token),), None
    )
    RedactSecrets().filter(record)
    line = record.getMessage()
    assert token not in line
    assert line == "Not Found: /protection-orders/calendar/feed/[redacted]"


def test_the_access_log_never_holds_the_token(solicitor):
    from gunicorn.config import Config

    token = calendar_feed_replace(user=solicitor)
    path = _feed_url(token)
    logger = GunicornLogger(Config())
    request = SimpleNamespace(
        method="GET", path=path, query="", uri=path, version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="200 OK", headers=[], response_length=10, sent=10)
    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=1))
    assert not [key for key, value in atoms.items() if token in str(value)]
    assert atoms["U"] == "/protection-orders/calendar/feed/[redacted]"


def test_making_and_using_the_address_is_audited_once_a_day(client, solicitor):
    token = calendar_feed_replace(user=solicitor)
    feed = CalendarFeed.objects.get(user=solicitor)
    for _ in range(3):
        assert client.get(_feed_url(token)).status_code == 200
    events = AuditEvent.objects.filter(object_type="spo.calendarfeed", object_id=str(feed.pk))
    assert sorted(events.values_list("action", flat=True)) == [
        AuditEvent.Action.COLLECTION,
        AuditEvent.Action.CONSULTATION,
    ]
    assert all(token not in event.path for event in events)


def test_an_expired_address_is_not_found(client, solicitor, settings):
    settings.CALENDAR_FEED_DAYS = 30
    token = calendar_feed_replace(user=solicitor)
    CalendarFeed.objects.filter(user=solicitor).update(
        created_at=timezone.now() - datetime.timedelta(days=30, minutes=1)
    )
    assert client.get(_feed_url(token)).status_code == 404


def test_the_owner_revokes_their_address(client, solicitor):
    token = calendar_feed_replace(user=solicitor)
    client.force_login(solicitor)
    calendar = client.get(reverse("spo:calendar"))
    assert reverse("spo:calendar_feed_revoke") in calendar.content.decode()
    page = client.get(reverse("spo:calendar_feed_revoke"))
    response = submit(client, page, "Revoke my calendar address", follow=True)
    assert "Your calendar address is revoked" in response.content.decode()
    assert not CalendarFeed.objects.filter(user=solicitor).exists()
    client.logout()
    assert client.get(_feed_url(token)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=solicitor, action=AuditEvent.Action.ERASURE, object_type="spo.calendarfeed"
    ).exists()
