"""Compliance with the mandatory training: by area and team, a team's officers who need a course,
the training delivered each month, and the same figures as CSV.

Who may use these views: supervisors, the coordinator and the tactical lead
(``Perm.TRAINING_COMPLIANCE``). The figures cover the whole force; the names of the officers who
need a course are shown only to those who may see them (``trainees_visible_to``: the managers
everyone, a supervisor the officers they supervise).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, require

from ..access import manages_training, trainees_visible_to
from ..forms.compliance import ComplianceFilterForm
from ..models import Area, Team
from ..selectors.compliance import mandatory_courses
from ..selectors.reports import ComplianceReport, MonthFigures, compliance_report, monthly_delivered


def _filters(request, courses) -> ComplianceFilterForm:
    areas = list(Area.objects.order_by("name"))
    data = request.GET if ("area" in request.GET or "course" in request.GET) else None
    return ComplianceFilterForm(data, areas=areas, courses=courses)


def _visible_ids(user) -> set[int] | None:
    """Whose names the user may see: None for everyone (one query otherwise)."""
    if manages_training(user):
        return None
    return set(trainees_visible_to(user).values_list("pk", flat=True))


def _recipient(user) -> str:
    return str(user.agency) if user.agency_id else user.username


@require(Perm.TRAINING_COMPLIANCE)
def compliance(request):
    """The figures by area and team (``?team=<id>``: that team's officers who need a course)."""
    courses = mandatory_courses()
    filters = _filters(request, courses)
    if "team" in request.GET:
        return _team(request, filters, courses)
    chosen = {"area": filters.choice("area"), "course": filters.choice("course")}
    report = compliance_report(area_id=chosen["area"], course_id=chosen["course"], courses=courses)
    months = monthly_delivered()
    return render(
        request,
        "training/compliance.html",
        {
            "filters": filters,
            "report": report,
            "course_id": chosen["course"],
            "area_id": chosen["area"],
            "filter_query": urlencode({k: v for k, v in chosen.items() if v is not None}),
            "months": months,
            "chart": bar_chart(months),
        },
    )


def _team(request, filters, courses):
    try:
        team_id = int(request.GET["team"])
    except ValueError:
        raise Http404("No such team") from None
    team = Team.objects.select_related("area").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    course_id = filters.choice("course")
    report = compliance_report(team_id=team.pk, course_id=course_id, courses=courses)
    figures = report.areas[0].teams[0] if report.areas else None
    visible = _visible_ids(request.user)
    required = {f.course.pk for f in figures.required_courses} if figures else set()
    needing = [
        (course, rows)
        for course, rows in report.needing_action_by_course(team_id=team.pk, visible_ids=visible)
        if course.pk in required
    ]
    # The page names officers who need training: a consultation of the team's records.
    request.audit.consulted(team)
    return render(
        request,
        "training/compliance_team.html",
        {
            "team": team,
            "figures": figures,
            "course_id": course_id,
            "needing": needing,
            "sees_everyone": visible is None,
        },
    )


# The CSV ----------------------------------------------------------------------------------------

FIGURES_HEADER = [
    "Area",
    "Team",
    "Course",
    "Officers who must do it",
    "Compliant",
    "Due a refresh",
    "Of which overdue",
    "Not trained",
    "Percent compliant",
]
OFFICERS_HEADER = [
    "Area",
    "Team",
    "Collar number",
    "Name",
    "Course",
    "Standing",
    "Last attended",
    "Refresh due",
]


def csv_safe(value):
    """A text cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return
    before one) gets a leading apostrophe, so it stays text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _figure_rows(report: ComplianceReport):
    for area in report.areas:
        for team in area.teams:
            for figures in team.required_courses:
                yield [
                    area.area.name,
                    team.team.name,
                    figures.course.title,
                    figures.required,
                    figures.compliant,
                    figures.due_refresh,
                    figures.overdue,
                    figures.untrained,
                    figures.percent_compliant,
                ]


def _officer_rows(report: ComplianceReport, visible_ids):
    for row in report.needing_action(visible_ids=visible_ids):
        trainee, standing = row.trainee, row.standing
        yield [
            trainee.team.area.name,
            trainee.team.name,
            trainee.collar_number,
            trainee.name,
            standing.course.title,
            standing.standing.label,
            standing.last_attended.isoformat() if standing.last_attended else "",
            standing.refresh_due_on.isoformat() if standing.refresh_due_on else "",
        ]


@require(Perm.TRAINING_COMPLIANCE)
def compliance_csv(request):
    """The figures per area, team and course; ``?detail=officers``: one row per officer and
    course not compliant or due a refresh (the officers the user may see). Same filters as the
    page."""
    courses = mandatory_courses()
    filters = _filters(request, courses)
    area_id = filters.choice("area")
    report = compliance_report(area_id=area_id, course_id=filters.choice("course"), courses=courses)
    today = timezone.localdate()
    officers = request.GET.get("detail") == "officers"
    if officers:
        header, rows = OFFICERS_HEADER, _officer_rows(report, _visible_ids(request.user))
        filename = f"training-compliance-officers-{today.isoformat()}.csv"
        justification = "Training compliance: officers not compliant or due a refresh (CSV)"
    else:
        header, rows = FIGURES_HEADER, _figure_rows(report)
        filename = f"training-compliance-{today.isoformat()}.csv"
        justification = "Training compliance figures by area, team and course (CSV)"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe("" if value is None else value) for value in row])
    area = next((a.area for a in report.areas if a.area.pk == area_id), None)
    request.audit.disclosed(area, recipient=_recipient(request.user), justification=justification)
    return response


# The chart --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int
    title: str


@dataclass(frozen=True)
class ChartMonth:
    label: str
    year: str  # shown under January and the first month only
    centre: float
    sessions: Bar
    attendances: Bar


CHART_WIDTH, CHART_HEIGHT = 720, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 8, 36, 44
BAR_WIDTH = 18


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … at least ``value`` (the top of the scale)."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def bar_chart(months: list[MonthFigures]) -> dict:
    """The geometry of a grouped bar chart (sessions held, attendances) for an inline SVG; the
    template draws it with presentation attributes only (the CSP forbids style attributes)."""
    top = _nice_ceiling(max([1, *(m.sessions for m in months), *(m.attendances for m in months)]))
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    baseline = _TOP + plot_height
    group = plot_width / max(len(months), 1)

    def bar(x: float, value: int, title: str) -> Bar:
        height = plot_height * value / top
        return Bar(round(x, 1), round(baseline - height, 1), round(height, 1), value, title)

    chart_months = []
    for index, month in enumerate(months):
        centre = _LEFT + group * index + group / 2
        name = f"{month.month:%B %Y}"
        chart_months.append(
            ChartMonth(
                label=f"{month.month:%b}",
                year=f"{month.month:%Y}" if index == 0 or month.month.month == 1 else "",
                centre=round(centre, 1),
                sessions=bar(
                    centre - BAR_WIDTH - 1,
                    month.sessions,
                    f"{name}: {month.sessions} session{'s' if month.sessions != 1 else ''} held",
                ),
                attendances=bar(
                    centre + 1,
                    month.attendances,
                    f"{name}: {month.attendances} attendance"
                    f"{'s' if month.attendances != 1 else ''}",
                ),
            )
        )
    # The scale's top is 1, 2 or a multiple of 5: gridlines at whole numbers.
    steps = 5 if top % 5 == 0 else top
    ticks = [
        {"value": top * i // steps, "y": round(baseline - plot_height * i / steps, 1)}
        for i in range(steps + 1)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _LEFT,
        "right": CHART_WIDTH - _RIGHT,
        "baseline": baseline,
        "bar_width": BAR_WIDTH,
        "months": chart_months,
        "ticks": ticks,
    }


urlpatterns = [
    path("compliance/", compliance, name="compliance"),
    path("compliance/training-compliance.csv", compliance_csv, name="compliance_csv"),
]
