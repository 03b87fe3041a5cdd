"""The session warning as a person meets it: it appears before the end, "Stay signed in" and Escape
keep the session, doing nothing signs them out with the reason, and what they had typed is back in
the form after signing in again (also when they press the form's button after the end)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stalking_clinic.accounts.models import Role

from ..factories import TEST_PASSWORD
from .conftest import enter_code, sign_in_on

pytestmark = pytest.mark.django_db(transaction=True)

CPD_NEW = reverse("training:cpd_new")
REFLECTION = "Learnt how fixation shows in repeated contact; will use it in risk reviews."


def _type_into_the_form(page):
    page.goto(CPD_NEW)
    page.get_by_label("What it was").fill("Fixated behaviour webinar")
    page.get_by_label("Reading or research").check()
    page.get_by_label("Reflection (optional)").fill(REFLECTION)


def _sign_in_again(page, user):
    """On the sign-in page the session's end led to: the password, then the code."""
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_code(page, user)


def _typed_text_is_back(page):
    expect(page).to_have_url(re.compile(re.escape(CPD_NEW) + "$"))
    expect(page.get_by_test_id("restored-input")).to_contain_text("put back what you had typed")
    expect(page.get_by_label("What it was")).to_have_value("Fixated behaviour webinar")
    expect(page.get_by_label("Reading or research")).to_be_checked()
    expect(page.get_by_label("Reflection (optional)")).to_have_value(REFLECTION)


def _seconds_left(page):
    return page.request.get(reverse("session:status")).json()["seconds_left"]


def test_warned_kept_then_signed_out_and_nothing_typed_is_lost(page, make_user, settings):
    settings.SESSION_IDLE_SECONDS = 8
    settings.SESSION_IDLE_WARNING_SECONDS = 6
    user = make_user(Role.ISAC, username="browser_idle")
    sign_in_on(page, user)
    _type_into_the_form(page)

    warning = page.get_by_role("dialog", name="You\u2019re about to be signed out")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("we will sign you out in")
    # Focus moved into the dialog, and the page behind is out of reach.
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    assert _seconds_left(page) > 6
    # Focus went back where it was.
    assert page.evaluate("document.activeElement.name") == "reflection"

    expect(warning).to_be_visible()
    page.keyboard.press("Escape")
    expect(warning).to_be_hidden()
    assert _seconds_left(page) > 6

    # Now nothing: the session ends and the sign-in page says why.
    expect(page.get_by_text("You were signed out after 8 seconds without activity.")).to_be_visible(
        timeout=15_000
    )
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    assert page.request.get(CPD_NEW, max_redirects=0).status == 302

    _sign_in_again(page, user)
    _typed_text_is_back(page)


def test_a_form_sent_after_the_session_ended_keeps_what_was_typed(page, make_user, settings):
    """The computer slept, so the page could not warn: pressing the button after the end leads
    to signing in again, and back to the form as it was."""
    user = make_user(Role.ISAC, username="browser_slept")
    sign_in_on(page, user)
    _type_into_the_form(page)
    settings.SESSION_IDLE_SECONDS = 1  # the server's clock ran out while the page slept
    page.wait_for_timeout(1500)

    page.get_by_role("button", name="Add to my CPD log").click()

    expect(page.get_by_text("You were signed out after 1 second without activity.")).to_be_visible()
    settings.SESSION_IDLE_SECONDS = 30 * 60
    _sign_in_again(page, user)
    _typed_text_is_back(page)
    # Put back once: the next visit to the form starts empty.
    page.goto("/")
    page.goto(CPD_NEW)
    expect(page.get_by_label("Reflection (optional)")).to_have_value("")
    expect(page.get_by_test_id("restored-input")).to_have_count(0)
