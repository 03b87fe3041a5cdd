"""Paging long lists (stalking_clinic/paging.py): keyset pages in either direction, numbered
pages, and links that keep the list's filters."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from referrals.models import Referral
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.paging import keyset_page, numbered_page

from ..referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _get(query=""):
    return RequestFactory().get("/list/" + query)


@pytest.fixture
def referrals():
    """25 referrals with ties on rank and time, so the order needs every key to be total."""
    base = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    return [
        ReferralFactory(risk_rank=i % 3, submitted_at=base + datetime.timedelta(hours=i // 4))
        for i in range(25)
    ]


def _queue():
    return Referral.objects.order_by("-risk_rank", "submitted_at", "id")


def test_keyset_pages_forwards_then_back_in_a_mixed_order(referrals):
    expected = list(_queue().values_list("pk", flat=True))
    seen, query, pages = [], "?status=all", []
    while query is not None:
        page = keyset_page(_get(query), _queue(), size=10)
        pages.append(page)
        seen.extend(row.pk for row in page.rows)
        query = page.next_link
    assert seen == expected
    assert [len(page.rows) for page in pages] == [10, 10, 5]
    assert pages[0].previous_link is None and pages[-1].next_link is None
    # The filters stay in every link.
    assert all("status=all" in page.next_link for page in pages[:-1])

    back = keyset_page(_get(pages[-1].previous_link), _queue(), size=10)
    assert [row.pk for row in back.rows] == expected[10:20]
    first = keyset_page(_get(back.previous_link), _queue(), size=10)
    assert [row.pk for row in first.rows] == expected[:10]
    assert first.previous_link is None and first.next_link


def test_a_page_costs_one_query_however_deep(referrals, django_assert_num_queries):
    page = keyset_page(_get(), _queue(), size=10)
    with django_assert_num_queries(1):
        keyset_page(_get(page.next_link), _queue(), size=10)


def test_a_mangled_position_gives_the_first_page(referrals):
    first = [row.pk for row in keyset_page(_get(), _queue(), size=10).rows]
    for bad in ("?after=nonsense", "?after=WzFd", "?before=%%%", "?after="):
        assert [row.pk for row in keyset_page(_get(bad), _queue(), size=10).rows] == first


def test_the_address_holds_no_text(referrals):
    page = keyset_page(_get(), _queue(), size=10)
    assert "Referral" not in page.next_link
    with pytest.raises(ImproperlyConfigured, match="text"):
        keyset_page(_get(), Referral.objects.order_by("area", "id"), size=10)
    with pytest.raises(ImproperlyConfigured, match="ending with its id"):
        keyset_page(_get(), Referral.objects.order_by("-risk_rank"), size=10)


def test_newest_first_by_id_alone():
    AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditEvent.Action.CONSULTATION, object_id=str(n)) for n in range(7)
    )
    events = AuditEvent.objects.order_by("-id")
    page = keyset_page(_get(), events, size=5)
    rest = keyset_page(_get(page.next_link), events, size=5)
    ids = [e.pk for e in page.rows + rest.rows]
    assert ids == sorted(ids, reverse=True) and len(ids) == 7 and rest.next_link is None


def test_numbered_pages_say_where_they_are_and_keep_filters(referrals):
    page = numbered_page(_get("?area=Stroud&page=2"), _queue(), size=10)
    assert page.summary == "Page 2 of 3" and page.total == 25
    assert page.previous_link == "?area=Stroud&page=1"
    assert page.next_link == "?area=Stroud&page=3"
    assert numbered_page(_get("?page=99"), _queue(), size=10).summary == "Page 3 of 3"
