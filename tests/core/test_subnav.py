"""The areas' sub-navigation (stalking_clinic.home.navigation.subnav)."""

import pytest
from django.urls import reverse

from stalking_clinic.accounts.models import Role

pytestmark = pytest.mark.django_db


def _subnav(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="moj-sub-navigation"')
    return html[start : html.index("</nav>", start)]


def test_each_area_names_its_sub_navigation_and_marks_the_current_page(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    for url, label, current in [
        (reverse("referrals:queue"), "Referrals and cases", "Triage queue"),
        (reverse("meetings:index"), "Meetings", "Meetings"),
        (reverse("training:courses"), "Training", "Courses"),
    ]:
        nav = _subnav(client.get(url))
        assert f'aria-label="{label}"' in nav
        assert f'aria-current="page">{current}</a>' in nav


def test_an_item_with_a_further_test_shows_only_to_those_who_pass_it(client, make_user):
    from ..training.factories import TraineeFactory

    unlinked = make_user(Role.OFFICER, username="unlinked")
    linked = make_user(Role.OFFICER, username="linked", collar_number="PC777")
    TraineeFactory(collar_number="PC777")

    client.force_login(unlinked)
    assert "My training" not in _subnav(client.get(reverse("training:index")))
    client.force_login(linked)
    assert "My training" in _subnav(client.get(reverse("training:index")))
