"""Triage accepts and advises in one decision: advice to the officer goes with any outcome,
becomes an advice note on the case, shows on the officer's referral and is emailed to them as
a link only. The triage page shows the officer's own S-DASH answers and FOUR description."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from referrals.models import Case, CaseNote, TriageDecision
from stalking_clinic.reminders.models import Reminder

from ..pages import repeated_ids, submit
from .factories import SDASH_KEYS, QuestionSetFactory, ReferralFactory

pytestmark = pytest.mark.django_db
Outcome = TriageDecision.Outcome
ADVICE = "Record it as s.2A stalking and consider an SPO."


def _decide(client, referral, **data):
    page = client.get(reverse("referrals:triage", args=[referral.pk]))
    return submit(
        client,
        page,
        "Save decision",
        {"risk_level": "medium", "risk_reasons": "Repeated visits", **data},
    )


def test_accepting_with_advice_keeps_the_case_open_and_notes_the_advice(
    client, coordinator, officer, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(referred_by=officer)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, referral, outcome=Outcome.ACCEPT, advice=ADVICE)
    assert response.status_code == 302
    decision = TriageDecision.objects.get(referral=referral)
    assert (decision.outcome, decision.case.status) == (Outcome.ACCEPT, Case.Status.OPEN)
    note = CaseNote.objects.get(case=decision.case)
    assert (note.kind, note.text) == (CaseNote.Kind.ADVICE, ADVICE)
    [email] = mail.outbox
    assert email.to == [officer.email]
    assert settings.SITE_URL + reverse("referrals:referral_detail", args=[referral.pk]) in (
        email.body
    )
    for text in (ADVICE, referral.victim.last_name, referral.suspect.last_name):
        assert text not in email.body and text not in email.subject


def test_the_officer_sees_the_advice_on_their_referral_and_list(client, coordinator, officer):
    referral = ReferralFactory(referred_by=officer)
    client.force_login(coordinator)
    _decide(client, referral, outcome=Outcome.ACCEPT, advice=ADVICE)
    client.force_login(officer)
    detail = client.get(reverse("referrals:referral_detail", args=[referral.pk]))
    assert ADVICE in detail.content.decode()
    assert "Advice given" in client.get(reverse("referrals:mine")).content.decode()


def test_accepting_without_advice_sends_nothing(client, coordinator, officer):
    referral = ReferralFactory(referred_by=officer)
    client.force_login(coordinator)
    _decide(client, referral, outcome=Outcome.ACCEPT)
    assert not CaseNote.objects.exists()
    assert not Reminder.objects.exists()


def test_the_advice_decision_still_needs_advice(client, coordinator):
    referral = ReferralFactory()
    client.force_login(coordinator)
    response = _decide(client, referral, outcome=Outcome.ADVICE)
    assert response.status_code == 200
    assert response.context["form"].errors["advice"] == ["Enter the advice given to the officer."]


def test_advice_with_a_referral_to_a_partner_is_kept_too(client, coordinator, probation):
    referral = ReferralFactory()
    client.force_login(coordinator)
    _decide(
        client,
        referral,
        outcome=Outcome.REFER_PARTNER,
        partner_agency=probation.pk,
        advice=ADVICE,
    )
    assert CaseNote.objects.get(kind=CaseNote.Kind.ADVICE).text == ADVICE
    assert Reminder.objects.get(kind="referrals.advice_given").recipient == referral.referred_by


def test_the_triage_page_shows_the_officers_sdash_and_four_beside_the_form(
    client, coordinator, isac
):
    question_set = QuestionSetFactory()
    answers = {key: "yes" if i < 4 else "no" for i, key in enumerate(SDASH_KEYS)}
    answers[SDASH_KEYS[-1]] = "not_known"
    referral = ReferralFactory(
        sdash_question_set=question_set, sdash_answers=answers, fixated="Sends letters daily"
    )
    client.force_login(coordinator)
    page = client.get(reverse("referrals:triage", args=[referral.pk]))
    html = page.content.decode()
    assert "S-DASH completed by the officer: 4 yes answers" in html
    assert "Test question about loitering?" in html
    assert "Sends letters daily" in html
    # Each answer in words, as the officer chose it.
    assert ">Not known</dd>" in html and ">No</dd>" in html
    assert repeated_ids(html) == []
