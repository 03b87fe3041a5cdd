"""Officers refer through the web form; the same service takes referrals from the log scan."""

import pytest
from django.urls import reverse

from referrals.models import Person, Referral
from referrals.services.referrals import referral_submit
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from ..pages import submit
from .factories import SDASH_KEYS, CaseFactory, PersonFactory, QuestionSetFactory

pytestmark = pytest.mark.django_db

FORM = {
    "crime_refs": "CR/2026/0000123, cr/2026/0000124",
    "log_refs": "INC-2026-00000999",
    "officer_in_case": "PC 1234 Demo",
    "area": "Stroud",
    "victim_ref": "p100234",
    "victim_first_name": "Vicky",
    "victim_last_name": "Example",
    "victim_dob": "27/3/1990",
    "suspect_known": "yes",
    "suspect_ref": "P200001",
    "suspect_first_name": "Sid",
    "suspect_last_name": "Example",
    "relationship": "ex-partner",
    "fixated": "Messages about her all day",
    "unwanted": "Turns up at her work",
    "repeated": "Daily for three weeks",
    "requests": ["advice", "clinic_review"],
}


def test_officer_refers_and_sees_it_in_my_referrals(client, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:referral_new"), FORM)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert referral.source == Referral.Source.OFFICER
    assert referral.crime_refs == ["CR/2026/0000123", "CR/2026/0000124"]
    assert referral.victim.person_ref == "P100234"
    assert referral.status == Referral.Status.WAITING
    page = client.get(reverse("referrals:mine")).content.decode()
    assert referral.reference in page and "Waiting for triage" in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.COLLECTION, object_type="referrals.referral"
    ).exists()


def test_a_typed_reference_reveals_and_changes_nobody_already_known(client, officer, coordinator):
    known = PersonFactory(person_ref="P200001", first_name="Sidney", last_name="Example")
    victim = PersonFactory(person_ref="P100234", first_name="Victoria", last_name="Real")
    case = CaseFactory(victim=victim, suspects=[known])
    client.force_login(officer)
    response = client.post(reverse("referrals:referral_new"), FORM)
    referral = Referral.objects.get()
    # Recorded as typed, matched to nobody yet: the known people are untouched.
    assert referral.suspect != known and referral.victim != victim
    assert referral.linked_case is None
    known.refresh_from_db()
    victim.refresh_from_db()
    assert known.aliases == [] and victim.aliases == [] and victim.date_of_birth is None
    assert Person.objects.filter(person_ref="P200001").count() == 1
    # The confirmation page shows only what the referrer typed.
    page = client.get(response["Location"]).content.decode()
    assert "Vicky Example (P100234)" in page and "Sid Example (P200001)" in page
    for hidden in ("Victoria", "Real", "Sidney", case.reference, "Linked to case"):
        assert hidden not in page
    assert "Victoria" not in client.get(reverse("referrals:mine")).content.decode()


def test_the_coordinator_confirms_a_match_at_triage(client, officer, coordinator):
    known = PersonFactory(person_ref="P200001", first_name="Sidney", last_name="Example")
    victim = PersonFactory(person_ref="P100234", first_name="Vicky", last_name="Example")
    case = CaseFactory(victim=victim, suspects=[known])
    client.force_login(officer)
    client.post(reverse("referrals:referral_new"), FORM)
    referral = Referral.objects.get()
    typed_suspect = referral.suspect
    client.force_login(coordinator)
    url = reverse("referrals:triage", args=[referral.pk])
    page = client.get(url)
    [victim_match, suspect_match] = page.context["matches"]
    assert suspect_match["people"] == [known] and victim_match["people"] == [victim]
    for button in ("This is the suspect: Sidney Example", "This is the victim: Vicky Example"):
        response = submit(client, client.get(url), button, {})
        assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.victim, referral.suspect, referral.linked_case) == (victim, known, case)
    known.refresh_from_db()
    assert known.aliases == ["Sid Example"] and known.first_name == "Sidney"
    victim.refresh_from_db()
    assert victim.aliases == [] and str(victim.date_of_birth) == "1990-03-27"
    assert not Person.objects.filter(pk=typed_suspect.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.COMBINATION, object_id=str(known.pk))
    assert event.actor == coordinator and event.changed_fields == ["aliases"]
    assert referral.reference in event.justification
    assert event.path == reverse("referrals:match_person", args=[referral.pk])
    assert event.ip_address == "127.0.0.1"
    # The referrer still sees only what they typed.
    client.force_login(officer)
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "Sidney" not in page and case.reference not in page


