"""Lists and searches that name victims or suspects log one consultation each: the search terms
typed and the references of every record (and person) shown. A case page is logged against each
person it shows too (issue 14, item 8)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from stalking_clinic.access import Perm, require
from stalking_clinic.audit.middleware import RequestAudit
from stalking_clinic.audit.models import AuditEvent

from ..pages import submit
from ..referrals.factories import CaseFactory, PersonFactory, ReferralFactory
from ..spo.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _ref(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def _latest_consultation(user):
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.CONSULTATION).latest("id")


def test_the_triage_queue_search_logs_the_terms_and_the_referrals_shown(client, coordinator):
    found = ReferralFactory(victim=PersonFactory(first_name="Zebedee", last_name="Quill"))
    ReferralFactory(victim=PersonFactory(first_name="Other", last_name="Person"))
    client.force_login(coordinator)
    page = client.get(reverse("referrals:queue"))
    response = submit(client, page, "Search", {"search": "Quill"}, follow=True)
    assert "Zebedee" in response.content.decode()

    event = _latest_consultation(coordinator)
    assert event.search_terms == "Quill"
    assert _ref(found) in event.records
    assert _ref(found.victim) in event.records
    assert event.object_type == "referrals.referral"
    assert event.object_label == "Triage queue: 1 shown"
    assert "Quill" not in event.path
    # One event for the list, not one per row.
    assert AuditEvent.objects.filter(actor=coordinator, path=event.path).count() == 2


def test_the_case_list_logs_every_case_and_victim_shown(client, coordinator):
    cases = CaseFactory.create_batch(3)
    client.force_login(coordinator)
    assert client.get(reverse("referrals:case_list")).status_code == 200
    event = _latest_consultation(coordinator)
    for case in cases:
        assert _ref(case) in event.records
        assert _ref(case.victim) in event.records


@pytest.mark.parametrize("name", ["closed_with_new_information", "risk_work", "findings", "mine"])
def test_other_referrals_lists_log_a_consultation(client, persona, name):
    user = persona("officer" if name == "mine" else "coordinator")
    client.force_login(user)
    assert client.get(reverse(f"referrals:{name}")).status_code == 200
    assert _latest_consultation(user).path == reverse(f"referrals:{name}")


def test_the_protection_order_lists_log_the_applications_and_defendants(client, persona):
    solicitor = persona("solicitor")
    application = ApplicationFactory(solicitor=solicitor)
    client.force_login(solicitor)
    for name in ("spo:index", "spo:orders"):
        client.get(reverse(name))
        event = _latest_consultation(solicitor)
        assert event.path == reverse(name)
    index_event = AuditEvent.objects.filter(actor=solicitor, path=reverse("spo:index")).get()
    assert _ref(application) in index_event.records
    assert _ref(application.defendant) in index_event.records


def test_a_case_page_is_logged_against_its_victim_and_each_suspect(client, coordinator):
    suspects = PersonFactory.create_batch(2)
    case = CaseFactory(owner=coordinator, suspects=suspects)
    client.force_login(coordinator)
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 200
    event = _latest_consultation(coordinator)
    assert (event.object_type, event.object_id) == ("referrals.case", str(case.pk))
    assert set(event.records) == {_ref(case.victim), *(_ref(s) for s in suspects)}


def test_a_list_that_logs_nothing_fails_loudly():
    @require(Perm.CASES_VIEW, shows_personal_data=True)
    def silent_list(request):
        return HttpResponse("names")

    @require(Perm.CASES_VIEW, shows_personal_data=True)
    def logged_list(request):
        request.audit.listed([], what="Empty list", terms="nobody")
        return HttpResponse("no names")

    from django.core.exceptions import ImproperlyConfigured

    from ..factories import UserFactory

    user = UserFactory(roles=["coordinator"])
    request = RequestFactory().get("/list/")
    request.user = user
    request.audit = RequestAudit(request)
    with pytest.raises(ImproperlyConfigured, match="listed"):
        silent_list(request)
    request.audit = RequestAudit(request)
    assert logged_list(request).status_code == 200
    event = request.audit.consultations[0]
    assert (event.records, event.search_terms) == ([], "nobody")
