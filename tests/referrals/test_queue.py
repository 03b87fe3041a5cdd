"""The triage queue: order, filters, search that keeps names out of URLs, waiting time, paging."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.working_days import (
    bank_holidays,
    is_working_day,
    working_days_before,
    working_days_between,
)

from .factories import PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def _queue(client, **params):
    return client.get(reverse("referrals:queue"), params)


def test_highest_risk_first_then_longest_waiting(client, coordinator):
    old_medium = ReferralFactory(risk_level="medium", risk_rank=2, submitted_at=_at(5))
    new_high = ReferralFactory(risk_level="high", risk_rank=3, submitted_at=_at(1))
    old_high = ReferralFactory(risk_level="high", risk_rank=3, submitted_at=_at(3))
    unassessed = ReferralFactory(submitted_at=_at(9))
    ReferralFactory(status=Referral.Status.TRIAGED)
    client.force_login(coordinator)
    rows = [row["referral"] for row in _queue(client).context["rows"]]
    assert rows == [old_high, new_high, old_medium, unassessed]


def test_filters_by_risk_area_source_and_assignee(client, coordinator):
    wanted = ReferralFactory(
        risk_level="high", risk_rank=3, area="Stroud", source="champion", assigned_to=coordinator
    )
    ReferralFactory(risk_level="high", risk_rank=3, area="Stroud", source="champion")
    ReferralFactory(risk_level="high", risk_rank=3, area="Cotswold", source="champion")
    ReferralFactory(area="Stroud", source="champion", assigned_to=coordinator)
    client.force_login(coordinator)
    response = _queue(
        client, risk="high", area="Stroud", source="champion", assigned_to=coordinator.pk
    )
    assert [row["referral"] for row in response.context["rows"]] == [wanted]


def test_search_by_name_is_posted_and_never_in_the_url(client, coordinator):
    wanted = ReferralFactory(victim=PersonFactory(first_name="Zelda", last_name="Quarry"))
    ReferralFactory()
    client.force_login(coordinator)
    response = client.post(reverse("referrals:queue") + "?area=", {"search": "zelda quarry"})
    assert response.status_code == 302
    assert "zelda" not in response["Location"].lower()
    response = client.get(response["Location"])
    assert [row["referral"] for row in response.context["rows"]] == [wanted]
    client.post(reverse("referrals:queue"), {"clear": "1"})
    assert len(_queue(client).context["rows"]) == 2


def test_search_by_referral_or_person_reference(client, coordinator):
    wanted = ReferralFactory(suspect=PersonFactory(person_ref="P777777"))
    ReferralFactory()
    client.force_login(coordinator)
    for term in (wanted.reference, "p777777"):
        client.post(reverse("referrals:queue"), {"search": term})
        assert [row["referral"] for row in _queue(client).context["rows"]] == [wanted], term


def test_waiting_past_the_target_is_flagged(client, coordinator, settings):
    settings.TRIAGE_TARGET_WORKING_DAYS = 2
    today = timezone.localdate()
    three_working_days_ago = working_days_before(today, 3)
    late = ReferralFactory(
        submitted_at=timezone.make_aware(
            datetime.datetime.combine(three_working_days_ago, datetime.time(10))
        )
    )
    on_time = ReferralFactory(submitted_at=timezone.now())
    client.force_login(coordinator)
    rows = {row["referral"]: row for row in _queue(client).context["rows"]}
    assert rows[late]["overdue"] and rows[late]["days_waiting"] == 3
    assert not rows[on_time]["overdue"]


def test_working_days_skip_weekends_and_bank_holidays():
    # Thursday 24 Dec to Tuesday 29 Dec 2026: Fri 25 (Christmas) and Mon 28 (Boxing Day, moved
    # from Saturday) are bank holidays, Sat/Sun the weekend.
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)) == 1
    assert working_days_before(datetime.date(2026, 12, 29), 1) == datetime.date(2026, 12, 24)


def test_bank_holidays_are_known_for_every_year_and_extra_days_count(settings):
    # The list once written into the settings ended in December 2027; the package goes on.
    days = bank_holidays(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert {day for day in days if day.weekday() < 5} == {
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 26),
        datetime.date(2027, 3, 29),
        datetime.date(2027, 5, 3),
        datetime.date(2027, 5, 31),
        datetime.date(2027, 8, 30),
        datetime.date(2027, 12, 27),
        datetime.date(2027, 12, 28),
    }
    assert not is_working_day(datetime.date(2031, 12, 25))
    assert is_working_day(datetime.date(2031, 12, 24))
    settings.EXTRA_BANK_HOLIDAYS = [datetime.date(2031, 12, 24)]
    assert not is_working_day(datetime.date(2031, 12, 24))
    # Welsh bank holidays are England's; Scotland's 2 January is not one.
    assert is_working_day(datetime.date(2030, 1, 2))


def test_paging_walks_every_referral_once_with_constant_queries(
    client, coordinator, django_assert_max_num_queries
):
    base = timezone.now() - datetime.timedelta(days=30)
    referrals = [
        ReferralFactory(
            risk_level=["", "standard", "medium", "high"][i % 4],
            risk_rank=i % 4,
            submitted_at=base + datetime.timedelta(minutes=i // 3),  # ties on time too
        )
        for i in range(130)
    ]
    client.force_login(coordinator)
    seen, url, pages = [], reverse("referrals:queue"), 0
    while url:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        pages += 1
        seen.extend(row["referral"].pk for row in response.context["rows"])
        link = response.context["page"].next_link
        url = reverse("referrals:queue") + link if link else None
    assert pages == 3
    assert sorted(seen) == sorted(r.pk for r in referrals) and len(seen) == len(set(seen))
    # And back again from the last page.
    previous = response.context["page"].previous_link
    back = client.get(reverse("referrals:queue") + previous).context["rows"]
    assert [row["referral"].pk for row in back] == seen[50:100]


def test_the_queue_is_for_triage_roles_only(client, officer, isac):
    for user in (officer, isac):
        client.force_login(user)
        assert _queue(client).status_code == 403


@pytest.mark.parametrize("span", range(0, 40))
def test_working_days_arithmetic_matches_counting_day_by_day(settings, span):
    settings.EXTRA_BANK_HOLIDAYS = [datetime.date(2026, 12, 31)]
    start = datetime.date(2026, 12, 3)
    end = start + datetime.timedelta(days=span)
    expected = sum(
        1 for n in range(1, span + 1) if is_working_day(start + datetime.timedelta(days=n))
    )
    assert working_days_between(start, end) == expected


def test_a_name_search_needs_every_word_to_match_the_same_person(client, coordinator):
    ReferralFactory(
        victim=PersonFactory(first_name="Zelda", last_name="Other"),
        suspect=PersonFactory(first_name="Someone", last_name="Quarry"),
    )
    client.force_login(coordinator)
    client.post(reverse("referrals:queue"), {"search": "zelda quarry"})
    assert _queue(client).context["rows"] == []
