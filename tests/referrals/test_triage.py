"""Triage: every decision path, the case it opens or joins, and no silent overwrite."""

import pytest
from django.urls import reverse

from referrals.models import AgencyReferral, Case, CaseNote, Referral, Share, TriageDecision
from referrals.services.triage import referral_triage
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db
Outcome = TriageDecision.Outcome


def _triage(referral, coordinator, **overrides):
    values = {
        "referral": referral,
        "version": referral.version,
        "by": coordinator,
        "risk_level": "medium",
        "risk_reasons": "Repeated visits to the home",
        "owner": coordinator,
        "outcome": Outcome.ACCEPT,
    }
    values.update(overrides)
    return referral_triage(**values)


def test_accept_opens_a_case_with_the_referral_details(coordinator):
    referral = ReferralFactory(crime_refs=["CR/1"], log_refs=["INC-1"])
    decision = _triage(referral, coordinator)
    case = decision.case
    assert (case.status, case.risk_level, case.owner) == (Case.Status.OPEN, "medium", coordinator)
    assert case.victim == referral.victim
    assert list(case.suspects.all()) == [referral.suspect]
    assert (case.crime_refs, case.log_refs) == (["CR/1"], ["INC-1"])
    referral.refresh_from_db()
    assert (referral.status, referral.linked_case) == (Referral.Status.TRIAGED, case)


def test_advice_is_recorded_for_the_officer_and_closes_the_new_case(coordinator):
    decision = _triage(
        ReferralFactory(), coordinator, outcome=Outcome.ADVICE, advice="Consider a PIN notice."
    )
    assert decision.case.status == Case.Status.CLOSED
    note = CaseNote.objects.get(case=decision.case)
    assert (note.kind, note.text) == (CaseNote.Kind.ADVICE, "Consider a PIN notice.")


def test_advice_outcome_needs_the_advice(coordinator):
    with pytest.raises(ServiceError) as error:
        _triage(ReferralFactory(), coordinator, outcome=Outcome.ADVICE, advice="")
    assert error.value.field == "advice"
    assert not Case.objects.exists()


def test_refer_to_isac_refers_the_case_to_the_isac_service(coordinator, isac_service):
    decision = _triage(
        ReferralFactory(), coordinator, outcome=Outcome.REFER_ISAC, risk_level="high"
    )
    assert AgencyReferral.objects.get(case=decision.case).agency == isac_service
    assert decision.case.for_clinic_meeting_since is not None


def test_refer_to_partner_refers_and_shares_the_summary(coordinator, probation):
    decision = _triage(
        ReferralFactory(), coordinator, outcome=Outcome.REFER_PARTNER, partner_agency=probation
    )
    share = Share.objects.get(case=decision.case)
    assert (share.agency, share.sections) == (probation, ["summary"])
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DISCLOSURE, recipient=str(probation)
    ).exists()


def test_cross_border_needs_force_and_contact(coordinator):
    with pytest.raises(ServiceError) as error:
        _triage(ReferralFactory(), coordinator, outcome=Outcome.CROSS_BORDER, other_force="Avon")
    assert error.value.field == "other_force_contact"
    decision = _triage(
        ReferralFactory(),
        coordinator,
        outcome=Outcome.CROSS_BORDER,
        other_force="Avon and Somerset",
        other_force_contact="DS Demo, 01234 567890",
    )
    assert decision.case.status == Case.Status.CLOSED
    assert decision.other_force == "Avon and Somerset"


def test_no_further_action_needs_a_reason(coordinator):
    with pytest.raises(ServiceError):
        _triage(ReferralFactory(), coordinator, outcome=Outcome.NO_FURTHER_ACTION)
    decision = _triage(
        ReferralFactory(), coordinator, outcome=Outcome.NO_FURTHER_ACTION, nfa_reason="Not stalking"
    )
    assert decision.case.status == Case.Status.CLOSED


