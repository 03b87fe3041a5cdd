"""Walk every URL as an anonymous visitor, an outsider and each role: allowed or refused as
designed. Each URL is one test, and each visitor's check a subtest of it.

The table below is the design. A new URL without an entry fails ``test_every_url_is_in_the_table``,
so nobody can add a page without deciding who may use it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stalking_clinic.accounts.models import Role

from ..factories import UserFactory
from ..savepoints import kept_for_module, rolled_back

# home:about_pdf makes a PDF: faked here (tests/core/test_pdf.py draws a real one).
pytestmark = pytest.mark.usefixtures("fake_pdf")

EVERY_ROLE = set(Role.values)
CLINIC = {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR, Role.ISAC}
POLICE = {Role.SUPERVISOR, Role.OFFICER, Role.CHAMPION}

# url name -> roles that get the page (everyone else signed in gets 403).
SIGNED_IN_PAGES = {
    "home:index": EVERY_ROLE | {None},
    "home:about": EVERY_ROLE | {None},
    "home:about_pdf": EVERY_ROLE | {None},
    "session:status": EVERY_ROLE | {None},
    # One's own account: the second factor, recovery codes, the password (tests/accounts/).
    "accounts:account": EVERY_ROLE | {None},
    "accounts:password_change": EVERY_ROLE | {None},
    "meetings:index": CLINIC | {Role.PARTNER},
    "meetings:meeting_new": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "meetings:my_actions": CLINIC | {Role.PARTNER},
    "meetings:agency_actions": CLINIC | {Role.PARTNER},
    "spo:index": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "spo:calendar": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "spo:calendar_ics": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "spo:calendar_feed_new": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "spo:calendar_feed_revoke": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "spo:orders": {Role.SOLICITOR, Role.COORDINATOR, Role.TACTICAL_LEAD, Role.PARTNER}
    | {Role.OFFICER, Role.CHAMPION},
    "training:index": CLINIC | POLICE,
    "training:champions": CLINIC | POLICE,
    "training:champion_new": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:cpd": CLINIC,
    "training:cpd_new": CLINIC,
    "training:officers": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:officer_import": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:my_team": {Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:compliance": {Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:compliance_csv": {Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:my_training": CLINIC | POLICE,
    "training:courses": CLINIC | POLICE,
    "training:course_new": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "training:sessions": CLINIC | POLICE,
    "training:session_new": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    # The tactical lead reviews unusual access in the audit log (stalking_clinic/audit/unusual.py).
    "audit:search": {Role.ADMINISTRATOR, Role.TACTICAL_LEAD},
    "audit:unusual_access": {Role.ADMINISTRATOR, Role.TACTICAL_LEAD},
    "referrals:referral_new": {
        Role.COORDINATOR,
        Role.TACTICAL_LEAD,
        Role.ISAC,
        Role.OFFICER,
        Role.CHAMPION,
        Role.PARTNER,
    },
    "referrals:mine": {
        Role.COORDINATOR,
        Role.TACTICAL_LEAD,
        Role.ISAC,
        Role.OFFICER,
        Role.CHAMPION,
        Role.PARTNER,
    },
    "referrals:queue": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "referrals:case_list": CLINIC | {Role.PARTNER},
    "referrals:risk_work": CLINIC | {Role.PARTNER},
    "referrals:log_imports": {Role.COORDINATOR},
    "referrals:findings": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "referrals:closed_with_new_information": {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.ISAC},
    "referrals:caseloads": {Role.COORDINATOR, Role.TACTICAL_LEAD},
    "referrals:records_due": {Role.COORDINATOR, Role.TACTICAL_LEAD},
}
# The area's front page sends each user on to where they start.
# The second factor's pages send a session that has passed it on to where it was going.
REDIRECTING_PAGES = {
    "referrals:index": CLINIC | {Role.OFFICER, Role.CHAMPION, Role.PARTNER},
    "accounts:verify": EVERY_ROLE | {None},
    "accounts:enrol": EVERY_ROLE | {None},
}
# A button's endpoint: a GET is 405, once the visitor is known to be allowed.
POST_ONLY_PAGES = {
    "session:keep_alive": EVERY_ROLE | {None},
    "accounts:recovery_codes_new": EVERY_ROLE | {None},
}
# spo:calendar_feed is for calendar programs, which cannot sign in: the secret token in its
# address authenticates it (tests/spo/test_calendar.py); without a good token it is 404.
# Resetting a forgotten password is for someone who cannot sign in (tests/accounts/).
PUBLIC_PAGES = {
    "login",
    "logout",
    "healthz",
    "spo:calendar_feed",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


def _named_urls(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace == "admin":
                continue
            yield from _named_urls(pattern.url_patterns, f"{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_table():
    from .test_record_access import RECORD_PAGES

    assert set(_named_urls()) == (
        set(SIGNED_IN_PAGES)
        | set(REDIRECTING_PAGES)
        | set(POST_ONLY_PAGES)
        | set(RECORD_PAGES)
        | PUBLIC_PAGES
    )


ROLES = [*sorted(Role.values), None]


@pytest.fixture(scope="module")
def walkers(django_db_setup, django_db_blocker):
    """A user for each role, and one with no role at all: made once for the module."""
    with kept_for_module(django_db_blocker):
        yield {
            role: UserFactory(roles=[role] if role else [], username=f"walker_{role or 'none'}")
            for role in ROLES
        }


def _walk(client, subtests, walkers, name, status_for):
    """Ask for the page anonymously, then as each role; each request is rolled back before the
    next, so each finds the database as the test set it up."""
    url = reverse(name)
    with subtests.test("anonymous visitor is sent to sign in"), rolled_back():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    for role, user in walkers.items():
        with subtests.test(role=role or "no-role"), rolled_back():
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == status_for(role), f"{role} on {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SIGNED_IN_PAGES))
def test_each_role_gets_only_its_pages(client, subtests, walkers, name):
    allowed = SIGNED_IN_PAGES[name]
    _walk(client, subtests, walkers, name, lambda role: 200 if role in allowed else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REDIRECTING_PAGES))
def test_area_front_pages_redirect_only_those_allowed(client, subtests, walkers, name):
    allowed = REDIRECTING_PAGES[name]
    _walk(client, subtests, walkers, name, lambda role: 302 if role in allowed else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY_PAGES))
def test_each_role_gets_only_its_button_endpoints(client, subtests, walkers, name):
    """Posted (with CSRF checked, as a browser sends it); a GET is refused with 405."""
    allowed = POST_ONLY_PAGES[name]
    url = reverse(name)
    with subtests.test("anonymous visitor is sent to sign in"), rolled_back():
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    for role, user in walkers.items():
        with subtests.test(role=role or "no-role"), rolled_back():
            client.force_login(user)
            posted = client.post(url).status_code
            assert posted in ({200, 204, 302} if role in allowed else {403})
            if role in allowed:
                assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_inactive_account_cannot_use_anything(client, make_user):
    user = make_user(Role.COORDINATOR, is_active=False)
    client.force_login(user)
    response = client.get(reverse("referrals:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_admin_site_is_for_administrators_only(client, coordinator, administrator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 302  # to the admin's own sign-in
    assert client.get("/admin/accounts/user/").status_code == 302
    client.force_login(administrator)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_public_pages_answer_without_signing_in(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    feed = reverse("spo:calendar_feed", kwargs={"token": "not-a-token"})
    assert client.get(feed).status_code == 404
