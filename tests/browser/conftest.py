"""Playwright against Debian's Chromium, driving the live test server as a person would."""

import os
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from ..factories import TEST_PASSWORD, authenticator_for, current_code

# Playwright's sync API runs an event loop in the test thread; the database calls our tests make
# from that thread are ordinary blocking calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def _browser_page(browser, base_url):
    """A page in a browser context of its own; on leaving, no JavaScript error may have happened
    and every static file the page asked for must have come."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The stylesheet, the scripts and what they load come from the live server's static files.
    page.static_responses = {}
    page.on("response", lambda r: _record_static(page.static_responses, r.url, r.status))
    page.on("requestfailed", lambda r: _record_static(page.static_responses, r.url, "failed"))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    # 304: the browser checked the copy it had kept is still the current one.
    missing = {
        url: status for url, status in page.static_responses.items() if status not in {200, 304}
    }
    assert not missing, f"Static files the page could not get: {missing}"


def _record_static(responses, url, status):
    path = urlsplit(url).path
    if path.startswith("/static/"):
        responses[path] = status


@pytest.fixture
def new_page(browser, live_server):
    """``with new_page() as page:`` another page, in a browser context of its own."""
    return lambda: _browser_page(browser, live_server.url)


@pytest.fixture
def page(new_page):
    with new_page() as page:
        yield page


def sign_in_on(page, user):
    """Sign in as a person does: the password, then the code their authenticator app shows."""
    authenticator_for(user)  # set up before, as a person's is
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_code(page, user)
    return page


def enter_code(page, user):
    """On the second-factor page: type the code the user's authenticator app shows now."""
    page.get_by_label("Code").fill(current_code(user))
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def sign_in(page):
    return lambda user: sign_in_on(page, user)


@pytest.fixture
def signed_in(browser, live_server):
    """``signed_in(user)``: a page of its own, signed in as ``user`` and on their home page; several
    people can be signed in at once, each in their own browser context."""
    contexts = []

    def open_as(user):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 1000}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in_on(page, user)
        expect(page.get_by_role("heading", level=1)).to_have_text("My work")
        return page

    yield open_as
    for context in contexts:
        context.close()


def refer_as_officer(
    page, *, refs: tuple[str, str, str], last_name: str, unwanted: str, repeated: str = ""
):
    """Make a referral through the menu as the signed-in officer: ``refs`` is the crime
    reference and the victim's and suspect's person references; both are called ``last_name``."""
    crime_ref, victim_ref, suspect_ref = refs
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Referrals and cases"
    ).click()
    page.get_by_role("navigation", name="Referrals and cases").get_by_role(
        "link", name="Make a referral"
    ).click()
    page.get_by_label("Crime references").fill(crime_ref)
    page.get_by_label("Policing area").select_option("Stroud")
    for group, ref, first_name in (
        ("Victim", victim_ref, "Vera"),
        ("Suspect", suspect_ref, "Stan"),
    ):
        person = page.get_by_role("group", name=group, exact=True)
        person.get_by_label("Person reference").fill(ref)
        person.get_by_label("First name").fill(first_name)
        person.get_by_label("Last name").fill(last_name)
    page.get_by_label("Relationship of the suspect to the victim").select_option("ex-partner")
    page.get_by_label("Unwanted").fill(unwanted)
    if repeated:
        page.get_by_label("Repeated").fill(repeated)
    page.get_by_label("Clinic review").check()
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent")
