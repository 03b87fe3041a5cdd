"""Closing a case and reopening it: through the case page's own buttons, by those who decide on
the case, on the version they saw, audited and on the timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Case, CaseStatusChange, CloseReason
from referrals.services.case_status import case_close, case_reopen, default_closed_review_on
from referrals.timeline import timeline_for
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..pages import repeated_ids, submit
from .factories import CaseFactory
from .factories_safety import isac_elsewhere, isac_on

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def case(coordinator):
    return CaseFactory(owner=coordinator)


def closed(case, by, **kwargs):
    kwargs = {"reason": CloseReason.RISK_REDUCED, "outcome": "Safety plan in place."} | kwargs
    case_close(case=case, version=case.version, by=by, review_on=TOMORROW, **kwargs)
    case.refresh_from_db()
    return case


def test_the_owner_closes_the_case_from_its_page(client, case, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_detail", args=[case.pk]))
    close_url = reverse("referrals:case_close", args=[case.pk])
    assert close_url in page.content.decode()

    form_page = client.get(close_url)
    assert not repeated_ids(form_page.content.decode())
    response = submit(
        client,
        form_page,
        "Close the case",
        {"reason": CloseReason.CONVICTED_MANAGED, "outcome": "Convicted of s.2A; on licence."},
        follow=True,
    )

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closed_reason == CloseReason.CONVICTED_MANAGED
    assert case.closed_at is not None
    assert case.review_on == default_closed_review_on(case)
    assert case.version == 2
    change = CaseStatusChange.objects.get(case=case)
    assert (change.kind, change.reason, change.text, change.by) == (
        CaseStatusChange.Kind.CLOSED,
        CloseReason.CONVICTED_MANAGED,
        "Convicted of s.2A; on licence.",
        coordinator,
    )
    event = AuditEvent.objects.get(
        object_type="referrals.case", action=AuditEvent.Action.ALTERATION
    )
    assert event.actor == coordinator
    assert set(event.changed_fields) == {
        "status",
        "closed_reason",
        "closed_at",
        "review_on",
        "retention_group",
    }
    html = response.content.decode()
    assert f"Case {case.reference} closed." in html
    assert "Suspect convicted and managed" in html
    assert "Convicted of s.2A; on licence." in html
    assert reverse("referrals:case_reopen", args=[case.pk]) in html
    assert close_url not in html
    timeline = timeline_for(case, ["summary"])
    assert [entry.kind for entry in timeline][-1] == "Case closed"


def test_reopening_from_the_page_clears_the_closure_and_is_kept(client, case, coordinator):
    closed(case, coordinator)
    client.force_login(coordinator)
    form_page = client.get(reverse("referrals:case_reopen", args=[case.pk]))
    response = submit(
        client, form_page, "Reopen the case", {"reason": "New referral from PC Demo."}, follow=True
    )

    case.refresh_from_db()
    assert (case.status, case.closed_reason, case.closed_at, case.review_on) == (
        Case.Status.OPEN,
        "",
        None,
        None,
    )
    assert case.version == 3
    reopened = CaseStatusChange.objects.get(case=case, kind=CaseStatusChange.Kind.REOPENED)
    assert (reopened.text, reopened.by) == ("New referral from PC Demo.", coordinator)
    assert AuditEvent.objects.filter(
        object_type="referrals.case",
        action=AuditEvent.Action.ALTERATION,
        justification="Reopened: New referral from PC Demo.",
    ).exists()
    assert f"Case {case.reference} reopened." in response.content.decode()
    kinds = [entry.kind for entry in timeline_for(case, ["summary"])]
    assert kinds[-2:] == ["Case closed", "Case reopened"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": ""}, "reason", "Choose why the case is being closed."),
        ({"outcome": ""}, "outcome", "Enter the outcome of the clinic's work on the case."),
        ({"review_on": ""}, "review_on", "Enter the date to review the closed record."),
        ({"review_on": "31/2/2030"}, "review_on", "Enter a real date as day/month/year"),
        (
            {"review_on": timezone.localdate().strftime("%d/%m/%Y")},
            "review_on",
            "The review date must be in the future.",
        ),
    ],
)
def test_closing_without_what_it_needs_says_so_next_to_the_field(
    client, case, coordinator, data, field, message
):
    client.force_login(coordinator)
    form_page = client.get(reverse("referrals:case_close", args=[case.pk]))
    typed = {"reason": CloseReason.RISK_REDUCED, "outcome": "Safety plan in place."} | data
    response = submit(client, form_page, "Close the case", typed)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    if typed["outcome"]:
        assert typed["outcome"] in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and not CaseStatusChange.objects.exists()


def test_advice_given_is_for_triage_only(case, coordinator):
    with pytest.raises(ServiceError) as refused:
        closed(case, coordinator, reason=CloseReason.ADVICE_GIVEN)
    assert refused.value.field == "reason"


def test_a_stale_close_names_who_changed_the_case_first(client, case, coordinator, make_user):
    lead = make_user(Role.TACTICAL_LEAD, first_name="Tess", last_name="Lead")
    client.force_login(coordinator)
    form_page = client.get(reverse("referrals:case_close", args=[case.pk]))
    closed(case, lead, outcome="Closed by the lead.")

    response = submit(
        client,
        form_page,
        "Close the case",
        {"reason": CloseReason.VICTIM_DISENGAGED, "outcome": "Mine."},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{lead.display_name} changed this case" in html
    assert CaseStatusChange.objects.get().text == "Closed by the lead."
    case.refresh_from_db()
    assert case.closed_reason == CloseReason.RISK_REDUCED
    assert response.context["case"].status == Case.Status.CLOSED


def test_a_stale_reopen_is_refused(case, coordinator):
    version = case.version
    closed(case, coordinator)
    with pytest.raises(ChangedByAnotherUser):
        case_reopen(case=case, version=version, by=coordinator, reason="New information.")


def test_an_open_case_is_not_reopened_nor_a_closed_one_closed(client, case, coordinator):
    with pytest.raises(ServiceError, match="already open"):
        case_reopen(case=case, version=case.version, by=coordinator, reason="Why")
    closed(case, coordinator)
    with pytest.raises(ServiceError, match="already closed"):
        closed(case, coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_close", args=[case.pk]))
    assert b'data-testid="already-closed"' in page.content
    main = page.content.split(b'id="main-content"')[-1].split(b"</main>")[0]
    assert b"<form" not in main


@pytest.mark.parametrize("view", ["case_close", "case_reopen", "outcome_add"])
def test_only_those_who_decide_on_the_case_use_its_pages(client, make_user, view):
    case = CaseFactory(status=Case.Status.CLOSED if view == "case_reopen" else Case.Status.OPEN)
    # The owner, an ISAC who sees the case through its referral to their service.
    owner = isac_on(case, username="owner_isac")
    Case.objects.filter(pk=case.pk).update(owner=owner)
    url = reverse(f"referrals:{view}", args=[case.pk])
    expected = {
        owner: 200,
        make_user(Role.COORDINATOR, username="c"): 200,
        make_user(Role.TACTICAL_LEAD, username="tl"): 200,
        # They see the case but do not decide on it.
        isac_on(case, username="isac_other"): 403,
        make_user(Role.SOLICITOR, username="sol"): 403,
        # They may not know it exists, or use no case pages at all.
        isac_elsewhere(username="isac_elsewhere"): 404,
        make_user(Role.OFFICER, username="pc"): 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
        assert client.post(url, {}).status_code == status, user.username
