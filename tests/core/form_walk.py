"""Shared by the ``test_forms_post_somewhere_*`` modules: the demo data, and one role's walk.

Each role signs in as its demo login (``seed_demo``), starts at the home page and follows every
link it is shown (``tests.pages.walk``: a few of each kind of page, downloads left out). On every
page each ``<form method="post">`` must post to a view that takes a POST, with its CSRF token, and
no element id may repeat; a link the role is shown must lead to a page it may open. The roles are
split over two modules (``test_forms_post_somewhere_part*``) so that parallel test processes
share them out; each seeds its own copy.
"""

import pytest
from django.core.management import call_command

from stalking_clinic.accounts.models import User
from stalking_clinic.demo.users import USERS

from ..pages import walk
from ..savepoints import kept_for_module

# Files, not pages: nothing in them to check, and a PDF is slow to draw. Signing out ends the walk.
DOWNLOADS = frozenset(
    {
        "home:about_pdf",
        "meetings:minutes_pdf",
        "spo:calendar_ics",
        "spo:calendar_feed",
        "spo:application_pack_pdf",
        "spo:order_details_pdf",
        "training:booking_ics",
        "training:certificate_pdf",
        "training:compliance_csv",
        "referrals:log_import_progress",
        "logout",
    }
)
PAGES_OF_A_KIND = 2  # e.g. two case pages stand for every case page
MOST_PAGES = 300  # per login; the coordinator, who reaches the most, sees about 110


def demo_logins(role: str) -> list[str]:
    """The demo logins whose main role is ``role`` (two partner agencies: both)."""
    return [username for username, _, _, roles, _, _ in USERS if roles[0] == role]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo`` once for the module: every role's login and a realistic spread of records."""
    with kept_for_module(django_db_blocker):
        call_command("seed_demo", verbosity=0)
        yield


def check_role(client, role: str) -> None:
    """Walk as each of the role's demo logins; fail naming the login, the page and the problem."""
    logins = demo_logins(role)
    assert logins, f"seed_demo has no login for the role {role}"
    problems = []
    for username in logins:
        client.force_login(User.objects.get(username=username))
        seen = walk(client, "/", skip=DOWNLOADS, per_view=PAGES_OF_A_KIND, limit=MOST_PAGES)
        assert len(seen.pages) < MOST_PAGES, f"{username}: the walk reached its cap; raise it"
        problems += [f"{username} ({role}) on {problem}" for problem in seen.problems]
        client.logout()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
