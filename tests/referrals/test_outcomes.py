"""Criminal justice outcomes on a case: recorded on their own page from the case page, checked by
the service with a message next to the field to fix, listed on the case page and its timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Case, CriminalJusticeOutcome, Offence
from referrals.services.outcomes import outcome_record
from referrals.timeline import timeline_for
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError

from ..pages import repeated_ids, submit
from .factories import CaseFactory
from .factories_safety import partner_shown

pytestmark = pytest.mark.django_db

Kind = CriminalJusticeOutcome.Kind
TODAY = timezone.localdate()


@pytest.fixture
def case(coordinator):
    return CaseFactory(owner=coordinator)


def _form_page(client, user, case):
    client.force_login(user)
    page = client.get(reverse("referrals:case_detail", args=[case.pk]))
    url = reverse("referrals:outcome_add", args=[case.pk])
    assert url in page.content.decode()
    form_page = client.get(url)
    assert not repeated_ids(form_page.content.decode())
    return form_page


def test_a_charge_is_recorded_from_the_case_page_and_listed(client, case, coordinator):
    form_page = _form_page(client, coordinator, case)
    response = submit(
        client,
        form_page,
        "Record the outcome",
        {
            "kind": Kind.CHARGED,
            "on": "3/2/2026",
            "offence": Offence.STALKING,
            "detail": "Remanded.",
        },
        follow=True,
    )

    outcome = CriminalJusticeOutcome.objects.get()
    assert (outcome.case, outcome.kind, outcome.on, outcome.offence, outcome.recorded_by) == (
        case,
        Kind.CHARGED,
        datetime.date(2026, 2, 3),
        Offence.STALKING,
        coordinator,
    )
    event = AuditEvent.objects.get(object_type="referrals.criminaljusticeoutcome")
    assert (event.action, event.actor, event.object_id) == (
        AuditEvent.Action.COLLECTION,
        coordinator,
        str(outcome.pk),
    )
    html = response.content.decode()
    assert "Charged recorded on case" in html
    table = html.split('data-testid="outcomes"')[1].split("</section>")[0]
    assert "3 Feb 2026" in table
    assert "Stalking (s.2A Protection from Harassment Act 1997)" in table
    assert coordinator.display_name in table
    entry = timeline_for(case, ["summary"])[-1]
    assert (entry.kind, entry.title) == ("Criminal justice outcome", "Charged on 3 February 2026")


def test_another_offence_and_no_further_action_keep_their_words(case, coordinator):
    other = outcome_record(
        case=case,
        by=coordinator,
        kind=Kind.CRIME_RECORDED,
        on=TODAY,
        offence=Offence.OTHER,
        offence_other="  Malicious communications  ",
    )
    nfa = outcome_record(
        case=case, by=coordinator, kind=Kind.NFA, on=TODAY, nfa_reason="Evidential difficulties."
    )
    assert other.offence_label == "Malicious communications"
    assert (nfa.nfa_reason, nfa.offence) == ("Evidential difficulties.", "")


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose the outcome."),
        ({"on": ""}, "on", "Enter the date of the outcome."),
        ({"on": "30/2/2026"}, "on", "Enter a real date as day/month/year"),
        (
            {"on": (TODAY + datetime.timedelta(days=1)).strftime("%d/%m/%Y")},
            "on",
            "The date of the outcome must be today or in the past.",
        ),
        ({"kind": Kind.CONVICTED, "offence": ""}, "offence", "Choose the offence"),
        ({"kind": Kind.CAUTION, "offence": ""}, "offence", "Choose the offence"),
        ({"offence": Offence.OTHER, "offence_other": " "}, "offence_other", "Enter the offence."),
        ({"kind": Kind.NFA, "offence": ""}, "nfa_reason", "Enter the reason for no further action"),
    ],
)
def test_what_an_outcome_needs_is_asked_for_next_to_its_field(
    client, case, coordinator, typed, field, message
):
    form_page = _form_page(client, coordinator, case)
    data = {"kind": Kind.CHARGED, "on": "3/2/2026", "offence": Offence.STALKING_FEAR} | typed
    response = submit(client, form_page, "Record the outcome", data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not CriminalJusticeOutcome.objects.exists()


def test_an_spo_made_is_not_typed_by_hand(case, coordinator, client):
    with pytest.raises(ServiceError) as refused:
        outcome_record(case=case, by=coordinator, kind=Kind.SPO_MADE, on=TODAY)
    assert refused.value.field == "kind"
    form_page = _form_page(client, coordinator, case)
    assert Kind.SPO_MADE.label not in form_page.content.decode()


def test_outcomes_are_recorded_on_a_closed_case_too(client, case, coordinator):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    form_page = _form_page(client, coordinator, case)
    submit(
        client,
        form_page,
        "Record the outcome",
        {"kind": Kind.CONVICTED, "on": "3/2/2026", "offence": Offence.STALKING},
    )
    assert CriminalJusticeOutcome.objects.filter(case=case, kind=Kind.CONVICTED).exists()


def test_a_partner_sees_outcomes_with_the_summary_but_cannot_record_them(case, coordinator, client):
    outcome_record(
        case=case, by=coordinator, kind=Kind.CONVICTED, on=TODAY, offence=Offence.STALKING
    )
    shown = partner_shown(case, ["summary"], username="cps")
    client.force_login(shown)
    html = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="outcomes"' in html
    assert reverse("referrals:outcome_add", args=[case.pk]) not in html
    assert 'data-testid="case-status"' not in html
    client.force_login(partner_shown(case, ["safety_plan"], username="housing"))
    html = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="outcomes"' not in html
