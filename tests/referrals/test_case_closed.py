"""A closed case leaves the lists, the home page counts and the meetings' suggestions, and comes
back when reopened; a new referral or new police log entries for its victim and suspect prompt
those who decide on it to reopen it."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.forms.fields import open_cases
from meetings.selectors.agenda import agenda_suggestions
from referrals.models import Case, CloseReason, Finding, LogEntry, LogImport, Referral
from referrals.selectors.case_status import closed_cases_with_new_information
from referrals.services.case_status import case_close, case_keep_closed, case_reopen
from referrals.services.findings import finding_link_case
from referrals.services.referrals import referral_submit
from referrals.work import (
    closed_cases_with_new_information_work,
    isac_work,
    new_log_entries_work,
    triage_work,
)
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..meetings.factories import MeetingFactory
from ..pages import submit
from .factories import CaseFactory, PersonFactory, ReferralFactory
from .factories_safety import isac_on

pytestmark = pytest.mark.django_db

_refs = itertools.count(1)


def close(case, by):
    case.refresh_from_db()
    case_close(
        case=case,
        version=case.version,
        by=by,
        reason=CloseReason.RISK_REDUCED,
        outcome="Safety plan in place; no contact for three months.",
        review_on=timezone.localdate() + datetime.timedelta(days=365),
    )
    case.refresh_from_db()
    return case


def reopen(case, by):
    case.refresh_from_db()
    case_reopen(case=case, version=case.version, by=by, reason="Something new.")
    case.refresh_from_db()
    return case


def counts(work, user) -> dict[str, int]:
    return {item.label: item.count for item in work(user)}


@pytest.fixture
def high_case(coordinator):
    return CaseFactory(owner=coordinator, risk_level="high")


def test_a_closed_case_leaves_the_case_list_and_comes_back_when_reopened(
    client, coordinator, high_case
):
    client.force_login(coordinator)
    listed = lambda query="": [  # noqa: E731
        case.pk for case in client.get(reverse("referrals:case_list") + query).context["cases"]
    ]
    assert listed() == [high_case.pk]
    close(high_case, coordinator)
    assert listed() == []
    assert listed("?status=closed") == [high_case.pk]
    reopen(high_case, coordinator)
    assert listed() == [high_case.pk]


def test_a_closed_case_leaves_the_coordinators_counts(coordinator, high_case):
    label = "High-risk cases not referred to the ISAC service"
    assert counts(triage_work, coordinator)[label] == 1
    close(high_case, coordinator)
    assert counts(triage_work, coordinator)[label] == 0


def test_a_closed_case_leaves_the_isacs_count(coordinator):
    case = CaseFactory()
    isac = isac_on(case, username="isac_on_case")
    label = "Your cases with no risk assessment yet"
    assert counts(isac_work, isac)[label] == 0, "referred to the service, not yet to this advocate"
    case.agency_referrals.update(advocate=isac)
    assert counts(isac_work, isac)[label] == 1
    close(case, coordinator)
    assert counts(isac_work, isac)[label] == 0


def test_a_closed_case_leaves_the_owners_new_log_entries(coordinator, high_case):
    Finding.objects.create(
        key="S|V",
        kind=Finding.Kind.PATTERN,
        victim_id="V",
        suspect_id="S",
        first_seen=timezone.now(),
        last_seen=timezone.now(),
        entry_count=3,
        score=50,
        status=Finding.Status.LINKED,
        case=high_case,
        reviewed_at=timezone.now() - datetime.timedelta(days=1),
    )
    label = "Your cases with new police log entries"
    assert counts(new_log_entries_work, coordinator)[label] == 1
    close(high_case, coordinator)
    assert counts(new_log_entries_work, coordinator)[label] == 0


def test_a_closed_case_leaves_the_meetings_choices_and_suggestions(coordinator, high_case):
    meeting = MeetingFactory()
    assert list(open_cases()) == [high_case]
    assert [s.case for s in agenda_suggestions(meeting)] == [high_case]
    close(high_case, coordinator)
    assert list(open_cases()) == []
    assert agenda_suggestions(meeting) == []
    # Reopened, a high-risk case is suggested again as any open high-risk case is.
    reopen(high_case, coordinator)
    assert [s.case for s in agenda_suggestions(meeting)] == [high_case]


def test_a_new_referral_does_not_join_a_closed_case(coordinator, high_case):
    close(high_case, coordinator)
    referral = _referral_for(high_case)
    assert referral.linked_case is None


def _referral_for(case):
    return referral_submit(
        by=None,
        source=Referral.Source.OFFICER,
        victim=case.victim,
        suspect=case.suspects.get(),
        relationship="ex-partner",
        area="Gloucester",
        unwanted="Turned up at her new flat.",
    )


def _log_entry(case, *, updated_at=None):
    log_import = LogImport.objects.create(file_name="export.csv", source=LogImport.Source.COMMAND)
    return LogEntry.objects.create(
        log_ref=f"INC-2026-{next(_refs):08d}",
        recorded_at=timezone.now() - datetime.timedelta(days=2),
        offence="Harassment",
        victim_id=case.victim.person_ref,
        suspect_id=case.suspects.get().person_ref,
        first_import=log_import,
        last_import=log_import,
        updated_at=updated_at or timezone.now(),
    )


def _prompted(user) -> int:
    return counts(closed_cases_with_new_information_work, user).get(
        "Closed cases with new information", 0
    )


def test_a_new_referral_for_a_closed_cases_pair_prompts_reopening(client, coordinator, high_case):
    close(high_case, coordinator)
    assert _prompted(coordinator) == 0
    referral = _referral_for(high_case)

    assert _prompted(coordinator) == 1
    client.force_login(coordinator)
    listed = client.get(reverse("referrals:closed_with_new_information"))
    assert [case.pk for case in listed.context["cases"]] == [high_case.pk]
    assert "A referral waiting for triage" in listed.content.decode()
    page = client.get(reverse("referrals:case_detail", args=[high_case.pk])).content.decode()
    assert 'data-testid="new-information"' in page
    assert referral.reference in page
    assert reverse("referrals:case_reopen", args=[high_case.pk]) in page

    # Reopening ends the prompt, and the waiting referral joins the case as it would have
    # joined an open one.
    reopen(high_case, coordinator)
    referral.refresh_from_db()
    assert referral.linked_case == high_case
    assert referral.version == 2
    assert _prompted(coordinator) == 0


def test_new_log_entries_for_a_closed_cases_pair_prompt_reopening(client, coordinator, high_case):
    _log_entry(high_case)
    close(high_case, coordinator)
    assert _prompted(coordinator) == 0, "entries from before the case closed are not new"

    _log_entry(high_case)

    assert _prompted(coordinator) == 1
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_detail", args=[high_case.pk])).content.decode()
    assert "1 police log entry since the case was closed" in page


def test_no_prompt_when_the_new_information_already_has_a_case(coordinator, high_case):
    close(high_case, coordinator)
    referral = _referral_for(high_case)
    _log_entry(high_case)
    # Triage opened a new case for the pair: that case has it, the old one stays closed.
    newer = CaseFactory(victim=high_case.victim, suspects=list(high_case.suspects.all()))
    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.TRIAGED, linked_case=newer
    )
    assert _prompted(coordinator) == 0
    # Closed again later, the newer case is the one prompted about.
    close(newer, coordinator)
    _log_entry(high_case)
    assert list(closed_cases_with_new_information(Case.objects.all())) == [newer]


def test_the_owner_is_prompted_for_their_own_cases_only(make_user, coordinator, high_case):
    owner = isac_on(high_case, username="owner_isac")
    other = CaseFactory(owner=coordinator)
    isac_on(other, username="unused")
    Case.objects.filter(pk=high_case.pk).update(owner=owner)
    for case in (high_case, other):
        close(case, coordinator)
        _referral_for(case)
    assert _prompted(coordinator) == 2
    assert _prompted(owner) == 1
    assert _prompted(make_user(Role.SOLICITOR)) == 0


def test_the_list_of_closed_cases_with_new_information_is_for_those_who_decide(client, make_user):
    url = reverse("referrals:closed_with_new_information")
    for role, status in [
        (Role.COORDINATOR, 200),
        (Role.TACTICAL_LEAD, 200),
        (Role.ISAC, 200),
        (Role.SOLICITOR, 403),
        (Role.PARTNER, 403),
        (Role.OFFICER, 403),
    ]:
        client.force_login(make_user(role, username=f"u_{role}"))
        assert client.get(url).status_code == status, role


def test_triaging_the_new_referral_ends_the_prompt(coordinator, high_case):
    close(high_case, coordinator)
    referral = _referral_for(high_case)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.TRIAGED)
    assert _prompted(coordinator) == 0


def test_a_referral_for_the_victim_with_another_suspect_is_not_new_information(
    coordinator, high_case
):
    close(high_case, coordinator)
    ReferralFactory(victim=high_case.victim, suspect=PersonFactory())
    assert _prompted(coordinator) == 0


def test_a_finding_is_not_linked_to_a_closed_case_but_points_to_reopening(coordinator, high_case):
    finding = Finding.objects.create(
        key="S|V",
        kind=Finding.Kind.PATTERN,
        victim_id=high_case.victim.person_ref,
        suspect_id=high_case.suspects.get().person_ref,
        first_seen=timezone.now(),
        last_seen=timezone.now(),
        entry_count=3,
        score=50,
    )
    close(high_case, coordinator)
    with pytest.raises(ServiceError, match="reopen it there first") as refused:
        finding_link_case(finding=finding, version=finding.version, by=coordinator, case=high_case)
    assert refused.value.field == "case"


def test_keeping_a_case_closed_ends_the_prompt_until_something_newer_comes(
    client, coordinator, high_case
):
    close(high_case, coordinator)
    _log_entry(high_case)
    assert _prompted(coordinator) == 1
    client.force_login(coordinator)
    case_page = client.get(reverse("referrals:case_detail", args=[high_case.pk]))
    keep_page = client.get(reverse("referrals:case_keep_closed", args=[high_case.pk]))
    assert reverse("referrals:case_keep_closed", args=[high_case.pk]) in case_page.content.decode()

    refused = submit(client, keep_page, "Keep the case closed", {"reason": " "})
    assert "Enter why the case stays closed." in refused.content.decode()
    kept = submit(
        client,
        keep_page,
        "Keep the case closed",
        {"reason": "The incident was a chance meeting at the school gate, dealt with by the OIC."},
        follow=True,
    )

    assert f"Case {high_case.reference} stays closed." in kept.content.decode()
    assert "Case kept closed" in kept.content.decode()  # on the timeline
    high_case.refresh_from_db()
    assert high_case.status == Case.Status.CLOSED
    assert _prompted(coordinator) == 0
    assert 'data-testid="new-information"' not in kept.content.decode()
    assert AuditEvent.objects.filter(
        object_id=str(high_case.pk), justification__startswith="Kept closed"
    ).exists()

    # Something newer prompts again.
    _log_entry(high_case)
    assert _prompted(coordinator) == 1


def test_a_stale_keep_closed_is_refused_and_an_open_case_is_not_kept_closed(coordinator, high_case):
    close(high_case, coordinator)
    high_case.refresh_from_db()
    stale = high_case.version
    case_keep_closed(case=high_case, version=stale, by=coordinator, reason="Dealt with")
    with pytest.raises(ChangedByAnotherUser):
        case_keep_closed(case=high_case, version=stale, by=coordinator, reason="Again")
    reopen(high_case, coordinator)
    high_case.refresh_from_db()
    with pytest.raises(ServiceError, match="nothing to keep closed"):
        case_keep_closed(case=high_case, version=high_case.version, by=coordinator, reason="x")
