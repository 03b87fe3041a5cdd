"""Each role signs in through the real sign-in page and lands on its own home page."""

import re

import pytest
from playwright.sync_api import expect

from stalking_clinic.accounts.models import Role

from .conftest import sign_in_on

NAV_FOR_ROLE = {
    Role.COORDINATOR: ["Home", "Referrals and cases", "Meetings", "Protection orders", "Training"],
    # The tactical lead reviews unusual access, so searches the audit log too.
    Role.TACTICAL_LEAD: [
        "Home",
        "Referrals and cases",
        "Meetings",
        "Protection orders",
        "Training",
        "Audit log",
    ],
    Role.SOLICITOR: ["Home", "Referrals and cases", "Meetings", "Protection orders", "Training"],
    Role.ISAC: ["Home", "Referrals and cases", "Meetings", "Training"],
    Role.SUPERVISOR: ["Home", "Training"],
    Role.OFFICER: ["Home", "Referrals and cases", "Protection orders", "Training"],
    Role.CHAMPION: ["Home", "Referrals and cases", "Protection orders", "Training"],
    Role.PARTNER: ["Home", "Referrals and cases", "Meetings", "Protection orders"],
    Role.ADMINISTRATOR: ["Home", "Audit log"],
}


@pytest.mark.django_db(transaction=True)
def test_each_role_signs_in_and_sees_its_home_page(new_page, make_user, subtests):
    # One test, a subtest and a browser of its own per role: the live server's database is
    # emptied once, not once a role.
    for role, links in NAV_FOR_ROLE.items():
        with subtests.test(role=role), new_page() as page:
            user = make_user(
                role, username=f"browser_{role}", first_name="Robin", last_name=f"Test-{role}"
            )
            sign_in_on(page, user)

            expect(page).to_have_title(re.compile(r"^My work \u2013 Stalking Clinic"))
            expect(page.get_by_role("heading", level=1)).to_have_text("My work")
            expect(page.get_by_test_id("signed-in-user")).to_have_text(user.display_name)
            expect(page.locator(".clinic-header__user-roles")).to_contain_text(Role(role).label)
            nav = page.get_by_role("navigation", name="Menu").get_by_role("link")
            expect(nav).to_have_text(links)


@pytest.mark.django_db(transaction=True)
def test_pages_get_their_stylesheet_and_scripts(page, sign_in, make_user):
    sign_in(make_user(Role.COORDINATOR, username="browser_static"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.wait_for_load_state("networkidle")
    served = {path for path, status in page.static_responses.items() if status in {200, 304}}
    assert {
        "/static/build/app.css",
        "/static/js/app.mjs",
        "/static/build/govuk/govuk-frontend.min.js",
        "/static/build/moj/moj-frontend.min.js",
    } <= served
    # GOV.UK Frontend's styles apply, and its JavaScript started the page's components.
    header = page.locator(".govuk-header")
    assert header.evaluate("h => getComputedStyle(h).backgroundColor") != "rgba(0, 0, 0, 0)"
    expect(page.locator("[data-module=govuk-skip-link][data-govuk-skip-link-init]")).to_have_count(
        1
    )


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_explained_and_username_kept(page, make_user):
    user = make_user(Role.COORDINATOR, username="browser_wrong")
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password.")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_label("Username")).to_have_value(user.username)


@pytest.mark.django_db(transaction=True)
def test_signing_out_ends_the_session(page, sign_in, make_user):
    sign_in(make_user(Role.OFFICER, username="browser_out"))
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))


@pytest.mark.django_db(transaction=True)
def test_a_partner_is_refused_a_page_outside_their_areas(page, sign_in, make_user):
    sign_in(make_user(Role.PARTNER, username="browser_partner"))
    response = page.goto("/protection-orders/")
    assert response.status == 403


@pytest.mark.django_db(transaction=True)
def test_administrator_searches_the_audit_log(page, sign_in, make_user):
    admin = make_user(Role.ADMINISTRATOR, username="browser_admin")
    sign_in(admin)
    page.get_by_role("link", name="Audit log").first.click()
    page.get_by_label("User").fill(admin.username)
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("Signed in")
    expect(table).to_contain_text(f"User {admin.username}")
