"""Person pages: a victim's or suspect's details, every case they are in, serial stalkers."""

import datetime

import pytest
from django.urls import reverse

from referrals.access import get_case_for_user
from referrals.models import Person
from referrals.selectors.people import people_panel
from referrals.services.people import person_update
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..break_glass import give_reason
from .factories import CaseFactory, PersonFactory
from .factories_safety import isac_on, partner_shown

pytestmark = pytest.mark.django_db

WARNING = 'data-testid="serial-stalker-warning"'


def _details(person, **changes):
    values = {
        "person_ref": person.person_ref or "",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "aliases": list(person.aliases),
        "date_of_birth": person.date_of_birth,
        "address": person.address,
        "safe_contact": person.safe_contact,
        "interpreter_language": person.interpreter_language,
        "communication_needs": person.communication_needs,
    }
    return {**values, **changes}


def _form(person, **changes):
    values = _details(person, **changes)
    dob = values["date_of_birth"]
    return {
        **values,
        "person_ref": values["person_ref"],
        "aliases": "\n".join(values["aliases"]),
        "date_of_birth": dob if isinstance(dob, str) else (dob.strftime("%d/%m/%Y") if dob else ""),
        "updated_at": person.updated_at.isoformat(),
    }


# --- who may see and change a person -----------------------------------------------------------


ALLOWED = {
    "referrals:person_detail": {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR},
    "referrals:person_edit": {Role.COORDINATOR, Role.TACTICAL_LEAD},
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
@pytest.mark.parametrize("role", [*sorted(Role.values), None], ids=lambda r: r or "no-role")
def test_only_those_who_see_every_case_see_person_pages(client, make_user, name, role):
    case = CaseFactory()
    user = make_user(*([role] if role else []), username=f"u_{role}")
    client.force_login(user)
    give_reason(client, case.victim)  # outside the tactical lead's and solicitor's own work
    response = client.get(reverse(name, args=[case.victim.pk]))
    assert response.status_code == (200 if role in ALLOWED[name] else 403)


def test_the_solicitor_reads_a_person_but_is_not_offered_the_change_link(client, persona):
    person = CaseFactory().victim
    client.force_login(persona(Role.SOLICITOR))
    html = client.get(reverse("referrals:person_detail", args=[person.pk])).content.decode()
    assert reverse("referrals:person_edit", args=[person.pk]) not in html
    assert client.post(reverse("referrals:person_edit", args=[person.pk]), {}).status_code == 403


def test_an_isac_on_the_victims_case_still_cannot_open_the_person_page(client):
    case = CaseFactory()
    client.force_login(isac_on(case))
    assert client.get(reverse("referrals:person_detail", args=[case.victim.pk])).status_code == 403


def test_a_partner_with_the_case_shared_never_sees_the_person_page(client):
    case = CaseFactory()
    client.force_login(partner_shown(case, ["summary"]))
    for person in [case.victim, *case.suspects.all()]:
        assert client.get(reverse("referrals:person_detail", args=[person.pk])).status_code == 403


def test_an_unknown_person_is_not_found(client, persona):
    client.force_login(persona(Role.COORDINATOR))
    assert client.get(reverse("referrals:person_detail", args=[999999])).status_code == 404


def test_every_view_of_a_person_page_is_logged(client, persona):
    coordinator = persona(Role.COORDINATOR)
    person = CaseFactory().victim
    client.force_login(coordinator)
    client.get(reverse("referrals:person_detail", args=[person.pk]))
    client.get(reverse("referrals:person_detail", args=[person.pk]))
    client.get(reverse("referrals:person_edit", args=[person.pk]))

    views = AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, object_type="referrals.person"
    )
    assert views.count() == 3
    assert {(event.object_id, event.actor_id) for event in views} == {
        (str(person.pk), coordinator.pk)
    }
    assert views.first().path == reverse("referrals:person_edit", args=[person.pk])


# --- what a person page shows -------------------------------------------------------------------


def test_the_page_shows_the_details_that_keep_a_victim_safe(client, persona):
    victim = PersonFactory(
        first_name="Sam",
        last_name="Example",
        date_of_birth=datetime.date(1990, 3, 27),
        aliases=["Samantha Example"],
        address="1 Test Street, Gloucester",
        safe_contact="Mobile only, weekdays 10am to 2pm; never leave voicemail.",
        interpreter_language="Polish",
        communication_needs="Prefers written follow-up.",
    )
    CaseFactory(victim=victim)
    client.force_login(persona(Role.COORDINATOR))
    html = client.get(reverse("referrals:person_detail", args=[victim.pk])).content.decode()
    for text in [
        "Sam Example",
        "Samantha Example",
        "27 March 1990",
        "1 Test Street, Gloucester",
        "never leave voicemail",
        "Needs an interpreter for Polish",
        "Prefers written follow-up.",
    ]:
        assert text in html
    assert WARNING not in html


