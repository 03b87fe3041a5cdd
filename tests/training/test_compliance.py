"""Compliance with the mandatory training: the counts by area and team for a small force with
known standings, the team drill-down, the CSV (and its protection against formulas), the training
delivered per month, and a fixed number of queries however large the force."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.csv_files import formula_safe
from training.models import Booking, Course, Session
from training.selectors.chart import bar_chart
from training.selectors.compliance import add_months
from training.selectors.reports import compliance_report, monthly_delivered

from .factories import (
    AreaFactory,
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

ATTENDED = Booking.Status.ATTENDED


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _months_ago(months: int) -> datetime.date:
    return add_months(timezone.localdate(), -months)


def _attended(trainee, course, day, status=ATTENDED):
    session = SessionFactory(course=course, starts_at=_at(day))
    return BookingFactory(session=session, trainee=trainee, status=status)


@pytest.fixture
def force():
    """North (teams N1, N2) and South (S1).

    "Stalking awareness" (24-month refresh) is mandatory for police constables and for everyone
    in N1; "Control room stalking" (no refresh) for everyone in S1."""
    pc = JobRoleFactory(name="Police constable")
    ch = JobRoleFactory(name="Call handler")
    north, south = AreaFactory(name="North"), AreaFactory(name="South")
    n1 = TeamFactory(area=north, name="N1 response")
    n2 = TeamFactory(area=north, name="N2 neighbourhood")
    s1 = TeamFactory(area=south, name="S1 control room")
    awareness = CourseFactory(
        title="Stalking awareness", refresh_months=24, mandatory_roles=[pc], mandatory_teams=[n1]
    )
    control = CourseFactory(
        title="Control room stalking", refresh_months=None, mandatory_teams=[s1]
    )
    CourseFactory(title="Optional drop-in", kind=Course.Kind.DROP_IN)  # mandatory for nobody
    CourseFactory(title="Retired course", active=False, mandatory_roles=[pc])

    def trainee(collar, name, team, role, **kwargs):
        return TraineeFactory(collar_number=collar, name=name, team=team, job_role=role, **kwargs)

    sergeant = trainee("PS1", "Sergeant North", n2, ch)
    people = {
        # N1: both constables (by role) and everyone in the team (by team); counted once each.
        "completed": trainee("PC1", "Ann Completed", n1, pc, supervisor=sergeant),
        "due_soon": trainee("PC2", "Bob Duesoon", n1, pc, supervisor=sergeant),
        "overdue": trainee("PC3", "Cat Overdue", n1, pc),
        "untrained": trainee("PC4", "Dev Untrained", n1, pc),
        "handler_n1": trainee("CH1", "Eve Handler", n1, ch),
        "inactive": trainee("PC5", "Fay Left", n1, pc, active=False),
        # N2: one constable who completed; a call handler for whom nothing is mandatory.
        "n2_constable": trainee("PC6", "Gus Northtwo", n2, pc),
        "sergeant": sergeant,
        # S1: the control room course by team, and awareness for the constable by role.
        "s1_handler": trainee("CH2", "Hal Control", s1, ch),
        "s1_constable": trainee("PC7", "Ivy Control", s1, pc),
    }
    _attended(people["completed"], awareness, _months_ago(1))
    _attended(people["due_soon"], awareness, _months_ago(23))
    _attended(people["overdue"], awareness, _months_ago(25))  # refresh was due a month ago
    _attended(people["untrained"], awareness, _months_ago(2), status=Booking.Status.ABSENT)
    _attended(people["inactive"], awareness, _months_ago(1))
    _attended(people["n2_constable"], awareness, _months_ago(2))
    _attended(people["s1_handler"], control, _months_ago(36))
    return {
        "areas": (north, south),
        "teams": (n1, n2, s1),
        "courses": (awareness, control),
        "people": people,
    }


def _figures(report, team_name, course_title):
    for area in report.areas:
        for team in area.teams:
            if team.team.name == team_name:
                return next(f for f in team.courses if f.course.title == course_title)
    raise AssertionError(team_name)


def _row(figures):
    return (
        figures.required,
        figures.compliant,
        figures.due_refresh,
        figures.overdue,
        figures.untrained,
        figures.percent_compliant,
    )


# The counts -------------------------------------------------------------------------------------


def test_counts_by_team_and_course(force):
    report = compliance_report()
    assert [c.title for c in report.courses] == ["Control room stalking", "Stalking awareness"]
    # N1: completed + due soon compliant; due soon + overdue due a refresh; the absent constable
    # and the call handler (mandatory by team) untrained; the inactive trainee left out.
    assert _row(_figures(report, "N1 response", "Stalking awareness")) == (5, 2, 2, 1, 2, 40)
    assert _row(_figures(report, "N2 neighbourhood", "Stalking awareness")) == (1, 1, 0, 0, 0, 100)
    assert _row(_figures(report, "S1 control room", "Stalking awareness")) == (1, 0, 0, 0, 1, 0)
    assert _row(_figures(report, "S1 control room", "Control room stalking")) == (2, 1, 0, 0, 1, 50)
    assert _figures(report, "N1 response", "Control room stalking").required == 0


def test_area_totals_add_up_their_teams(force):
    report = compliance_report()
    north, south = report.areas
    assert (north.area.name, south.area.name) == ("North", "South")
    assert [t.team.name for t in north.teams] == ["N1 response", "N2 neighbourhood"]
    assert north.officers == 5 + 2  # the inactive trainee is not counted
    totals = {f.course.title: _row(f) for f in north.required_totals}
    assert totals == {"Stalking awareness": (6, 3, 2, 1, 2, 50)}
    assert {f.course.title: _row(f) for f in south.required_totals} == {
        "Control room stalking": (2, 1, 0, 0, 1, 50),
        "Stalking awareness": (1, 0, 0, 0, 1, 0),
    }


def test_filters_by_area_and_course(force):
    _north, south = force["areas"]
    awareness, _ = force["courses"]
    report = compliance_report(area_id=south.pk, course_id=awareness.pk)
    assert [a.area.name for a in report.areas] == ["South"]
    assert [f.course.title for f in report.areas[0].totals] == ["Stalking awareness"]
    assert _row(report.areas[0].totals[0]) == (1, 0, 0, 0, 1, 0)


def test_the_percentage_is_rounded_down(force):
    """199 of 200 is not 100%: only everyone is."""
    awareness, _ = force["courses"]
    n2 = force["teams"][1]
    pc = JobRoleFactory(name="Police constable")
    for i in range(2):
        TraineeFactory(collar_number=f"PCX{i}", team=n2, job_role=pc)
    figures = _figures(
        compliance_report(course_id=awareness.pk), "N2 neighbourhood", awareness.title
    )
    assert (figures.compliant, figures.required, figures.percent_compliant) == (1, 3, 33)


def test_officers_needing_action_are_the_untrained_overdue_and_due_soon(force):
    people = force["people"]
    n1 = force["teams"][0]
    rows = compliance_report().needing_action(team_id=n1.pk)
    assert {(r.trainee.collar_number, r.standing.standing.value) for r in rows} == {
        ("PC2", "due_soon"),
        ("PC3", "overdue"),
        ("PC4", "untrained"),
        ("CH1", "untrained"),
    }
    assert people["completed"].pk not in {r.trainee.pk for r in rows}


# The page ---------------------------------------------------------------------------------------


URL = "/training/compliance/"


def test_the_url_names():
    assert reverse("training:compliance") == URL
    assert reverse("training:compliance_csv").startswith(URL)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COORDINATOR, Role.TACTICAL_LEAD])
def test_supervisors_and_managers_see_the_figures(client, force, make_user, role):
    client.force_login(make_user(role, username="viewer"))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "N1 response" in html and "S1 control room" in html
    assert "40%" in html
    assert "Ann Completed" not in html  # no names on the figures page


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.CHAMPION, Role.ISAC, Role.SOLICITOR, Role.PARTNER, None]
)
def test_others_are_refused(client, force, make_user, role):
    client.force_login(make_user(*([role] if role else []), username="other"))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("training:compliance_csv")).status_code == 403


def test_the_page_filters_by_area(client, force, coordinator):
    _north, south = force["areas"]
    client.force_login(coordinator)
    html = client.get(URL, {"area": south.pk}).content.decode()
    assert "S1 control room" in html and "N1 response" not in html


def test_an_unknown_filter_value_shows_everything(client, force, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"area": "999999", "course": "x"})
    assert response.status_code == 200
    assert "N1 response" in response.content.decode()


def test_drilling_down_lists_the_team_officers_who_need_a_course(client, force, coordinator):
    n1 = force["teams"][0]
    client.force_login(coordinator)
    response = client.get(URL, {"team": n1.pk})
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Bob Duesoon", "Cat Overdue", "Dev Untrained", "Eve Handler"):
        assert name in html
    assert "Ann Completed" not in html and "Fay Left" not in html
    assert "Refresh overdue" in html and "Not trained" in html
    assert reverse("training:officer_detail", args=[force["people"]["overdue"].pk]) in html
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, object_type="training.team", object_id=str(n1.pk)
    ).exists()


def test_a_supervisor_sees_only_the_names_of_their_team(client, force, make_user):
    n1 = force["teams"][0]
    client.force_login(make_user(Role.SUPERVISOR, username="sarge", collar_number="PS1"))
    html = client.get(URL, {"team": n1.pk}).content.decode()
    assert "Bob Duesoon" in html  # supervised by PS1
    assert "Cat Overdue" not in html and "Dev Untrained" not in html
    assert "only of the officers you supervise" in html
    assert "40%" in html  # the team's figures are the whole team's


@pytest.mark.parametrize("team", ["999999", "abc"])
def test_an_unknown_team_is_not_found(client, force, coordinator, team):
    client.force_login(coordinator)
    assert client.get(URL, {"team": team}).status_code == 404


def _build_force(teams: int, officers: int, course):
    """``teams`` teams spread over up to three areas, every other officer trained."""
    pc = JobRoleFactory(name="Police constable")
    for t in range(teams):
        team = TeamFactory(area=AreaFactory(name=f"Area {t % 3}"), name=f"Team {teams}-{t}")
        for o in range(officers):
            trainee = TraineeFactory(collar_number=f"C{teams}-{t}-{o}", team=team, job_role=pc)
            if o % 2:
                _attended(trainee, course, _months_ago(o))


@pytest.mark.parametrize("drill_down", [False, True])
def test_the_page_takes_a_fixed_number_of_queries(
    client, coordinator, django_assert_num_queries, drill_down
):
    pc = JobRoleFactory(name="Police constable")
    course = CourseFactory(title="Awareness", mandatory_roles=[pc])
    CourseFactory(title="Second", mandatory_roles=[pc], refresh_months=None)
    _build_force(2, 3, course)
    client.force_login(coordinator)

    def url():
        from training.models import Team

        return URL + (f"?team={Team.objects.order_by('-pk').first().pk}" if drill_down else "")

    client.get(url())
    with CaptureQueriesContext(connection) as small:
        client.get(url())
    _build_force(6, 10, course)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url())
    assert response.status_code == 200


# Training delivered per month -------------------------------------------------------------------


def test_monthly_figures_count_sessions_held_and_attendances():
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    first_month = add_months(today.replace(day=1), -11)
    held = SessionFactory(starts_at=_at(last_month + datetime.timedelta(days=3)))
    for status in (ATTENDED, ATTENDED, ATTENDED, Booking.Status.ABSENT):
        BookingFactory(session=held, status=status)
    SessionFactory(starts_at=_at(last_month + datetime.timedelta(days=5)))  # nobody came
    SessionFactory(
        starts_at=_at(last_month + datetime.timedelta(days=6)), status=Session.Status.CANCELLED
    )
    oldest = SessionFactory(starts_at=_at(first_month + datetime.timedelta(days=1)))
    BookingFactory(session=oldest, status=ATTENDED)
    too_old = SessionFactory(starts_at=_at(add_months(first_month, -1)))
    BookingFactory(session=too_old, status=ATTENDED)
    SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=7))  # not held yet

    months = monthly_delivered()
    assert len(months) == 12
    assert months[0].month == first_month and months[-1].month == today.replace(day=1)
    by_month = {m.month: (m.sessions, m.attendances) for m in months}
    assert by_month[last_month] == (2, 3)
    assert by_month[first_month] == (1, 1)
    assert sum(m.sessions for m in months) == 3
    assert sum(m.attendances for m in months) == 4


def test_the_chart_scales_its_bars_to_the_largest_figure():
    months = monthly_delivered()  # all zero: the scale still starts at 0 and ends at 1
    chart = bar_chart(months)
    assert [t["value"] for t in chart["ticks"]] == [0, 1]
    assert all(m.sessions.height == 0 for m in chart["months"])

    from training.selectors.reports import MonthFigures

    figures = [MonthFigures(m.month, 0, 0) for m in months]
    figures[-1] = MonthFigures(months[-1].month, 4, 37)
    chart = bar_chart(figures)
    assert [t["value"] for t in chart["ticks"]] == [0, 10, 20, 30, 40, 50]
    tallest = chart["months"][-1]
    assert tallest.attendances.height > tallest.sessions.height > 0
    assert tallest.attendances.y + tallest.attendances.height == chart["baseline"]
    assert "37 attendances" in tallest.attendances.title


def test_the_page_has_the_chart_and_its_figures_without_inline_styles(client, coordinator):
    session = SessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    BookingFactory(session=session, status=ATTENDED)
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "style=" not in html and "<script>" not in html
    assert 'data-testid="delivered-table"' in html
    assert f"{timezone.localdate():%B %Y}" in html


# The CSV ----------------------------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_the_figures_per_area_team_and_course(client, force, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("training:compliance_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"] == f'attachment; filename="training-compliance-{today}.csv"'
    )
    rows = _csv(response)
    assert rows[0][:3] == ["Area", "Team", "Course"] and rows[0][-1] == "Percent compliant"
    assert ["North", "N1 response", "Stalking awareness", "5", "2", "2", "1", "2", "40"] in rows
    assert [
        "South",
        "S1 control room",
        "Control room stalking",
        "2",
        "1",
        "0",
        "0",
        "1",
        "50",
    ] in rows
    assert len(rows) == 1 + 4  # N1, N2 awareness; S1 awareness and control room
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.recipient == coordinator.username and "CSV" in event.justification


def test_the_officers_csv_lists_each_officer_and_course_needing_action(client, force, coordinator):
    north, _ = force["areas"]
    client.force_login(coordinator)
    response = client.get(
        reverse("training:compliance_csv"), {"detail": "officers", "area": north.pk}
    )
    rows = _csv(response)
    assert rows[0] == [
        "Area",
        "Team",
        "Collar number",
        "Name",
        "Course",
        "Standing",
        "Last attended",
        "Refresh due",
    ]
    assert {(r[2], r[5]) for r in rows[1:]} == {
        ("PC2", "Refresh due soon"),
        ("PC3", "Refresh overdue"),
        ("PC4", "Not trained"),
        ("CH1", "Not trained"),
    }
    overdue = next(r for r in rows if r[2] == "PC3")
    assert overdue[6] == _months_ago(25).isoformat()
    assert overdue[7] == add_months(_months_ago(25), 24).isoformat()
    assert "officers" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert (event.object_type, event.object_id) == ("training.area", str(north.pk))


def test_a_supervisor_officers_csv_names_only_their_team(client, force, make_user):
    client.force_login(make_user(Role.SUPERVISOR, username="sarge", collar_number="PS1"))
    rows = _csv(client.get(reverse("training:compliance_csv"), {"detail": "officers"}))
    assert {r[2] for r in rows[1:]} == {"PC2"}


def test_the_csv_cannot_carry_a_formula(client, coordinator):
    pc = JobRoleFactory(name="Police constable")
    team = TeamFactory(area=AreaFactory(name="@Area"), name="-Team")
    CourseFactory(title="+Course", mandatory_roles=[pc])
    TraineeFactory(
        collar_number="PC9", name='=HYPERLINK("http://x.invalid","y")', team=team, job_role=pc
    )
    client.force_login(coordinator)
    figures = _csv(client.get(reverse("training:compliance_csv")))
    assert figures[1][:3] == ["'@Area", "'-Team", "'+Course"]
    officers = _csv(client.get(reverse("training:compliance_csv"), {"detail": "officers"}))
    assert officers[1][3] == '\'=HYPERLINK("http://x.invalid","y")'


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ann", "Ann"),
        ("", ""),
        (40, 40),
    ],
)
def test_csv_safe(value, safe):
    assert formula_safe(value) == safe
