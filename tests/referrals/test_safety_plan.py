"""The victim's safety plan: actions with owner, due date and status, kept current by ISACs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.access import get_case_for_user
from referrals.models import SafetyAction, SafetyActionChange
from referrals.selectors.safety import safety_panel
from referrals.services.safety import safety_action_add, safety_action_update
from referrals.timeline import timeline_for
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import CaseFactory
from .factories_safety import SafetyActionFactory, isac_elsewhere, isac_on, partner_shown

pytestmark = pytest.mark.django_db

FUTURE = datetime.date(2030, 12, 3)


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def isac(case):
    return isac_on(case, username="isac_on_case")


def _update(action, *, by, version=None, **changes):
    values = {
        "description": action.description,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        **changes,
    }
    return safety_action_update(
        action=action,
        version=action.version if version is None else version,
        by=by,
        **values,
    )


# --- the services -------------------------------------------------------------------------------


def test_adding_an_action_is_on_the_timeline_and_audited(case, isac):
    action = safety_action_add(
        case=case, by=isac, description="Fit a video doorbell", owner="police", due_date=FUTURE
    )

    assert action.status == SafetyAction.Status.TO_DO
    assert action.version == 1
    change = action.changes.get()
    assert change.summary == "Added: Fit a video doorbell (owner: police, due 3 Dec 2030)"
    assert change.changed_by == isac
    titles = [entry.title for entry in timeline_for(case, ["safety_plan"])]
    assert "Added: Fit a video doorbell (owner: police, due 3 Dec 2030)" in titles
    event = AuditEvent.objects.get(object_type="referrals.safetyaction", object_id=str(action.pk))
    assert event.action == AuditEvent.Action.COLLECTION
    assert event.actor == isac


def test_an_action_without_a_due_date_says_so(case, isac):
    action = safety_action_add(case=case, by=isac, description="Agree a code word", owner="ISAC")
    assert action.changes.get().summary == "Added: Agree a code word (owner: ISAC, no due date)"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"description": "  ", "owner": "police"}, "description"),
        ({"description": "Change the locks", "owner": ""}, "owner"),
        (
            {
                "description": "Change the locks",
                "owner": "housing",
                "due_date": datetime.date(2020, 1, 1),
            },
            "due_date",
        ),
    ],
)
def test_an_incomplete_action_is_refused_naming_the_field(case, isac, kwargs, field):
    with pytest.raises(ServiceError) as refused:
        safety_action_add(case=case, by=isac, **kwargs)
    assert refused.value.field == field
    assert not SafetyAction.objects.exists()


def test_a_status_change_is_summarised_and_audited(case, isac):
    action = safety_action_add(
        case=case, by=isac, description="Fit a video doorbell", owner="police"
    )

    updated = _update(action, by=isac, status=SafetyAction.Status.DONE)

    assert updated.status == SafetyAction.Status.DONE
    assert updated.version == 2
    latest = updated.changes.order_by("-id").first()
    assert latest.summary == "Status of 'Fit a video doorbell' changed from To do to Done"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ALTERATION).get()
    assert event.object_id == str(action.pk)
    assert event.changed_fields == ["status"]


def test_each_changed_field_gets_its_own_sentence(case, isac):
    action = safety_action_add(
        case=case, by=isac, description="Fit a doorbell", owner="police", due_date=FUTURE
    )

    _update(
        action,
        by=isac,
        description="Fit a video doorbell",
        owner="housing",
        due_date=datetime.date(2030, 12, 10),
        status=SafetyAction.Status.IN_PROGRESS,
    )

    summaries = set(
        SafetyActionChange.objects.exclude(summary__startswith="Added").values_list(
            "summary", flat=True
        )
    )
    assert summaries == {
        "Action 'Fit a doorbell' reworded to 'Fit a video doorbell'",
        "Owner of 'Fit a doorbell' changed from police to housing",
        "Due date of 'Fit a doorbell' changed from 3 Dec 2030 to 10 Dec 2030",
        "Status of 'Fit a doorbell' changed from To do to In progress",
    }
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION)
    assert event.changed_fields == ["description", "due_date", "owner", "status"]


def test_setting_and_removing_a_due_date_are_summarised(case, isac):
    action = safety_action_add(case=case, by=isac, description="Change the locks", owner="housing")
    action = _update(action, by=isac, due_date=FUTURE)
    action = _update(action, by=isac, due_date=None)
    summaries = list(action.changes.order_by("id").values_list("summary", flat=True))
    assert summaries[1:] == [
        "Due date of 'Change the locks' set to 3 Dec 2030",
        "Due date of 'Change the locks' removed (was 3 Dec 2030)",
    ]


def test_an_action_agreed_last_week_can_be_recorded_already_overdue(case, isac):
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    action = safety_action_add(
        case=case, by=isac, description="Change the locks", owner="housing", due_date=last_week
    )
    assert safety_panel(case, user=isac)["actions"][0].overdue
    assert action.due_date == last_week


def test_an_overdue_action_can_be_marked_done_without_moving_its_date(case, isac):
    past = timezone.localdate() - datetime.timedelta(days=400)  # too old to set today
    action = SafetyActionFactory(case=case, due_date=past)

    updated = _update(action, by=isac, status=SafetyAction.Status.DONE)

    assert updated.status == SafetyAction.Status.DONE
    assert updated.due_date == past


def test_saving_without_changes_writes_nothing(case, isac):
    action = SafetyActionFactory(case=case)
    updated = _update(action, by=isac)
    assert updated.version == 1
    assert not SafetyActionChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ALTERATION).exists()


def test_a_stale_copy_is_refused_and_the_first_change_is_kept(case, isac, persona):
    coordinator = persona(Role.COORDINATOR)
    SafetyActionFactory(case=case, description="Fit a video doorbell", owner="police")
    # Two people open the same action: two copies at version 1.
    first_copy = SafetyAction.objects.get()
    second_copy = SafetyAction.objects.get()

    _update(first_copy, by=isac, status=SafetyAction.Status.DONE)
    with pytest.raises(ChangedByAnotherUser) as refused:
        _update(second_copy, by=coordinator, owner="the victim")

    assert isac.display_name in refused.value.message
    assert "not saved" in refused.value.message
    saved = SafetyAction.objects.get()
    assert (saved.status, saved.owner, saved.version) == (SafetyAction.Status.DONE, "police", 2)
    assert not SafetyActionChange.objects.filter(changed_by=coordinator).exists()
    assert not AuditEvent.objects.filter(actor=coordinator).exists()


# --- the views ----------------------------------------------------------------------------------


def _urls(case, action):
    return {
        "safety_action_add": reverse("referrals:safety_action_add", args=[case.pk]),
        "safety_action_edit": reverse("referrals:safety_action_edit", args=[action.pk]),
    }


@pytest.mark.parametrize("name", ["safety_action_add", "safety_action_edit"])
def test_who_may_use_the_safety_plan_pages(client, case, isac, persona, make_user, name):
    action = SafetyActionFactory(case=case)
    url = _urls(case, action)[name]
    expected = {
        isac: 200,
        persona(Role.COORDINATOR): 200,
        isac_elsewhere(username="other_isac"): 404,  # may not know the case exists
        persona(Role.TACTICAL_LEAD): 403,
        persona(Role.SOLICITOR): 403,
        persona(Role.OFFICER): 403,
        partner_shown(case, ["summary", "safety_plan"], username="partner_user"): 403,
        make_user(username="outsider"): 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_the_isac_adds_an_action_and_returns_to_the_case(client, case, isac):
    client.force_login(isac)
    response = client.post(
        reverse("referrals:safety_action_add", args=[case.pk]),
        {"description": "Fit a video doorbell", "owner": "police", "due_date": "3/12/2030"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:case_detail", args=[case.pk])
    action = SafetyAction.objects.get()
    assert (action.case, action.due_date) == (case, FUTURE)


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("31/2/2030", "Enter a real date as day/month/year, for example, 27/3/2027"),
        ("next week", "Enter a real date as day/month/year, for example, 27/3/2027"),
        ("1/1/2020", "The due date is more than a year ago. Check the year."),
        ("1/1/2099", "The due date is more than five years away. Check the year."),
    ],
)
def test_a_bad_due_date_is_shown_next_to_the_field_and_the_rest_is_kept(
    client, case, isac, due_date, message
):
    client.force_login(isac)
    response = client.post(
        reverse("referrals:safety_action_add", args=[case.pk]),
        {"description": "Fit a video doorbell", "owner": "police", "due_date": due_date},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"due_date": [message]}
    html = response.content.decode()
    assert 'id="id_due_date_1_error"' in html
    assert "Fit a video doorbell</textarea>" in html
    assert 'value="police"' in html
    assert f'value="{due_date}"' in html
    assert not SafetyAction.objects.exists()


def test_the_edit_form_shows_the_action_and_logs_the_consultation(client, case, isac):
    action = SafetyActionFactory(case=case, description="Change the locks", due_date=FUTURE)
    client.force_login(isac)
    response = client.get(reverse("referrals:safety_action_edit", args=[action.pk]))
    html = response.content.decode()
    assert "Change the locks</textarea>" in html
    assert 'value="3/12/2030"' in html
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, object_id=str(case.pk), actor=isac
    ).exists()


def test_the_isac_marks_an_action_done(client, case, isac):
    action = SafetyActionFactory(case=case, description="Change the locks", owner="housing")
    client.force_login(isac)
    response = client.post(
        reverse("referrals:safety_action_edit", args=[action.pk]),
        {
            "description": "Change the locks",
            "owner": "housing",
            "due_date": "",
            "status": "done",
            "version": "1",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == SafetyAction.Status.DONE


def test_a_stale_edit_form_keeps_the_typing_and_shows_what_is_saved(client, case, isac, persona):
    action = SafetyActionFactory(case=case, description="Change the locks", owner="housing")
    coordinator = persona(Role.COORDINATOR)
    _update(action, by=coordinator, owner="landlord")  # saved while the ISAC was typing

    client.force_login(isac)
    form_data = {
        "description": "Change the locks and fit a chain",
        "owner": "housing",
        "due_date": "",
        "status": "in_progress",
        "version": "1",
    }
    url = reverse("referrals:safety_action_edit", args=[action.pk])
    response = client.post(url, form_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert coordinator.display_name in html
    assert "Your changes were not saved" in html
    assert "Change the locks and fit a chain</textarea>" in html  # the typing is kept
    assert 'data-testid="saved-now"' in html
    assert 'name="version" value="2"' in html  # a second save is a decision, made knowingly
    action.refresh_from_db()
    assert (action.owner, action.description) == ("landlord", "Change the locks")

    response = client.post(url, {**form_data, "version": "2"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Change the locks and fit a chain"


def test_a_tampered_version_is_reported_at_the_top(client, case, isac):
    action = SafetyActionFactory(case=case)
    client.force_login(isac)
    response = client.post(
        reverse("referrals:safety_action_edit", args=[action.pk]),
        {"description": "x", "owner": "police", "status": "done", "version": "abc"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This form is out of date. Go back, open it again and make your changes."
    ]


# --- the case page panel ------------------------------------------------------------------------


def test_overdue_actions_are_marked_and_finished_ones_are_not(case, isac):
    today = timezone.localdate()
    late = SafetyActionFactory(
        case=case, description="late", due_date=today - datetime.timedelta(1)
    )
    SafetyActionFactory(
        case=case,
        description="late but done",
        due_date=today - datetime.timedelta(1),
        status=SafetyAction.Status.DONE,
    )
    SafetyActionFactory(
        case=case,
        description="late, not needed",
        due_date=today - datetime.timedelta(3),
        status=SafetyAction.Status.NOT_NEEDED,
    )
    SafetyActionFactory(case=case, description="today", due_date=today)
    SafetyActionFactory(case=case, description="undated")

    panel = safety_panel(case, user=isac)

    assert [row.action.description for row in panel["actions"] if row.overdue] == ["late"]
    assert panel["overdue_count"] == 1
    # Open actions first, soonest first, undated after dated; finished ones last.
    assert [row.action.description for row in panel["actions"]] == [
        "late",
        "today",
        "undated",
        "late, not needed",
        "late but done",
    ]
    assert panel["actions"][0].action == late
    assert panel["can_edit_safety_plan"] is True


def test_the_case_page_shows_the_plan_with_an_overdue_tag(client, case, isac):
    SafetyActionFactory(
        case=case,
        description="Fit a video doorbell",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(isac)
    html = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "Fit a video doorbell" in html
    assert "1 action overdue" in html
    assert reverse("referrals:safety_action_add", args=[case.pk]) in html


def test_a_partner_without_the_safety_plan_share_gets_no_plan(case):
    SafetyActionFactory(case=case, description="Fit a video doorbell")
    partner = partner_shown(case, ["summary", "victim_voice"])

    panel = safety_panel(get_case_for_user(partner, case.pk), user=partner)

    assert panel["show_safety_plan"] is False
    assert panel["actions"] == []
    assert panel["can_edit_safety_plan"] is False


def test_a_partner_with_the_safety_plan_share_reads_but_cannot_change_it(client, case):
    SafetyActionFactory(case=case, description="Fit a video doorbell")
    partner = partner_shown(case, ["summary", "safety_plan"])

    panel = safety_panel(get_case_for_user(partner, case.pk), user=partner)

    assert [row.action.description for row in panel["actions"]] == ["Fit a video doorbell"]
    assert panel["can_edit_safety_plan"] is False
    client.force_login(partner)
    html = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "Fit a video doorbell" in html
    assert reverse("referrals:safety_action_add", args=[case.pk]) not in html


def _panel_queries(case, user):
    case = get_case_for_user(user, case.pk)
    with CaptureQueriesContext(connection) as queries:
        safety_panel(case, user=user)
    return len(queries)


def test_the_panel_costs_the_same_queries_for_one_action_or_twenty(
    case, isac, django_assert_max_num_queries
):
    SafetyActionFactory(case=case)
    few = _panel_queries(case, isac)

    for _ in range(19):
        action = SafetyActionFactory(case=case)
        _update(action, by=isac, status=SafetyAction.Status.IN_PROGRESS)

    assert _panel_queries(case, isac) == few
    case = get_case_for_user(isac, case.pk)
    with django_assert_max_num_queries(4):
        safety_panel(case, user=isac)