def test_a_suspect_in_cases_against_two_victims_stands_out(client, persona):
    suspect = PersonFactory(first_name="Chris", last_name="Suspectson")
    first = CaseFactory(
        suspects=[suspect], victim=PersonFactory(first_name="Victim", last_name="One")
    )
    second = CaseFactory(
        suspects=[suspect], victim=PersonFactory(first_name="Victim", last_name="Two")
    )
    client.force_login(persona(Role.COORDINATOR))

    html = client.get(reverse("referrals:person_detail", args=[suspect.pk])).content.decode()

    assert WARNING in html
    assert "a suspect in 2 cases against 2 different victims" in html
    for case in (first, second):
        assert reverse("referrals:case_detail", args=[case.pk]) in html
        assert case.victim.full_name in html
        assert reverse("referrals:person_detail", args=[case.victim.pk]) in html


def test_a_suspect_with_one_victim_is_not_flagged_even_across_two_cases(client, persona):
    suspect, victim = PersonFactory(), PersonFactory()
    CaseFactory(suspects=[suspect], victim=victim)
    CaseFactory(suspects=[suspect], victim=victim)
    client.force_login(persona(Role.COORDINATOR))

    html = client.get(reverse("referrals:person_detail", args=[suspect.pk])).content.decode()

    assert WARNING not in html
    assert "Suspect in 2 cases" in html


def test_a_victims_page_tags_a_serial_suspect_in_their_case(client, persona):
    suspect = PersonFactory()
    victim = PersonFactory()
    CaseFactory(suspects=[suspect], victim=victim)
    CaseFactory(suspects=[suspect])  # another victim
    client.force_login(persona(Role.TACTICAL_LEAD))
    give_reason(client, victim)

    html = client.get(reverse("referrals:person_detail", args=[victim.pk])).content.decode()

    assert "Possible serial stalker" in html
    assert WARNING not in html  # the victim is not the one who stands out


def test_the_case_panel_names_possible_serial_stalkers(persona):
    serial, other = PersonFactory(), PersonFactory()
    case = CaseFactory(suspects=[serial, other])
    CaseFactory(suspects=[serial])
    coordinator = persona(Role.COORDINATOR)

    panel = people_panel(get_case_for_user(coordinator, case.pk), user=coordinator)

    assert panel["serial_suspect_ids"] == {serial.pk}
    reach = {row.person.pk: (row.cases, row.victims, row.other_cases) for row in panel["suspects"]}
    assert reach == {serial.pk: (2, 2, 1), other.pk: (1, 1, 0)}


def test_the_case_panel_tells_nothing_to_those_who_may_not_see_other_cases():
    case = CaseFactory()
    CaseFactory(suspects=list(case.suspects.all()))
    isac = isac_on(case)
    assert people_panel(get_case_for_user(isac, case.pk), user=isac) == {}


def test_the_case_panel_costs_one_query_however_many_suspects(
    persona, django_assert_max_num_queries
):
    case = CaseFactory(suspects=[PersonFactory() for _ in range(6)])
    coordinator = persona(Role.COORDINATOR)
    case = get_case_for_user(coordinator, case.pk)
    with django_assert_max_num_queries(1):  # the suspects come prefetched with the case
        people_panel(case, user=coordinator)


# --- changing a person's details ---------------------------------------------------------------


def test_an_update_saves_the_changed_fields_and_audits_them(persona):
    coordinator = persona(Role.COORDINATOR)
    person = PersonFactory(address="Old address")

    updated = person_update(
        person=person,
        expected_updated_at=person.updated_at,
        by=coordinator,
        **_details(person, address="New address", aliases=[" Al ", "Al", ""], person_ref="p123"),
    )

    assert updated.address == "New address"
    assert updated.aliases == ["Al"]
    assert updated.person_ref == "P123"
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION)
    assert event.changed_fields == ["address", "aliases", "person_ref"]
    assert event.object_id == str(person.pk)


def test_two_stale_copies_cannot_overwrite_each_other(persona):
    coordinator, lead = persona(Role.COORDINATOR), persona(Role.TACTICAL_LEAD)
    PersonFactory(address="1 Old Road")
    first_copy, second_copy = Person.objects.get(), Person.objects.get()

    person_update(
        person=first_copy,
        expected_updated_at=first_copy.updated_at,
        by=lead,
        **_details(first_copy, address="2 New Road"),
    )
    with pytest.raises(ChangedByAnotherUser) as refused:
        person_update(
            person=second_copy,
            expected_updated_at=second_copy.updated_at,
            by=coordinator,
            **_details(second_copy, safe_contact="Email only"),
        )

    assert lead.display_name in refused.value.message
    assert "not saved" in refused.value.message
    saved = Person.objects.get()
    assert (saved.address, saved.safe_contact) == ("2 New Road", "")
    assert not AuditEvent.objects.filter(actor=coordinator).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": " "}, "first_name"),
        ({"date_of_birth": datetime.date(2999, 1, 1)}, "date_of_birth"),
    ],
)
def test_bad_details_are_refused_naming_the_field(persona, changes, field):
    person = PersonFactory()
    with pytest.raises(ServiceError) as refused:
        person_update(
            person=person,
            expected_updated_at=person.updated_at,
            by=persona(Role.COORDINATOR),
            **_details(person, **changes),
        )
    assert refused.value.field == field


