"""Signing in as a person does: a password and then the code from an authenticator app; and being
locked out after repeated failures."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from stalking_clinic.accounts.models import Role

from ..factories import TEST_PASSWORD, authenticator_for
from .conftest import enter_code


@pytest.mark.django_db(transaction=True)
def test_signs_in_with_a_password_and_a_code_from_the_app(page, make_user):
    user = make_user(Role.COORDINATOR, username="browser_mfa")
    authenticator_for(user)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    # Nowhere to go before the code: no menu, and the home page sends back here.
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # django-otp makes a retry wait a second after a wrong code: as if the person took a minute.
    TOTPDevice.objects.update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(minutes=1)
    )
    enter_code(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()


@pytest.mark.django_db(transaction=True)
@override_settings(SIGN_IN_FAILURE_LIMIT=3)
def test_is_locked_out_after_repeated_failures(page, make_user):
    user = make_user(Role.OFFICER, username="browser_lockout")
    authenticator_for(user)
    page.goto("/sign-in/")
    for _ in range(3):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text(
        "You have tried to sign in too many times"
    )
    # The right password is refused too, with the same message.
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_test_id("locked-out")).to_contain_text("Wait 15 minutes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