def test_a_match_the_triage_page_did_not_offer_is_refused(client, officer, coordinator):
    stranger = PersonFactory(person_ref="P999999", first_name="Other", last_name="Person")
    client.force_login(officer)
    client.post(reverse("referrals:referral_new"), FORM)
    referral = Referral.objects.get()
    client.force_login(coordinator)
    url = reverse("referrals:match_person", args=[referral.pk])
    data = {"role": "suspect", "person": stranger.pk, "version": referral.version}
    client.post(url, data)
    referral.refresh_from_db()
    assert referral.suspect != stranger
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.COMBINATION).exists()


def test_missing_unwanted_behaviour_is_explained_and_the_rest_kept(client, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:referral_new"), {**FORM, "unwanted": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="Vicky"' in page
    assert not Referral.objects.exists()


def test_suspect_name_needed_when_suspect_known(client, officer):
    client.force_login(officer)
    data = {**FORM, "suspect_ref": "", "suspect_first_name": "", "suspect_last_name": ""}
    response = client.post(reverse("referrals:referral_new"), data)
    assert "Enter the suspect&#x27;s first name" in response.content.decode()


def test_unknown_suspect_is_allowed(client, officer):
    client.force_login(officer)
    data = {**FORM, "suspect_known": "no", "suspect_ref": "", "suspect_first_name": ""}
    client.post(reverse("referrals:referral_new"), data)
    assert Referral.objects.get().suspect is None


def test_sdash_answers_suggest_a_risk_for_the_queue(client, officer):
    QuestionSetFactory()
    client.force_login(officer)
    answers = {f"sdash_{key}": "yes" if i < 6 else "no" for i, key in enumerate(SDASH_KEYS)}
    client.post(reverse("referrals:referral_new"), {**FORM, **answers})
    referral = Referral.objects.get()
    assert referral.risk_level == "high"
    assert referral.sdash_answers["very_frightened"] == "yes"


def test_partly_answered_sdash_is_refused_next_to_the_questions(client, officer):
    QuestionSetFactory()
    client.force_login(officer)
    response = client.post(reverse("referrals:referral_new"), {**FORM, "sdash_threats": "yes"})
    assert "Answer every S-DASH question, or leave them all blank." in response.content.decode()
    assert not Referral.objects.exists()


def test_referral_for_victim_and_suspect_with_open_case_is_linked_to_it():
    victim, suspect = PersonFactory(), PersonFactory()
    case = CaseFactory(victim=victim, suspects=[suspect])
    referral = referral_submit(
        by=None,
        source=Referral.Source.LOG_SCAN,
        victim=victim,
        suspect=suspect,
        relationship="ex-partner",
        area="Gloucester",
        unwanted="Three incidents of following in 30 days",
        log_refs=["INC-2026-00000001"],
    )
    assert referral.linked_case == case
    assert referral.referred_by is None


def test_the_service_refuses_a_referral_without_unwanted_behaviour():
    with pytest.raises(ServiceError) as error:
        referral_submit(
            by=None,
            source=Referral.Source.LOG_SCAN,
            victim=PersonFactory(),
            suspect=None,
            relationship="unknown",
            area="Gloucester",
            unwanted=" ",
        )
    assert error.value.field == "unwanted"


def test_officer_sees_only_their_own_referrals(client, make_user):
    mine = make_user(Role.OFFICER, username="mine")
    other = make_user(Role.OFFICER, username="other")
    client.force_login(other)
    client.post(reverse("referrals:referral_new"), FORM)
    referral = Referral.objects.get()
    client.force_login(mine)
    assert client.get(reverse("referrals:referral_detail", args=[referral.pk])).status_code == 404
    assert referral.reference not in client.get(reverse("referrals:mine")).content.decode()