def test_the_edit_form_saves_and_returns_to_the_person(client, persona):
    person = PersonFactory(first_name="Jo", last_name="Bloggs")
    client.force_login(persona(Role.COORDINATOR))
    response = client.post(
        reverse("referrals:person_edit", args=[person.pk]),
        _form(
            person,
            aliases=["Joanne Bloggs", "jb_1990"],
            date_of_birth="27/3/1990",
            safe_contact="Text first; only after 6pm.",
            interpreter_language="Welsh",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:person_detail", args=[person.pk])
    person.refresh_from_db()
    assert person.aliases == ["Joanne Bloggs", "jb_1990"]
    assert person.date_of_birth == datetime.date(1990, 3, 27)
    assert (person.safe_contact, person.interpreter_language) == (
        "Text first; only after 6pm.",
        "Welsh",
    )


def test_an_alias_change_is_logged_with_the_page_and_address(client, persona):
    person = PersonFactory(first_name="Jo", last_name="Bloggs")
    client.force_login(persona(Role.COORDINATOR))
    url = reverse("referrals:person_edit", args=[person.pk])
    response = client.post(url, _form(person, aliases=["Joanne Bloggs"]))
    assert response.status_code == 302
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.ALTERATION, object_id=str(person.pk), changed_fields=["aliases"]
    )
    assert event.path == url and event.ip_address == "127.0.0.1"


def test_the_edit_form_shows_the_current_details(client, persona):
    person = PersonFactory(aliases=["One", "Two"], date_of_birth=datetime.date(1990, 3, 7))
    client.force_login(persona(Role.TACTICAL_LEAD))
    give_reason(client, person)  # a person in no case of theirs: outside their own work
    html = client.get(reverse("referrals:person_edit", args=[person.pk])).content.decode()
    assert "One\nTwo</textarea>" in html
    assert 'value="7/3/1990"' in html
    assert f'value="{person.updated_at.isoformat()}"' in html


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ("32/1/1990", "Enter a real date as day/month/year, for example, 27/3/1990"),
        ("1/1/2999", "The date of birth must be in the past."),
    ],
)
def test_a_bad_date_of_birth_is_shown_next_to_it_and_the_rest_is_kept(
    client, persona, dob, message
):
    person = PersonFactory(address="Old address")
    client.force_login(persona(Role.COORDINATOR))
    response = client.post(
        reverse("referrals:person_edit", args=[person.pk]),
        _form(person, date_of_birth=dob, address="12 Typed Street"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"date_of_birth": [message]}
    html = response.content.decode()
    assert 'id="id_date_of_birth_1_error"' in html
    assert "12 Typed Street</textarea>" in html
    person.refresh_from_db()
    assert person.address == "Old address"


def test_a_reference_another_person_has_is_refused_next_to_the_field(client, persona):
    PersonFactory(person_ref="P555555")
    person = PersonFactory()
    client.force_login(persona(Role.COORDINATOR))
    response = client.post(
        reverse("referrals:person_edit", args=[person.pk]), _form(person, person_ref="p555555")
    )
    assert response.status_code == 200
    assert (
        "Another person already has the reference P555555"
        in (response.context["form"].errors["person_ref"][0])
    )


def test_a_stale_form_keeps_the_typing_says_who_and_can_then_be_saved(client, persona):
    lead, coordinator = persona(Role.TACTICAL_LEAD), persona(Role.COORDINATOR)
    person = PersonFactory(address="1 Old Road")
    opened = _form(person, safe_contact="Email only, never post.")
    person_update(  # saved by the tactical lead while the coordinator was typing
        person=person,
        expected_updated_at=person.updated_at,
        by=lead,
        **_details(person, address="2 New Road"),
    )

    client.force_login(coordinator)
    url = reverse("referrals:person_edit", args=[person.pk])
    response = client.post(url, opened)

    assert response.status_code == 200
    html = response.content.decode()
    assert lead.display_name in html
    assert "Your changes were not saved" in html
    assert "Email only, never post.</textarea>" in html  # the typing is kept
    assert 'data-testid="saved-now"' in html
    assert "2 New Road" in html
    person.refresh_from_db()
    assert (person.address, person.safe_contact) == ("2 New Road", "")

    # Saving again, having seen the other change, goes through with the refreshed version.
    refreshed = response.context["form"].data
    response = client.post(url, {**opened, "updated_at": refreshed["updated_at"]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.safe_contact == "Email only, never post."
