"""Signing in: lockout after repeated failures (per account and per address), the second factor
on every page, setting it up, recovery codes, and changing or resetting a password — each through
the pages' own buttons."""

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent

from ..conftest import sign_in_without_second_factor
from ..core.test_url_access import REDIRECTING_PAGES, SIGNED_IN_PAGES
from ..factories import TEST_PASSWORD, authenticator_for, current_code
from ..pages import submit

pytestmark = pytest.mark.django_db

LOCKED_OUT = "You have tried to sign in too many times"


def _main(response) -> str:
    """The page's main content, as the person sees it (no token or nonce)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def _sign_in(client, username, password=TEST_PASSWORD, address="192.0.2.10"):
    page = client.get(reverse("login"), REMOTE_ADDR=address)
    return submit(client, page, "Sign in", {"username": username, "password": password})


def _post_sign_in(client, username, password, address):
    # Each failure from a fresh client, as an attacker's script would make them.
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# Lockout --------------------------------------------------------------------------------------


@override_settings(SIGN_IN_FAILURE_LIMIT=3, SIGN_IN_ADDRESS_FAILURE_LIMIT=100)
def test_an_account_is_locked_after_repeated_failures_from_any_address(client, coordinator):
    for n in range(3):
        response = _post_sign_in(client, coordinator.username, "wrong", f"192.0.2.{n + 1}")
    assert response.status_code == 429
    # The right password from yet another address is refused too, and nothing signs in.
    response = _post_sign_in(client, coordinator.username, TEST_PASSWORD, "198.51.100.7")
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same addresses is not locked.
    officer = authenticator_for(_user(Role.OFFICER, "lockout_other")).user
    response = _post_sign_in(client, officer.username, TEST_PASSWORD, "192.0.2.1")
    assert response.status_code == 302


@override_settings(SIGN_IN_FAILURE_LIMIT=100, SIGN_IN_ADDRESS_FAILURE_LIMIT=4)
def test_an_address_is_locked_after_repeated_failures_for_any_accounts(client, coordinator):
    for n in range(4):
        _post_sign_in(client, f"guess{n}", "wrong", "203.0.113.5")
    response = _post_sign_in(client, coordinator.username, TEST_PASSWORD, "203.0.113.5")
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    # The same account from another address signs in.
    response = _post_sign_in(client, coordinator.username, TEST_PASSWORD, "203.0.113.6")
    assert response.status_code == 302


@override_settings(SIGN_IN_FAILURE_LIMIT=2)
def test_the_lockout_page_does_not_tell_whether_an_account_exists(client, coordinator):
    pages = {}
    for username in (coordinator.username, "nobody-has-this-name"):
        for n in range(2):
            _post_sign_in(client, username, "wrong", f"192.0.2.{n + 20}")
        response = _post_sign_in(client, username, "wrong", "192.0.2.30")
        assert response.status_code == 429
        pages[username] = _main(response).replace(username, "NAME")
    assert pages[coordinator.username] == pages["nobody-has-this-name"]


@override_settings(SIGN_IN_FAILURE_LIMIT=2, SIGN_IN_COOLOFF_MINUTES=15)
def test_the_lockout_ends_after_the_cool_off(client, coordinator):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(2):
        _post_sign_in(client, coordinator.username, "wrong", "192.0.2.40")
    assert (
        _post_sign_in(client, coordinator.username, TEST_PASSWORD, "192.0.2.40").status_code == 429
    )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert (
        _post_sign_in(client, coordinator.username, TEST_PASSWORD, "192.0.2.40").status_code == 302
    )


# The second factor on every page ------------------------------------------------------------------


def _user(role, username, **kwargs):
    from ..factories import UserFactory

    return UserFactory(roles=[role], username=username, **kwargs)


def test_a_session_without_the_second_factor_reaches_no_page(client, coordinator):
    authenticator_for(coordinator)
    sign_in_without_second_factor(client, coordinator)
    urls = [
        reverse(name)
        for name in sorted(set(SIGNED_IN_PAGES) | set(REDIRECTING_PAGES))
        if name not in {"accounts:verify", "accounts:enrol"}
    ]
    urls += ["/admin/", "/admin/accounts/user/", "/referrals/cases/1/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:verify')}?next={_quoted(url)}", url


def _a_minute_later():
    """After a wrong code, django-otp makes the next try wait (a second, doubling with each
    failure): move the devices' last failure a minute back, as if the person retried then."""
    from django.utils import timezone

    earlier = timezone.now() - timezone.timedelta(minutes=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.exclude(throttling_failure_timestamp=None).update(
            throttling_failure_timestamp=earlier
        )


def _quoted(url):
    from urllib.parse import quote

    return quote(url, safe="")


def test_signing_in_asks_for_the_code_then_goes_where_the_user_was_going(client, coordinator):
    authenticator_for(coordinator)
    wanted = reverse("referrals:queue")
    page = client.get(f"{reverse('login')}?next={wanted}")
    response = submit(
        client, page, "Sign in", {"username": coordinator.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == f"{reverse('accounts:verify')}?next={_quoted(wanted)}"
    page = client.get(response["Location"])
    assert "Enter the code from your authenticator app" in page.content.decode()
    assert client.get(wanted).status_code == 302  # not yet

    wrong = submit(client, page, "Continue", {"code": "000000"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()

    _a_minute_later()
    response = submit(client, page, "Continue", {"code": current_code(coordinator)})
    assert response.status_code == 302
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200


def test_a_code_works_once(client, coordinator):
    authenticator_for(coordinator)
    sign_in_without_second_factor(client, coordinator)
    page = client.get(reverse("accounts:verify"))
    code = current_code(coordinator)
    assert submit(client, page, "Continue", {"code": code}).status_code == 302

    other = client.__class__()
    sign_in_without_second_factor(other, coordinator)
    page = other.get(reverse("accounts:verify"))
    response = submit(other, page, "Continue", {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def _secret_on(page) -> bytes:
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.content.decode())[1]
    return b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))


def _code_for(key: bytes) -> str:
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_an_account_without_an_app_sets_one_up_then_uses_recovery_codes_once(client):
    user = _user(Role.ISAC, "new_advocate")
    page = client.get(reverse("login"))
    response = submit(
        client, page, "Sign in", {"username": user.username, "password": TEST_PASSWORD}
    )
    response = client.get(response["Location"], follow=True)
    page = response
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    html = page.content.decode()
    assert "Set up your authenticator app" in html
    assert "<svg" in html  # the QR code, drawn on the server
    assert client.get(reverse("home:index")).status_code == 302  # not before it is confirmed

    wrong = submit(client, page, "Confirm", {"code": "123456"})
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    _a_minute_later()

    done = submit(client, page, "Confirm", {"code": _code_for(_secret_on(page))})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("home:index")).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION,
        object_id=str(user.pk),
        changed_fields=["second factor set up"],
    ).exists()

    # Another day, without the app: a recovery code works, once.
    for attempt in (1, 2):
        other = client.__class__()
        sign_in_without_second_factor(other, user)
        page = other.get(reverse("accounts:verify"))
        response = submit(other, page, "Continue", {"code": codes[0]})
        _a_minute_later()
        if attempt == 1:
            assert response.status_code == 302
            assert other.get(reverse("home:index")).status_code == 200
        else:
            assert "The code is not right" in response.content.decode()
    account = client.get(reverse("accounts:account"))
    assert '<dd class="govuk-summary-list__value" data-testid="recovery-codes-left">9</dd>' in (
        account.content.decode()
    )


def test_someone_with_an_app_cannot_set_up_another_without_a_code(client, coordinator):
    authenticator_for(coordinator)
    sign_in_without_second_factor(client, coordinator)
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    client.force_login(coordinator)
    account = client.get(reverse("accounts:account"))
    response = submit(client, account, "Make new recovery codes")
    first = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    response = submit(client, account, "Make new recovery codes")
    second = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(first) == len(second) == 10
    assert not set(first) & set(second)
    other = client.__class__()
    sign_in_without_second_factor(other, coordinator)
    page = other.get(reverse("accounts:verify"))
    assert (
        "The code is not right"
        in submit(other, page, "Continue", {"code": first[0]}).content.decode()
    )
    _a_minute_later()
    assert submit(other, page, "Continue", {"code": second[0]}).status_code == 302
    assert AuditEvent.objects.filter(changed_fields=["recovery codes renewed"]).count() == 2


def test_an_administrator_resets_a_second_factor_and_it_is_audited(
    client, administrator, coordinator
):
    their_session = client.__class__()
    their_session.force_login(coordinator)
    assert their_session.get(reverse("home:index")).status_code == 200
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [coordinator.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.get(changed_fields=["second factor reset"])
    assert event.actor == administrator
    assert event.object_id == str(coordinator.pk)
    # Their session verified with the old app is no longer.
    response = their_session.get(reverse("home:index"))
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_the_admin_does_not_show_authenticator_secrets(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# Demo logins in development -----------------------------------------------------------------------


def _demo_login():
    return _user(Role.COORDINATOR, "coordinator", email="coordinator@demo.invalid")


def test_demo_logins_must_pass_the_second_factor_outside_development(client):
    user = _demo_login()
    authenticator_for(user)
    page = client.get(reverse("login"))
    assert 'data-testid="demo-skips-second-factor"' not in page.content.decode()
    response = submit(
        client, page, "Sign in", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:verify"))


@override_settings(DJANGO_ENV="development", DEMO_SKIP_MFA=True)
def test_demo_logins_skip_the_second_factor_in_development_and_the_page_says_so(client):
    user = _demo_login()
    page = client.get(reverse("login"))
    assert 'data-testid="demo-skips-second-factor"' in page.content.decode()
    response = submit(
        client, page, "Sign in", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("home:index")
    assert client.get(reverse("home:index")).status_code == 200
    # Any other account still needs its code.
    other = _user(Role.COORDINATOR, "not_a_demo_login")
    client.post(reverse("logout"))
    page = client.get(reverse("login"))
    response = submit(
        client, page, "Sign in", {"username": other.username, "password": TEST_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:verify"))


# Passwords ----------------------------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one(client, coordinator):
    client.force_login(coordinator)
    account = client.get(reverse("accounts:account"))
    assert reverse("accounts:password_change") in account.content.decode()
    page = client.get(reverse("accounts:password_change"))
    new = "a-much-longer-passphrase-2026"
    wrong = submit(
        client,
        page,
        "Change password",
        {"old_password": "not-it", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    short = submit(
        client,
        page,
        "Change password",
        {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert "This password is too short" in short.content.decode()
    response = submit(
        client,
        page,
        "Change password",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(new)
    # Still signed in, second factor and all.
    assert client.get(reverse("home:index")).status_code == 200
    assert AuditEvent.objects.filter(changed_fields=["password"], actor=coordinator).exists()


def test_a_password_is_reset_by_an_emailed_link(client, coordinator, settings):
    settings.SITE_URL = "https://clinic.example.police.uk"
    page = client.get(reverse("login"))
    page = client.get(reverse("accounts:password_reset"))
    assert reverse("accounts:password_reset") in client.get(reverse("login")).content.decode()
    response = submit(client, page, "Send a reset link", {"email": coordinator.email}, follow=True)
    assert "Check your email" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    link = re.search(r"https://clinic\.example\.police\.uk(/\S+)", message.body)[1]
    assert coordinator.username not in message.body
    assert coordinator.last_name not in message.body

    page = client.get(link, follow=True)
    assert "Set a new password" in page.content.decode()
    new = "a-much-longer-passphrase-2026"
    response = submit(
        client, page, "Set password", {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Your password has been set" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(new)
    # The link works once.
    assert "The link has expired" in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, coordinator):
    page = client.get(reverse("accounts:password_reset"))
    known = submit(client, page, "Send a reset link", {"email": coordinator.email}, follow=True)
    unknown = submit(
        client, page, "Send a reset link", {"email": "nobody@example.invalid"}, follow=True
    )
    assert _main(known) == _main(unknown)
    assert len(mail.outbox) == 1