def test_risk_reasons_are_required(coordinator):
    with pytest.raises(ServiceError) as error:
        _triage(ReferralFactory(), coordinator, risk_reasons="  ")
    assert error.value.field == "risk_reasons"


def test_a_referral_for_an_open_case_joins_it_and_raises_its_risk(coordinator):
    referral = ReferralFactory(log_refs=["INC-9"])
    case = CaseFactory(victim=referral.victim, suspects=[referral.suspect], risk_level="medium")
    referral.linked_case = case
    referral.save()
    decision = _triage(referral, coordinator, risk_level="high")
    case.refresh_from_db()
    assert decision.case == case and Case.objects.count() == 1
    assert case.risk_level == "high" and "INC-9" in case.log_refs


def test_second_triage_with_a_stale_version_is_refused_and_names_who_decided(
    coordinator, make_user
):
    other = make_user("coordinator", username="other_coordinator", first_name="Olive")
    referral = ReferralFactory()
    stale = Referral.objects.get(pk=referral.pk)
    _triage(referral, other, outcome=Outcome.ACCEPT)
    with pytest.raises(ChangedByAnotherUser, match=r"Olive .* triaged this referral"):
        _triage(stale, coordinator, outcome=Outcome.NO_FURTHER_ACTION, nfa_reason="x")
    assert TriageDecision.objects.get().outcome == Outcome.ACCEPT


def test_a_referral_reassigned_meanwhile_is_not_overwritten(coordinator):
    from referrals.services.referrals import referral_assign

    referral = ReferralFactory()
    stale_version = referral.version
    referral_assign(referral=referral, version=stale_version, to=coordinator, by=coordinator)
    with pytest.raises(ChangedByAnotherUser, match="changed this referral"):
        _triage(referral, coordinator, version=stale_version)
    assert not TriageDecision.objects.exists()


def test_every_decision_shows_on_the_case_timeline(client, coordinator):
    decision = _triage(ReferralFactory(), coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("referrals:case_detail", args=[decision.case_id])).content.decode()
    assert "Triage decision" in page and "Accept for clinic management" in page
    assert coordinator.display_name in page


class TestTriageView:
    def _post(self, client, referral, **data):
        form = {
            "version": referral.version,
            "risk_level": "high",
            "risk_reasons": "Threats to kill",
            "outcome": "advice",
            "advice": "Arrest for s.4A",
        }
        form.update(data)
        return client.post(reverse("referrals:triage", args=[referral.pk]), form)

    def test_coordinator_triages_through_the_form(self, client, coordinator):
        referral = ReferralFactory()
        client.force_login(coordinator)
        response = self._post(client, referral, owner=coordinator.pk)
        decision = TriageDecision.objects.get()
        assert response["Location"] == reverse("referrals:case_detail", args=[decision.case_id])

    def test_concurrent_triage_tells_the_second_person_and_keeps_the_first(
        self, client, coordinator, make_user
    ):
        other = make_user("coordinator", username="quicker", first_name="Quinn")
        referral = ReferralFactory()
        _triage(Referral.objects.get(pk=referral.pk), other)
        client.force_login(coordinator)
        response = self._post(client, referral, owner=coordinator.pk)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Quinn" in page and "Your decision was not saved" in page
        assert TriageDecision.objects.get().decided_by == other

    def test_missing_advice_shows_next_to_the_field(self, client, coordinator):
        referral = ReferralFactory()
        client.force_login(coordinator)
        response = self._post(client, referral, owner=coordinator.pk, advice="")
        assert response.context["form"].errors["advice"] == [
            "Enter the advice given to the officer."
        ]
        assert "Threats to kill" in response.content.decode()

    def test_officer_sees_the_advice_on_their_referral(self, client, coordinator):
        referral = ReferralFactory()
        client.force_login(coordinator)
        self._post(client, referral, owner=coordinator.pk)
        client.force_login(referral.referred_by)
        page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
        assert "Arrest for s.4A" in page and "Advice to the officer" in page
