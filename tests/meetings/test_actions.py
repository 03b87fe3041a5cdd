"""Meeting actions: the rules of creating and updating one, who sees and updates which (a partner
only its agency's, on the cases shared with it), the lists (overdue first, a constant number of
queries) and the home page's work items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

# Registers the home page's work provider (MeetingsConfig.ready does it in the running app).
import meetings.work
from meetings.models import Action, ActionUpdate
from meetings.services.actions import action_create, action_update
from referrals.models import Case, Share
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.home.work import work_for
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..factories import AgencyFactory, UserFactory
from ..referrals.factories import CaseFactory
from .factories import ActionFactory, AgendaItemFactory, AttendeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def lead(make_user):
    return make_user(Role.TACTICAL_LEAD, username="lead")


@pytest.fixture
def probation():
    return AgencyFactory(name="Probation")


@pytest.fixture
def mental_health():
    return AgencyFactory(name="Mental health")


@pytest.fixture
def probation_user(make_user, probation):
    return make_user(Role.PARTNER, username="probation1", agency=probation)


@pytest.fixture
def shared_case(lead, probation):
    case = CaseFactory(risk_level="high")
    Share.objects.create(
        case=case, agency=probation, sections=["summary"], reason="Clinic", shared_by=lead
    )
    return case


def create(**overrides):
    kwargs = {"description": "Check licence conditions.", "due_on": TODAY() + 7 * DAY}
    kwargs.update(overrides)
    return action_create(**kwargs)


# --- action_create -----------------------------------------------------------------------------


def test_create_records_the_action_and_an_audit_entry(lead, probation, probation_user, shared_case):
    item = AgendaItemFactory(case=shared_case)
    action = create(
        case=shared_case, by=lead, owner_agency=probation, owner=probation_user, agenda_item=item
    )
    assert action.status == Action.Status.OPEN
    assert action.owner == probation_user and action.agenda_item == item
    assert action.reference == f"ACT-{action.pk:05d}"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.COLLECTION, object_id=str(action.pk), actor=lead
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"due_on": TODAY() - DAY}, "due_on"),
        ({"owner": "other_agency_user"}, "owner"),
        ({"agenda_item": "other_case_item"}, "agenda_item"),
    ],
)
def test_create_refuses(lead, probation, shared_case, make_user, overrides, field):
    if overrides.get("owner") == "other_agency_user":
        overrides["owner"] = make_user(Role.PARTNER, username="mh1")
    if overrides.get("agenda_item") == "other_case_item":
        overrides["agenda_item"] = AgendaItemFactory()
    with pytest.raises(ServiceError) as refused:
        create(case=shared_case, by=lead, owner_agency=probation, **overrides)
    assert refused.value.field == field
    assert not Action.objects.exists()


def test_due_today_is_allowed(lead, probation, shared_case):
    assert create(case=shared_case, by=lead, owner_agency=probation, due_on=TODAY())


def test_a_closed_case_takes_no_new_actions(lead, probation, shared_case):
    Case.objects.filter(pk=shared_case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ServiceError, match="closed"):
        create(case=shared_case, by=lead, owner_agency=probation)


# --- action_update -----------------------------------------------------------------------------


def test_update_to_done_sets_completed_and_records_the_change(probation_user, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    updated = action_update(
        action=action, by=probation_user, version=1, status="done", note="Licence checked."
    )
    assert updated.status == "done" and updated.completed_at is not None
    assert updated.version == 2
    update = ActionUpdate.objects.get(action=action)
    assert (update.status_from, update.status_to, update.note) == (
        "open",
        "done",
        "Licence checked.",
    )
    assert update.by == probation_user
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION, object_id=str(action.pk)
    ).exists()


def test_update_must_change_something(probation_user, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    with pytest.raises(ServiceError) as refused:
        action_update(action=action, by=probation_user, version=1, status="open", note=" ")
    assert refused.value.field == "note"
    with pytest.raises(ServiceError):
        action_update(
            action=action, by=probation_user, version=1, status="open", due_on=action.due_on
        )
    assert not ActionUpdate.objects.exists()


def test_a_note_alone_is_an_update(probation_user, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    action_update(action=action, by=probation_user, version=1, status="open", note="Called OM.")
    update = ActionUpdate.objects.get()
    assert (update.status_from, update.status_to, update.note) == ("", "", "Called OM.")


def test_a_new_due_date_is_recorded_in_the_history(probation_user, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    new = TODAY() + 30 * DAY
    updated = action_update(
        action=action, by=probation_user, version=1, status="in_progress", due_on=new
    )
    assert updated.due_on == new
    assert ActionUpdate.objects.get().note.startswith("Due date changed from")
    with pytest.raises(ServiceError) as refused:
        action_update(
            action=updated, by=probation_user, version=2, status="open", due_on=TODAY() - DAY
        )
    assert refused.value.field == "due_on"


def test_only_the_clinic_reopens_a_closed_action(probation_user, lead, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    done = action_update(action=action, by=probation_user, version=1, status="done")
    with pytest.raises(ServiceError) as refused:
        action_update(action=done, by=probation_user, version=2, status="open", note="Oops")
    assert refused.value.field == "status"
    # A note on a closed action is still fine.
    action_update(action=done, by=probation_user, version=2, status="done", note="Filed.")

    reopened = action_update(action=done, by=lead, version=3, status="in_progress")
    assert reopened.status == "in_progress" and reopened.completed_at is None


def test_a_stale_version_is_refused(probation_user, lead, shared_case):
    action = ActionFactory(case=shared_case, owner_agency=probation_user.agency)
    action_update(action=action, by=lead, version=1, status="in_progress", note="Started")
    with pytest.raises(ChangedByAnotherUser) as refused:
        action_update(action=action, by=probation_user, version=1, status="done")
    assert refused.value.by == lead.display_name
    assert Action.objects.get().status == "in_progress"


# --- who sees and updates what -----------------------------------------------------------------


@pytest.fixture
def actions(probation, mental_health, probation_user, shared_case, lead):
    unshared = CaseFactory()
    return {
        "ours": ActionFactory(case=shared_case, owner_agency=probation, description="Ours"),
        "other_agency": ActionFactory(
            case=shared_case, owner_agency=mental_health, description="Theirs"
        ),
        "unshared_case": ActionFactory(case=unshared, owner_agency=probation, description="Hid"),
    }


def test_partner_sees_only_its_agencys_actions_on_shared_cases(client, probation_user, actions):
    client.force_login(probation_user)
    page = client.get(reverse("meetings:agency_actions")).content.decode()
    assert actions["ours"].reference in page
    assert actions["other_agency"].reference not in page
    assert actions["unshared_case"].reference not in page

    assert (
        client.get(reverse("meetings:action_detail", args=[actions["ours"].pk])).status_code == 200
    )
    for key in ("other_agency", "unshared_case"):
        url = reverse("meetings:action_detail", args=[actions[key].pk])
        assert client.get(url).status_code == 404, key
        response = client.post(url, {"status": "done", "version": 1})
        assert response.status_code == 404, key
        assert Action.objects.get(pk=actions[key].pk).status == "open"


def test_partner_completes_its_agencys_action(client, probation_user, actions):
    client.force_login(probation_user)
    action = actions["ours"]
    url = reverse("meetings:action_detail", args=[action.pk])
    response = client.post(url, {"status": "done", "note": "Licence checked.", "version": 1})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at
    page = client.get(url).content.decode()
    assert "Licence checked." in page
    # The partner sees the case's summary, so the case is linked.
    assert reverse("referrals:case_detail", args=[action.case_id]) in page


def test_a_refused_update_shows_on_its_field(client, probation_user, actions):
    client.force_login(probation_user)
    url = reverse("meetings:action_detail", args=[actions["ours"].pk])
    response = client.post(url, {"status": "open", "note": "", "version": 1})
    assert response.status_code == 200
    assert "Nothing to record" in response.content.decode()


def test_a_stale_form_is_told_and_rebound(client, probation_user, lead, actions):
    action = actions["ours"]
    action_update(action=action, by=lead, version=1, status="in_progress", note="x")
    client.force_login(probation_user)
    url = reverse("meetings:action_detail", args=[action.pk])
    response = client.post(url, {"status": "done", "note": "Done", "version": 1})
    assert response.status_code == 200
    assert "while you were updating it" in response.content.decode()
    assert response.context["form"]["version"].value() == "2"


def test_owner_of_an_action_on_a_case_no_longer_shared_no_longer_sees_it(
    client, make_user, lead, mental_health
):
    owner = make_user(Role.PARTNER, username="mh_owner", agency=mental_health)
    case = CaseFactory()
    share = Share.objects.create(
        case=case, agency=mental_health, sections=["summary"], reason="x", shared_by=lead
    )
    action = ActionFactory(case=case, owner_agency=mental_health, owner=owner)
    client.force_login(owner)
    assert action.reference in client.get(reverse("meetings:my_actions")).content.decode()
    url = reverse("meetings:action_detail", args=[action.pk])
    assert client.get(url).status_code == 200
    share.delete()
    # Owning the action never opens the case: neither the list nor the page shows it any more.
    assert action.reference not in client.get(reverse("meetings:my_actions")).content.decode()
    assert client.get(url).status_code == 404
    response = client.post(url, {"status": "done", "note": "x", "version": action.version})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


# --- owners must already see the case ----------------------------------------------------------


def test_an_action_for_an_agency_the_case_is_not_shared_with_is_refused(lead, probation):
    case = CaseFactory(risk_level="high")
    with pytest.raises(ServiceError) as refused:
        create(case=case, by=lead, owner_agency=probation)
    assert refused.value.field == "owner_agency"
    assert "not shared with Probation" in str(refused.value)
    assert not Action.objects.exists()


def test_an_action_for_a_person_who_cannot_see_the_case_is_refused(lead, make_user):
    # The police are no partner agency, but an officer does not see clinic cases.
    police = AgencyFactory(name="Police (test)", is_partner=False)
    officer = make_user(Role.OFFICER, username="pc", agency=police)
    case = CaseFactory(risk_level="high")
    with pytest.raises(ServiceError) as refused:
        create(case=case, by=lead, owner_agency=police, owner=officer)
    assert refused.value.field == "owner"
    assert not Action.objects.exists()


def test_an_action_for_the_agency_the_case_is_shared_with_is_created(
    lead, probation, probation_user, shared_case
):
    action = create(case=shared_case, by=lead, owner_agency=probation, owner=probation_user)
    assert action.owner_agency == probation


def test_create_form_says_the_case_is_not_shared_next_to_the_agency(
    client, lead, probation, probation_user
):
    item = AgendaItemFactory(case=CaseFactory(risk_level="high"))
    client.force_login(lead)
    due = TODAY() + 14 * DAY
    response = client.post(
        reverse("meetings:action_new", args=[item.pk]),
        {
            "description": "Check licence conditions",
            "owner_agency": probation.pk,
            "owner": probation_user.pk,
            "due_on": f"{due.day}/{due.month}/{due.year}",
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["owner_agency"]
    assert f"Case {item.case.reference} is not shared with Probation" in error
    assert not Action.objects.exists()
    client.force_login(probation_user)
    assert client.get(reverse("meetings:my_actions")).content.decode().count("ACT-") == 0


def test_the_meeting_that_agreed_an_action_is_linked_only_for_those_who_may_see_it(
    client, probation_user, shared_case, probation
):
    item = AgendaItemFactory(case=shared_case)
    action = ActionFactory(case=shared_case, agenda_item=item, owner_agency=probation)
    url = reverse("meetings:action_detail", args=[action.pk])
    meeting_url = reverse("meetings:meeting_detail", args=[item.meeting_id])
    client.force_login(probation_user)
    page = client.get(url).content.decode()
    # Not invited to the meeting: its reference, not a link to a page they may not open.
    assert item.meeting.reference in page and meeting_url not in page
    AttendeeFactory(meeting=item.meeting, user=probation_user)
    assert meeting_url in client.get(url).content.decode()


def test_lists_show_the_case_reference_and_no_names(client, probation_user, actions):
    client.force_login(probation_user)
    page = client.get(reverse("meetings:agency_actions")).content.decode()
    case = actions["ours"].case
    assert case.reference in page
    assert case.victim.first_name not in page


def test_coordinator_sees_every_action_and_filters_by_agency(
    client, coordinator, actions, mental_health
):
    client.force_login(coordinator)
    page = client.get(reverse("meetings:agency_actions")).content.decode()
    assert all(a.reference in page for a in actions.values())
    page = client.get(
        reverse("meetings:agency_actions"), {"agency": mental_health.pk}
    ).content.decode()
    assert actions["other_agency"].reference in page
    assert actions["ours"].reference not in page


def test_overdue_actions_come_first_in_red(client, probation_user, probation, shared_case):
    later = ActionFactory(case=shared_case, owner_agency=probation, due_on=TODAY() + 3 * DAY)
    overdue = ActionFactory(case=shared_case, owner_agency=probation, due_on=TODAY() - 2 * DAY)
    done_late = ActionFactory(
        case=shared_case, owner_agency=probation, due_on=TODAY() - 9 * DAY, status="done"
    )
    client.force_login(probation_user)
    response = client.get(reverse("meetings:agency_actions"), {"status": ""})
    rows = response.context["actions"]
    assert [a.pk for a in rows] == [overdue.pk, later.pk, done_late.pk]
    page = response.content.decode()
    assert page.count("govuk-tag--red") == 1 and "Overdue" in page

    only_overdue = client.get(reverse("meetings:agency_actions"), {"status": "overdue"})
    assert [a.pk for a in only_overdue.context["actions"]] == [overdue.pk]
    # With no filter chosen the list shows what is still to do.
    default = client.get(reverse("meetings:agency_actions"))
    assert [a.pk for a in default.context["actions"]] == [overdue.pk, later.pk]


def test_due_before_filter(client, probation_user, probation, shared_case):
    soon = ActionFactory(case=shared_case, owner_agency=probation, due_on=TODAY() + 2 * DAY)
    ActionFactory(case=shared_case, owner_agency=probation, due_on=TODAY() + 20 * DAY)
    client.force_login(probation_user)
    before = TODAY() + 5 * DAY
    response = client.get(
        reverse("meetings:agency_actions"),
        {"status": "open", "due_before": f"{before.day}/{before.month}/{before.year}"},
    )
    assert [a.pk for a in response.context["actions"]] == [soon.pk]


def _make_actions(n, probation, probation_user, shared_case):
    for i in range(n):
        ActionFactory(
            case=shared_case,
            owner_agency=probation,
            owner=probation_user if i % 2 else None,
            due_on=TODAY() + (i - 2) * DAY,
        )


@pytest.mark.parametrize("name", ["meetings:my_actions", "meetings:agency_actions"])
def test_lists_take_a_constant_number_of_queries(
    client, django_assert_num_queries, probation, probation_user, shared_case, name
):
    client.force_login(probation_user)
    _make_actions(2, probation, probation_user, shared_case)
    url = reverse(name)
    client.get(url)  # warm up (session, etc.)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _make_actions(12, probation, probation_user, shared_case)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["actions"]) >= 7


def test_coordinator_list_takes_a_constant_number_of_queries(
    client, django_assert_num_queries, coordinator, probation, probation_user, shared_case
):
    client.force_login(coordinator)
    url = reverse("meetings:agency_actions")
    _make_actions(2, probation, probation_user, shared_case)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _make_actions(15, probation, probation_user, shared_case)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_user_with_no_agency_is_told(client, make_user):
    client.force_login(make_user(Role.SOLICITOR, username="sol"))
    response = client.get(reverse("meetings:agency_actions"))
    assert response.status_code == 200
    assert 'data-testid="no-agency"' in response.content.decode()


# --- creating an action from a discussed case --------------------------------------------------


def test_tactical_lead_creates_an_action_for_probation(
    client, lead, probation, probation_user, shared_case
):
    item = AgendaItemFactory(case=shared_case)
    client.force_login(lead)
    url = reverse("meetings:action_new", args=[item.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert f"{probation_user.display_name} (Probation)" in form.content.decode()
    due = TODAY() + 14 * DAY
    response = client.post(
        url,
        {
            "description": "Check licence conditions",
            "owner_agency": probation.pk,
            "owner": probation_user.pk,
            "due_on": f"{due.day}/{due.month}/{due.year}",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:action_detail", args=[action.pk])
    assert (action.case, action.agenda_item, action.owner) == (item.case, item, probation_user)


def test_create_form_shows_the_owner_error(client, lead, probation, make_user):
    item = AgendaItemFactory()
    stranger = make_user(Role.PARTNER, username="stranger")  # another agency
    client.force_login(lead)
    due = TODAY() + DAY
    response = client.post(
        reverse("meetings:action_new", args=[item.pk]),
        {
            "description": "x",
            "owner_agency": probation.pk,
            "owner": stranger.pk,
            "due_on": f"{due.day}/{due.month}/{due.year}",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not Action.objects.exists()


def test_partners_cannot_create_actions(client, probation_user):
    client.force_login(probation_user)
    item = AgendaItemFactory()
    assert client.get(reverse("meetings:action_new", args=[item.pk])).status_code == 403


# --- home page ---------------------------------------------------------------------------------


def test_home_page_counts_my_and_my_agencys_actions(
    django_assert_max_num_queries, probation, probation_user, shared_case
):
    ActionFactory(case=shared_case, owner_agency=probation, owner=probation_user)
    ActionFactory(case=shared_case, owner_agency=probation, due_on=TODAY() - DAY)
    ActionFactory(case=shared_case, owner_agency=probation, status="done")
    ActionFactory(case=CaseFactory(), owner_agency=probation)  # not shared: not counted
    with django_assert_max_num_queries(2):
        items = {item.label: item for item in meetings.work.actions_work(probation_user)}
    assert items["My actions"].count == 1 and not items["My actions"].urgent
    assert items["My agency's actions"].count == 2 and items["My agency's actions"].urgent
    assert {item.label for item in work_for(probation_user)} >= {"My actions"}


def test_home_page_for_the_clinic_shows_only_what_they_own(lead, probation, shared_case):
    ActionFactory(case=shared_case, owner_agency=probation)
    mine = UserFactory(roles=[Role.TACTICAL_LEAD], username="lead2")
    ActionFactory(case=shared_case, owner_agency=probation, owner=mine, due_on=TODAY() - DAY)
    items = list(meetings.work.actions_work(mine))
    assert [(i.label, i.count, i.urgent) for i in items] == [("My actions", 1, True)]
