"""Retention and review of closed cases' records (Management of Police Information): the group
and date shown on closing, the daily job listing records due, keeping one, and disposing of one,
which erases its personal data here and in the other areas, for good."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem
from referrals.models import (
    Case,
    CaseNote,
    CriminalJusticeOutcome,
    Offence,
    Person,
    RetentionGroup,
    RetentionReview,
    RiskLevel,
    VictimVoice,
)
from referrals.retention import retention_for, retention_group_for
from referrals.services.case_status import case_close
from referrals.services.retention import record_dispose, records_due_mark
from referrals.tasks import records_due_for_review_task
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from ..meetings.factories import AgendaItemFactory
from ..pages import submit
from .factories import CaseFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
Kind = CriminalJusticeOutcome.Kind


def outcome(case, kind, offence="", by=None):
    return CriminalJusticeOutcome.objects.create(
        case=case, kind=kind, offence=offence, on=TODAY, recorded_by=by or case.owner
    )


def closed(case):
    case_close(
        case=case,
        version=case.version,
        by=case.owner,
        reason="risk_reduced",
        outcome="Safety plan in place; Vicky Victim supported.",
        review_on=TODAY + datetime.timedelta(days=1),
    )
    case.refresh_from_db()
    return case


def due(case):
    Case.objects.filter(pk=case.pk).update(review_on=TODAY)
    records_due_mark()
    case.refresh_from_db()
    return case


# --- groups ------------------------------------------------------------------------------------


def test_each_case_gets_its_mopi_group_from_its_own_data():
    plain = CaseFactory(risk_level=RiskLevel.MEDIUM)
    assert retention_group_for(plain)[0] == RetentionGroup.GROUP_3

    harassment = CaseFactory(risk_level=RiskLevel.MEDIUM)
    outcome(harassment, Kind.CRIME_RECORDED, Offence.HARASSMENT)
    assert retention_group_for(harassment)[0] == RetentionGroup.GROUP_2

    convicted = CaseFactory(risk_level=RiskLevel.MEDIUM)
    outcome(convicted, Kind.CONVICTED, Offence.STALKING_FEAR)
    assert retention_group_for(convicted)[0] == RetentionGroup.GROUP_1

    spo = CaseFactory(risk_level=RiskLevel.STANDARD)
    outcome(spo, Kind.SPO_MADE)
    assert retention_group_for(spo)[0] == RetentionGroup.GROUP_1

    assert retention_group_for(CaseFactory(risk_level=RiskLevel.HIGH))[0] == RetentionGroup.GROUP_1


def test_the_review_date_follows_the_group_and_the_settings(settings):
    settings.RETENTION_REVIEW_YEARS = {"group_1": 10, "group_2": 10, "group_3": 3}
    case = CaseFactory(risk_level=RiskLevel.MEDIUM)
    assert retention_for(case, datetime.date(2026, 5, 1)).review_on == datetime.date(2029, 5, 1)
    outcome(case, Kind.CHARGED, Offence.STALKING)
    assert retention_for(case, datetime.date(2026, 5, 1)).review_on == datetime.date(2036, 5, 1)


def test_the_close_form_shows_the_group_and_its_date(client, coordinator):
    case = CaseFactory(owner=coordinator, risk_level=RiskLevel.MEDIUM)
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_close", args=[case.pk]))
    text = page.content.decode()
    six_years = retention_for(case).review_on
    assert six_years.year == TODAY.year + 6
    assert "Group 3: all other offences and no crime" in text
    submit(client, page, "Close the case", {"reason": "risk_reduced", "outcome": "Done."})
    case.refresh_from_db()
    assert (case.status, case.review_on) == (Case.Status.CLOSED, six_years)
    assert case.retention_group == RetentionGroup.GROUP_3


# --- due for review, keep ------------------------------------------------------------------------


def test_the_daily_job_lists_records_due_once(client, coordinator):
    case = closed(CaseFactory(owner=coordinator))
    later = closed(CaseFactory(owner=coordinator))
    Case.objects.filter(pk=case.pk).update(review_on=TODAY)
    assert records_due_for_review_task.delay().get() == 1
    assert records_due_mark() == 0  # idempotent
    client.force_login(coordinator)
    page = client.get(reverse("referrals:records_due")).content.decode()
    assert case.reference in page and later.reference not in page
    assert case.victim.last_name not in page  # the list names no one
    work = {w.label: w.count for w in client.get(reverse("home:index")).context["work"]}
    assert work["Records due for review"] == 1


def test_the_reviewer_keeps_a_record_with_a_new_date_and_reason(client, coordinator):
    case = due(closed(CaseFactory(owner=coordinator)))
    client.force_login(coordinator)
    page = client.get(reverse("referrals:record_review", args=[case.pk]))
    next_year = TODAY.replace(year=TODAY.year + 2)
    submit(
        client,
        page,
        "Record the decision",
        {
            "decision": "keep",
            "reason": "Suspect still a risk.",
            "next_review_on": f"{next_year:%d/%m/%Y}",
        },
    )
    case.refresh_from_db()
    assert (case.review_on, case.review_due_since) == (next_year, None)
    review = RetentionReview.objects.get(case=case)
    assert (review.decision, review.reason) == ("keep", "Suspect still a risk.")
    listed = client.get(reverse("referrals:records_due")).content.decode()
    assert 'data-testid="records-due-empty"' in listed


def test_keeping_needs_a_future_date(client, coordinator):
    case = due(closed(CaseFactory(owner=coordinator)))
    client.force_login(coordinator)
    page = client.get(reverse("referrals:record_review", args=[case.pk]))
    shown = submit(client, page, "Record the decision", {"decision": "keep", "reason": "Risk."})
    assert "Enter when the record is next reviewed." in shown.content.decode()
    assert not RetentionReview.objects.exists()


# --- dispose -------------------------------------------------------------------------------------


def test_disposal_erases_the_case_and_people_linked_to_nothing_else(client, coordinator):
    victim = PersonFactory(first_name="Vicky", last_name="Victim", person_ref="P900001")
    suspect = PersonFactory(first_name="Sam", last_name="Serial", person_ref="P900002")
    case = CaseFactory(owner=coordinator, victim=victim, suspects=[suspect])
    # The suspect is in another case too: their details stay.
    CaseFactory(suspects=[suspect])
    referral = ReferralFactory(
        victim=victim, suspect=suspect, linked_case=case, unwanted="Vicky followed daily."
    )
    CaseNote.objects.create(case=case, text="Vicky moved house.", author=coordinator)
    VictimVoice.objects.create(case=case, account="I am scared.", recorded_by=coordinator)
    item = AgendaItemFactory(case=case, behaviours="Sam waits outside Vicky's work.")
    Case.objects.filter(pk=case.pk).update(log_refs=["INC-1"], officer_in_case="PC Smith")
    case = due(closed(case))

    client.force_login(coordinator)
    page = client.get(reverse("referrals:record_review", args=[case.pk]))
    submit(
        client, page, "Record the decision", {"decision": "dispose", "reason": "No further risk."}
    )

    case.refresh_from_db()
    assert case.status == Case.Status.DISPOSED
    assert (case.log_refs, case.officer_in_case, list(case.suspects.all())) == ([], "", [])
    assert not CaseNote.objects.filter(case=case).exists()
    assert not VictimVoice.objects.filter(case=case).exists()
    referral.refresh_from_db()
    assert referral.unwanted == ""
    item.refresh_from_db()
    assert item.behaviours == ""
    victim.refresh_from_db()
    assert (victim.first_name, victim.last_name, victim.person_ref) == ("", "", None)
    suspect.refresh_from_db()
    assert suspect.last_name == "Serial"

    event = AuditEvent.objects.filter(action=AuditEvent.Action.ERASURE).get()
    assert event.object_label == f"Case {case.reference}"
    assert "Group 3" in event.justification and "No further risk." in event.justification
    assert "Vicky" not in event.justification and event.actor == coordinator

    # Its page says only that it was disposed of; nothing reopens it.
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "Record disposed of on" in page and "(No further risk.)" in page
    assert "Reopen" not in page
    assert client.get(reverse("referrals:case_reopen", args=[case.pk])).status_code == 404
    assert client.get(reverse("referrals:record_review", args=[case.pk])).status_code == 404
    assert case.reference not in client.get(reverse("referrals:case_list")).content.decode()


def test_disposal_is_refused_while_an_spo_application_is_undecided(coordinator):
    from ..spo.factories import ApplicationFactory

    case = due(closed(CaseFactory(owner=coordinator)))
    ApplicationFactory(case=case)
    with pytest.raises(ServiceError, match="not decided"):
        record_dispose(case=case, version=case.version, by=coordinator, reason="Old.")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert Person.objects.filter(pk=case.victim_id).exclude(first_name="").exists()


def test_an_open_case_cannot_be_disposed_of(coordinator):
    case = CaseFactory(owner=coordinator)
    with pytest.raises(ServiceError, match="not closed"):
        record_dispose(case=case, version=case.version, by=coordinator, reason="Old.")


def test_agenda_items_of_a_disposed_case_keep_the_meeting_working(client, coordinator):
    case = due(closed(CaseFactory(owner=coordinator)))
    item = AgendaItemFactory(case=case)
    record_dispose(case=case, version=case.version, by=coordinator, reason="No risk.")
    assert AgendaItem.objects.filter(pk=item.pk).exists()
