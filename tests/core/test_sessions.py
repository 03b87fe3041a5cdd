"""Sessions end after 30 minutes without activity and 8 hours after signing in, on the server,
saying why; the warning's endpoints; cookie names in production."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from referrals.models import LogImport
from stalking_clinic.accounts import sessions
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent

from .test_settings import GOOD_PRODUCTION, _manage

MINUTE = 60
HOME = reverse("home:index")
SIGN_IN = reverse("login")


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved on by hand: ``clock.move(minutes=31)``."""

    class Clock:
        now = 1_800_000_000.0

        def move(self, *, minutes=0, seconds=0):
            self.now += minutes * MINUTE + seconds

    clock = Clock()
    monkeypatch.setattr(sessions, "_now", lambda: clock.now)
    return clock


@pytest.fixture
def signed_in(client, clock, coordinator):
    client.force_login(coordinator)
    return client


def _sent_to_sign_in(response, next_url=HOME):
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={next_url}"
    return True


def test_an_idle_session_ends_and_the_sign_in_page_says_why(signed_in, clock, coordinator):
    assert signed_in.get(HOME).status_code == 200
    clock.move(minutes=30, seconds=1)

    response = signed_in.get(HOME)

    assert _sent_to_sign_in(response)
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert "data-session-ended" in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor=coordinator).exists()
    # Signed out for good: going back does not bring the session back.
    assert _sent_to_sign_in(signed_in.get(HOME))


def test_a_session_used_within_30_minutes_goes_on(signed_in, clock):
    for _ in range(4):
        clock.move(minutes=20)
        assert signed_in.get(HOME).status_code == 200


def test_the_idle_time_is_a_setting(signed_in, clock, settings):
    settings.SESSION_IDLE_SECONDS = 10 * MINUTE
    clock.move(minutes=10, seconds=1)
    response = signed_in.get(HOME)
    assert _sent_to_sign_in(response)
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 10 minutes without activity." in page


def test_polling_is_not_activity(signed_in, clock):
    """The warning asking how long is left, or a progress bar, must not keep a session open."""
    for left in (20, 10, 1):
        clock.move(minutes=10 if left > 1 else 9)
        assert signed_in.get(reverse("session:status")).json() == {"seconds_left": left * MINUTE}
    clock.move(minutes=1)
    assert _sent_to_sign_in(signed_in.get(HOME))


def test_polling_an_import_is_not_activity(client, clock, make_user):
    coordinator = make_user(Role.COORDINATOR)
    log_import = LogImport.objects.create(
        file_name="logs.csv", source=LogImport.Source.UPLOAD, uploaded_by=coordinator
    )
    client.force_login(coordinator)
    progress = reverse("referrals:log_import_progress", args=[log_import.pk])
    clock.move(minutes=29)
    assert client.get(progress).status_code == 200
    clock.move(minutes=2)
    assert _sent_to_sign_in(client.get(HOME))


def test_signing_in_lasts_8_hours_however_active(signed_in, clock):
    for _ in range(8 * 3 - 1):
        clock.move(minutes=20)
        assert signed_in.get(HOME).status_code == 200
    clock.move(minutes=20)
    response = signed_in.get(HOME)
    assert _sent_to_sign_in(response)
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out because you had been signed in for 8 hours." in page


def test_staying_signed_in_restarts_the_idle_time_not_the_8_hours(signed_in, clock):
    keep_alive = reverse("session:keep_alive")
    clock.move(minutes=29)
    assert signed_in.post(keep_alive).json() == {"seconds_left": 30 * MINUTE}
    clock.move(minutes=29)
    assert signed_in.get(HOME).status_code == 200

    for _ in range(19):  # 7 hours 18 minutes since signing in
        clock.move(minutes=20)
        assert signed_in.post(keep_alive).json() == {"seconds_left": 30 * MINUTE}
    clock.move(minutes=22)
    assert signed_in.post(keep_alive).json() == {"seconds_left": 20 * MINUTE}


def test_staying_signed_in_needs_the_pages_csrf_token(clock, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    page = client.get(HOME).content.decode()
    assert 'data-module="clinic-session-timeout"' in page
    assert f'data-seconds-left="{30 * MINUTE}"' in page
    token = re.search(
        r'action="/session/keep-alive/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"',
        page,
    ).group(1)
    keep_alive = reverse("session:keep_alive")

    assert client.post(keep_alive).status_code == 403
    assert client.post(keep_alive, {"csrfmiddlewaretoken": token}).status_code == 200


def test_staying_signed_in_after_the_end_is_too_late(signed_in, clock):
    clock.move(minutes=31)
    response = signed_in.post(reverse("session:keep_alive"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert _sent_to_sign_in(signed_in.get(HOME))


def test_a_form_sent_after_the_end_leads_back_to_its_page_after_signing_in(signed_in, clock):
    """The page's script keeps what was typed; the server sends the user back to that page (not to
    the button's endpoint, which takes no GET) once signed in again."""
    form_page = reverse("referrals:referral_new")
    clock.move(minutes=31)

    response = signed_in.post(
        reverse("session:keep_alive"),
        {"anything": "typed"},
        HTTP_REFERER=f"http://testserver{form_page}?from=case",
    )

    assert response["Location"] == f"{SIGN_IN}?next=/referrals/new/%3Ffrom%3Dcase"
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page


def test_another_sites_referer_is_not_followed(signed_in, clock):
    clock.move(minutes=31)
    response = signed_in.post(HOME, HTTP_REFERER="https://elsewhere.example/phish")
    assert _sent_to_sign_in(response)


def test_the_sign_in_page_ends_an_idle_session_too(signed_in, clock):
    clock.move(minutes=31)
    page = signed_in.get(SIGN_IN).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert 'name="password"' in page


def test_anonymous_pages_carry_no_warning(client, db):
    page = client.get(SIGN_IN).content.decode()
    assert "clinic-session-timeout" not in page
    assert "session-timeout.mjs" in page  # it keeps a draft for after signing in


def test_production_cookies_have_host_only_names():
    """``__Host-``: the browser takes them only if Secure, Path=/ and without Domain."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN)",
        env_changes=GOOD_PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "/",
        "/",
        "None",
        "None",
    ]


def test_development_and_test_cookies_keep_their_names(settings):
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be at least 1"),
        ("SESSION_IDLE_MINUTES", "600", "no longer than SESSION_COOKIE_AGE"),
        ("SESSION_IDLE_WARNING_SECONDS", "1800", "SESSION_IDLE_WARNING_SECONDS must be"),
        ("TRUSTED_PROXIES", "10.0.0.1,proxy", "TRUSTED_PROXIES must list IP addresses"),
    ],
)
def test_bad_session_and_proxy_settings_are_refused(name, value, message):
    result = _manage("check", env_changes={**GOOD_PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr
