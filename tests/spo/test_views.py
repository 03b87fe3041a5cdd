"""The protection orders pages: who may use each, what the solicitor changes, and what the others
see. Scenario: an application on a case, with an interim order, a notification, a hearing, a
breach and a condition; an officer named as officer in the case; probation, with the case's
orders shared; another officer and another partner, for whom the application does not exist."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import Share
from spo.models import Application, Condition, Hearing, Order
from stalking_clinic.accounts.models import Agency, Role

from ..factories import AgencyFactory
from .factories import (
    ApplicationFactory,
    BreachFactory,
    ConditionFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(make_user):
    probation = AgencyFactory(name="Probation", kind=Agency.Kind.PROBATION)
    other_agency = AgencyFactory(name="Housing", kind=Agency.Kind.PROBATION)
    solicitor = make_user(Role.SOLICITOR, username="sol")
    officer = make_user(Role.OFFICER, username="oic")
    application = ApplicationFactory(
        solicitor=solicitor, officer_in_case=officer, stage=Application.Stage.INTERIM
    )
    order = OrderFactory(application=application)
    Share.objects.create(
        case=application.case,
        agency=probation,
        sections=[Share.Section.ORDERS],
        reason="x",
        shared_by=make_user(Role.COORDINATOR, username="coord_sharer"),
    )
    return {
        "solicitor": solicitor,
        "officer": officer,
        "partner": make_user(Role.PARTNER, username="probation", agency=probation),
        "other_officer": make_user(Role.OFFICER, username="other_officer"),
        "other_partner": make_user(Role.PARTNER, username="housing", agency=other_agency),
        "application": application,
        "order": order,
        "notification": NotificationFactory(order=order),
        "hearing": HearingFactory(application=application),
        "breach": BreachFactory(order=order),
        "condition": ConditionFactory(application=application),
    }


a = lambda s: {"pk": s["application"].pk}  # noqa: E731
o = lambda s: {"pk": s["order"].pk}  # noqa: E731

# url name -> kwargs; every one is a change (Perm.SPO): the solicitor gets it, the officer in the
# case and the shared partner may read the application but not change it (403), and the outsider
# officer is refused too (403: the role may use no change page).
CHANGE_PAGES = {
    "spo:application_new": lambda s: {"case_pk": s["application"].case_id},
    "spo:application_edit": a,
    "spo:application_move": a,
    "spo:condition_add": a,
    "spo:condition_edit": lambda s: {"pk": s["condition"].pk},
    "spo:order_new": a,
    "spo:order_served": o,
    "spo:notification_new": o,
    "spo:notification_record": lambda s: {"pk": s["notification"].pk},
    "spo:hearing_new": a,
    "spo:hearing_edit": lambda s: {"pk": s["hearing"].pk},
    "spo:breach_new": o,
    "spo:breach_outcome": lambda s: {"pk": s["breach"].pk},
    "spo:application_follow_on": lambda s: {"order_pk": s["order"].pk},
}
POST_ONLY = {
    "spo:condition_remove": lambda s: {"pk": s["condition"].pk},
    "spo:condition_move": lambda s: {"pk": s["condition"].pk},
}


@pytest.mark.parametrize("name", sorted(CHANGE_PAGES))
@pytest.mark.parametrize(
    "who,expected",
    [("solicitor", 200), ("officer", 403), ("partner", 403), ("other_officer", 403)],
)
def test_only_spo_users_open_change_pages(client, s, name, who, expected):
    client.force_login(s[who])
    response = client.get(reverse(name, kwargs=CHANGE_PAGES[name](s)))
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(POST_ONLY))
@pytest.mark.parametrize("who,expected", [("solicitor", 302), ("officer", 403), ("partner", 403)])
def test_condition_buttons_are_for_spo_users(client, s, name, who, expected):
    client.force_login(s[who])
    response = client.post(reverse(name, kwargs=POST_ONLY[name](s)), {"direction": "up"})
    assert response.status_code == expected


@pytest.mark.parametrize(
    "who,expected",
    [
        ("solicitor", 200),
        ("officer", 200),
        ("partner", 200),
        ("other_officer", 404),
        ("other_partner", 404),
    ],
)
def test_application_page_for_those_who_may_see_it(client, s, who, expected):
    client.force_login(s[who])
    response = client.get(reverse("spo:application_detail", kwargs=a(s)))
    assert response.status_code == expected


def test_read_only_viewer_sees_no_change_buttons(client, s):
    client.force_login(s["officer"])
    page = client.get(reverse("spo:application_detail", kwargs=a(s))).content.decode()
    assert s["condition"].text in page
    assert "Record an order" not in page and "Add a hearing" not in page
    assert reverse("spo:condition_edit", args=[s["condition"].pk]) not in page


def test_orders_list_shows_only_what_the_user_may_see(client, s, make_user):
    ApplicationFactory()  # not the officer's, not shared
    client.force_login(s["officer"])
    response = client.get(reverse("spo:orders"))
    assert [app.pk for app in response.context["applications"]] == [s["application"].pk]
    client.force_login(s["other_partner"])
    assert list(client.get(reverse("spo:orders")).context["applications"]) == []


@pytest.mark.parametrize("who,expected", [("solicitor", 200), ("officer", 403), ("partner", 403)])
def test_index_is_for_spo_users(client, s, who, expected):
    client.force_login(s[who])
    assert client.get(reverse("spo:index")).status_code == expected


def test_index_filters_and_shows_next_hearing(client, s):
    other = ApplicationFactory(stage=Application.Stage.DRAFTING)
    client.force_login(s["solicitor"])
    page = client.get(reverse("spo:index"))
    assert {app.pk for app in page.context["applications"]} == {s["application"].pk, other.pk}
    assert s["application"].reference in page.content.decode()
    row = next(app for app in page.context["applications"] if app.pk == s["application"].pk)
    assert row.next_hearing == s["hearing"].starts_at
    drafting = client.get(reverse("spo:index"), {"stage": "drafting"}).context["applications"]
    assert [app.pk for app in drafting] == [other.pk]
    mine = client.get(reverse("spo:index"), {"mine": "on"}).context["applications"]
    assert [app.pk for app in mine] == [s["application"].pk]


def test_index_queries_do_not_grow_with_applications(client, s):
    client.force_login(s["solicitor"])
    client.get(reverse("spo:index"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("spo:index"))
    for _ in range(5):
        HearingFactory(application=ApplicationFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("spo:index"))
    assert len(response.context["applications"]) == 6
    assert len(many) == len(few)


def test_solicitor_starts_an_application_from_the_case(client, s):
    case = s["application"].case
    client.force_login(s["solicitor"])
    case_page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "Start an SPO application" in case_page and s["application"].reference in case_page
    response = client.post(
        reverse("spo:application_new", args=[case.pk]),
        {
            "defendant": case.suspects.first().pk,
            "protected_people": [case.victim_id],
            "court": "Cheltenham Magistrates' Court",
            "officer_in_case": s["officer"].pk,
        },
    )
    new = Application.objects.exclude(pk=s["application"].pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spo:application_detail", args=[new.pk])
    assert new.defendant == case.suspects.first() and new.officer_in_case == s["officer"]
    assert list(new.protected_people.all()) == [case.victim]


def test_defendant_must_be_a_suspect_of_the_case(client, s):
    case = s["application"].case
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:application_new", args=[case.pk]),
        {"defendant": case.victim_id, "protected_people": [case.victim_id], "court": "Kept court"},
    )
    assert response.status_code == 200
    assert "defendant" in response.context["form"].errors
    assert "Kept court" in response.content.decode()


def test_stage_form_offers_only_allowed_next_stages(client, s):
    from spo.services.applications import ALLOWED_MOVES

    client.force_login(s["solicitor"])
    form = client.get(reverse("spo:application_move", kwargs=a(s))).context["form"]
    offered = {value for value, _ in form.fields["to_stage"].choices}
    assert offered == set(ALLOWED_MOVES[Application.Stage.INTERIM])


def test_stage_move_is_recorded_with_reason(client, s):
    application = s["application"]
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:application_move", kwargs=a(s)),
        {"to_stage": "full_hearing", "reason": "Listed for trial", "version": application.version},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Application.Stage.FULL_HEARING
    page = client.get(reverse("spo:application_detail", kwargs=a(s))).content.decode()
    assert "Listed for trial" in page


def test_edit_after_someone_else_saved_keeps_input_and_says_so(client, s, make_user):
    from spo.services.applications import application_update

    application = s["application"]
    seen_version = application.version
    application_update(
        application=application,
        by=make_user(Role.COORDINATOR, username="first_saver"),
        version=seen_version,
        court="Saved first court",
        acts_evidence=application.acts_evidence,
        risk_evidence=application.risk_evidence,
        necessity_evidence=application.necessity_evidence,
        officer_in_case=application.officer_in_case,
        protected_people=list(application.protected_people.all()),
    )
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:application_edit", kwargs=a(s)),
        {
            "court": "My court",
            "acts_evidence": "My acts evidence",
            "risk_evidence": "",
            "necessity_evidence": "",
            "protected_people": [application.case.victim_id],
            "version": seen_version,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert "not saved" in form.non_field_errors()[0]
    page = response.content.decode()
    assert "My acts evidence" in page and "Saved first court" in page
    application.refresh_from_db()
    assert application.court == "Saved first court"
    assert form["version"].value() == str(application.version)


def test_the_condition_form_on_the_application_page_adds_where_it_posts(client, s):
    """The "Add a prohibition or requirement" form sits on the application's page: posting it
    to the address the page gives adds the condition and comes back to the conditions."""
    client.force_login(s["solicitor"])
    page = client.get(reverse("spo:application_detail", kwargs=a(s))).content.decode()
    action = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(?:(?!</form>).)*name="text"', page, re.S)
    response = client.post(action.group(1), {"kind": "requirement", "text": "To attend a course."})
    assert response.status_code == 302
    assert response["Location"].endswith("#conditions")
    assert s["application"].conditions.filter(kind="requirement", text="To attend a course.")


def test_conditions_added_edited_moved_and_removed(client, s):
    application = s["application"]
    first = s["condition"]
    client.force_login(s["solicitor"])
    client.post(
        reverse("spo:condition_add", kwargs=a(s)),
        {"kind": "prohibition", "text": "Not to enter Stroud."},
    )
    second = Condition.objects.get(text="Not to enter Stroud.")
    client.post(reverse("spo:condition_move", args=[second.pk]), {"direction": "up"})
    prohibitions = list(application.conditions.filter(kind="prohibition"))
    assert prohibitions == [second, first]
    client.post(
        reverse("spo:condition_edit", args=[second.pk]),
        {"text": "Not to enter Stroud town centre.", "version": second.version},
    )
    second.refresh_from_db()
    assert second.text == "Not to enter Stroud town centre."
    client.post(reverse("spo:condition_remove", args=[first.pk]))
    assert list(application.conditions.all()) == [second]


def test_bad_order_dates_keep_the_other_fields(client, s):
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:order_new", kwargs=a(s)),
        {"kind": "interim", "made_on": "1/6/2026", "ends_on": "not a date"},
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert 'value="1/6/2026"' in response.content.decode()


def test_service_refusal_shows_on_its_field(client, s):
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:order_new", kwargs=a(s)),
        {"kind": "interim", "made_on": "1/6/2026", "until_further_order": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("until_further_order") or response.context[
        "form"
    ].errors.get("ends_on")
    assert Order.objects.count() == 1


def test_hearing_added_with_date_and_time(client, s):
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:hearing_new", kwargs=a(s)),
        {"kind": "full", "court": "Gloucester", "date": "3/8/2027", "time": "10:30"},
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get(court="Gloucester")
    local = timezone.localtime(hearing.starts_at)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2027, 8, 3), 10, 30)


def test_hearing_bad_time_keeps_the_other_fields(client, s):
    client.force_login(s["solicitor"])
    response = client.post(
        reverse("spo:hearing_new", kwargs=a(s)),
        {"kind": "full", "court": "Kept court", "date": "3/8/2027", "time": "half ten"},
    )
    assert response.status_code == 200
    assert "time" in response.context["form"].errors
    assert "Kept court" in response.content.decode()


def test_overdue_notification_is_tagged(client, s):
    NotificationFactory(
        order=s["order"],
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        due_on=timezone.localdate() - datetime.timedelta(days=8),
    )
    client.force_login(s["solicitor"])
    page = client.get(reverse("spo:application_detail", kwargs=a(s))).content.decode()
    assert 'govuk-tag--red">Overdue' in page


def test_application_page_consultation_is_audited(client, s):
    from stalking_clinic.audit.models import AuditEvent

    client.force_login(s["officer"])
    client.get(reverse("spo:application_detail", kwargs=a(s)))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, actor=s["officer"]
    ).exists()
