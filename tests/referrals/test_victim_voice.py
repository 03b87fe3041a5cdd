"""The victim's voice: their own account, wishes and concerns, recorded by the ISAC."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.access import get_case_for_user
from referrals.models import VictimVoice
from referrals.selectors.safety import safety_panel
from referrals.services.victim_voice import victim_voice_record
from referrals.timeline import timeline_for
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from .factories import CaseFactory
from .factories_safety import VictimVoiceFactory, isac_elsewhere, isac_on, partner_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def isac(case):
    return isac_on(case, username="isac_on_case")


def test_recording_keeps_the_words_and_is_audited(case, isac):
    voice = victim_voice_record(
        case=case,
        by=isac,
        account="  He follows me to the bus stop.  ",
        wishes="I want him to stop.",
        concerns="That he will find my new address.",
    )

    assert voice.account == "He follows me to the bus stop."
    assert voice.recorded_by == isac
    event = AuditEvent.objects.get(object_type="referrals.victimvoice")
    assert (event.action, event.object_id, event.actor) == (
        AuditEvent.Action.COLLECTION,
        str(voice.pk),
        isac,
    )
    kinds = [entry.kind for entry in timeline_for(case, ["victim_voice"])]
    assert kinds == ["Victim's voice"]


def test_an_empty_account_is_refused(case, isac):
    with pytest.raises(ServiceError) as refused:
        victim_voice_record(case=case, by=isac, account="   ", wishes="Safety")
    assert refused.value.field == "account"
    assert not VictimVoice.objects.exists()


def test_each_recording_is_kept_and_the_case_shows_the_latest(case, isac):
    now = timezone.now()
    VictimVoiceFactory(case=case, account="first", recorded_at=now - datetime.timedelta(days=9))
    VictimVoiceFactory(case=case, account="second", recorded_at=now - datetime.timedelta(days=3))
    victim_voice_record(case=case, by=isac, account="third")

    panel = safety_panel(case, user=isac)

    assert VictimVoice.objects.filter(case=case).count() == 3
    assert panel["latest_voice"].account == "third"
    assert panel["earlier_voice_count"] == 2
    assert [voice.account for voice in panel["earlier_voices"]] == ["second", "first"]
    assert panel["can_record_voice"] is True


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("isac", 200),
        ("isac_elsewhere", 404),
        (Role.COORDINATOR, 403),  # the victim's voice is the ISAC's to record
        (Role.TACTICAL_LEAD, 403),
        (Role.OFFICER, 403),
        (Role.PARTNER, 403),
        (None, 403),
    ],
)
def test_who_may_record_the_victims_voice(client, case, isac, persona, make_user, who, status):
    if who == "isac":
        user = isac
    elif who == "isac_elsewhere":
        user = isac_elsewhere()
    elif who == Role.PARTNER:
        user = partner_shown(case, ["summary", "victim_voice"])
    elif who is None:
        user = make_user(username="outsider")
    else:
        user = persona(who)
    client.force_login(user)
    url = reverse("referrals:victim_voice_add", args=[case.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"account": "Words"}).status_code in {status, 302}
    assert VictimVoice.objects.exists() == (status == 200)


def test_the_isac_records_the_voice_and_returns_to_the_case(client, case, isac):
    client.force_login(isac)
    response = client.post(
        reverse("referrals:victim_voice_add", args=[case.pk]),
        {"account": "He messages me every night.", "wishes": "", "concerns": "My children."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:case_detail", args=[case.pk])
    voice = VictimVoice.objects.get()
    assert (voice.case, voice.concerns) == (case, "My children.")


def test_a_missing_account_is_shown_next_to_the_field_and_the_rest_is_kept(client, case, isac):
    client.force_login(isac)
    response = client.post(
        reverse("referrals:victim_voice_add", args=[case.pk]),
        {"account": "", "wishes": "A restraining order.", "concerns": "Losing my job."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "account": ["Enter the victim's account, in their words."]
    }
    html = response.content.decode()
    assert 'id="id_account_1_error"' in html
    assert "A restraining order.</textarea>" in html
    assert "Losing my job.</textarea>" in html


def test_the_case_page_shows_the_latest_and_lists_earlier_ones(client, case, isac):
    VictimVoiceFactory(
        case=case,
        account="What I said in March.",
        recorded_at=timezone.now() - datetime.timedelta(days=30),
    )
    VictimVoiceFactory(case=case, account="What I say now.", wishes="Move house.")
    client.force_login(isac)
    html = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "What I say now." in html
    assert "1 earlier recording" in html
    assert "What I said in March." in html
    assert reverse("referrals:victim_voice_add", args=[case.pk]) in html


def test_a_partner_without_the_victim_voice_share_gets_none_of_it(case):
    VictimVoiceFactory(case=case, account="Private words.")
    partner = partner_shown(case, ["summary", "safety_plan"])

    panel = safety_panel(get_case_for_user(partner, case.pk), user=partner)

    assert panel["show_victim_voice"] is False
    assert panel["latest_voice"] is None
    assert panel["earlier_voices"] == []
    assert panel["can_record_voice"] is False


def test_a_partner_with_the_share_reads_but_cannot_record(case):
    VictimVoiceFactory(case=case, account="Shared words.")
    partner = partner_shown(case, ["summary", "victim_voice"])

    panel = safety_panel(get_case_for_user(partner, case.pk), user=partner)

    assert panel["latest_voice"].account == "Shared words."
    assert panel["can_record_voice"] is False
