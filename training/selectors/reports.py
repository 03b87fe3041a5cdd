"""Figures for the compliance page and its CSV: who has done the mandatory training, by area and
team, and how much training was delivered each month.

The standings come from ``compliance.py`` beside this module (``standings_for``: the rules of
completed, due soon, overdue and untrained live there only); this module counts them. Only
active trainees count. A fixed number of queries, however many officers, teams and areas: the
active trainees (one query), the mandatory courses (three) and their last attendances (one),
then counting in Python.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Area, Booking, Course, Session, Team, Trainee
from .compliance import CourseStanding, Standing, add_months, mandatory_courses, standings_for


@dataclass
class CourseFigures:
    """How a group of officers stands on one mandatory course."""

    course: Course
    counts: Counter = field(default_factory=Counter)

    def add(self, standing: Standing) -> None:
        self.counts[standing] += 1

    def merge(self, other: CourseFigures) -> None:
        self.counts.update(other.counts)

    @property
    def required(self) -> int:
        """Officers for whom the course is mandatory."""
        return sum(self.counts.values())

    @property
    def compliant(self) -> int:
        """Completed, or due a refresh soon but not yet overdue."""
        return self.counts[Standing.COMPLETED] + self.counts[Standing.DUE_SOON]

    @property
    def due_soon(self) -> int:
        return self.counts[Standing.DUE_SOON]

    @property
    def overdue(self) -> int:
        return self.counts[Standing.OVERDUE]

    @property
    def due_refresh(self) -> int:
        """Due a refresh: soon (still compliant) or overdue."""
        return self.due_soon + self.overdue

    @property
    def untrained(self) -> int:
        return self.counts[Standing.UNTRAINED]

    @property
    def percent_compliant(self) -> int | None:
        """Rounded down, so 100% means everyone; None when nobody must do the course."""
        if not self.required:
            return None
        return 100 * self.compliant // self.required


@dataclass
class TeamFigures:
    team: Team
    officers: int = 0
    courses: list[CourseFigures] = field(default_factory=list)

    @property
    def required_courses(self) -> list[CourseFigures]:
        """The courses mandatory for at least one officer of the team."""
        return [figures for figures in self.courses if figures.required]


@dataclass
class AreaFigures:
    area: Area
    teams: list[TeamFigures] = field(default_factory=list)
    totals: list[CourseFigures] = field(default_factory=list)

    @property
    def officers(self) -> int:
        return sum(team.officers for team in self.teams)

    @property
    def required_totals(self) -> list[CourseFigures]:
        return [figures for figures in self.totals if figures.required]


@dataclass(frozen=True)
class OfficerStanding:
    """An officer who is not compliant or is due a refresh on one course."""

    trainee: Trainee
    standing: CourseStanding


@dataclass
class ComplianceReport:
    courses: list[Course]
    areas: list[AreaFigures]
    # The trainees counted and their standings, for the drill-down and the officers' CSV.
    trainees: list[Trainee]
    standings: dict[int, list[CourseStanding]]

    def needing_action(
        self, *, team_id: int | None = None, visible_ids: set[int] | None = None
    ) -> list[OfficerStanding]:
        """The officers untrained, overdue or due a refresh soon, one row per course, in area,
        team and name order; limited to one team and to ``visible_ids`` (None: everyone)."""
        return [
            OfficerStanding(trainee, standing)
            for trainee in self.trainees
            if (team_id is None or trainee.team_id == team_id)
            and (visible_ids is None or trainee.pk in visible_ids)
            for standing in self.standings[trainee.pk]
            if standing.standing.needs_booking
        ]

    def needing_action_by_course(self, **kwargs) -> list[tuple[Course, list[OfficerStanding]]]:
        """``needing_action`` grouped by course, in course order (every course listed)."""
        by_course: dict[int, list[OfficerStanding]] = {course.pk: [] for course in self.courses}
        for row in self.needing_action(**kwargs):
            by_course[row.standing.course.pk].append(row)
        return [(course, by_course[course.pk]) for course in self.courses]


def active_trainees(*, area_id: int | None = None, team_id: int | None = None):
    trainees = Trainee.objects.filter(active=True).select_related("team__area")
    if area_id is not None:
        trainees = trainees.filter(team__area_id=area_id)
    if team_id is not None:
        trainees = trainees.filter(team_id=team_id)
    return trainees.order_by("team__area__name", "team__name", "name", "pk")


def compliance_report(
    *,
    area_id: int | None = None,
    team_id: int | None = None,
    course_id: int | None = None,
    courses: list[Course] | None = None,
    today: datetime.date | None = None,
) -> ComplianceReport:
    """Each area's teams (those with active officers), with each mandatory course's figures for
    the team and for the area. ``courses``: ``mandatory_courses()`` already read (saves three
    queries); ``course_id`` keeps one of them."""
    courses = mandatory_courses() if courses is None else courses
    if course_id is not None:
        courses = [course for course in courses if course.pk == course_id]
    trainees = list(active_trainees(area_id=area_id, team_id=team_id))
    standings = standings_for(trainees, courses=courses, today=today)
    areas: dict[int, AreaFigures] = {}
    teams: dict[int, TeamFigures] = {}
    # team pk -> course pk -> the team's figures for the course
    cells: dict[int, dict[int, CourseFigures]] = {}
    for trainee in trainees:
        team = teams.get(trainee.team_id)
        if team is None:
            team = teams[trainee.team_id] = TeamFigures(
                trainee.team, courses=[CourseFigures(course) for course in courses]
            )
            cells[trainee.team_id] = {figures.course.pk: figures for figures in team.courses}
            area = areas.get(trainee.team.area_id)
            if area is None:
                area = areas[trainee.team.area_id] = AreaFigures(trainee.team.area)
            area.teams.append(team)
        team.officers += 1
        for standing in standings[trainee.pk]:
            cells[trainee.team_id][standing.course.pk].add(standing.standing)
    for area in areas.values():
        area.totals = [CourseFigures(course) for course in courses]
        for team in area.teams:
            for total, figures in zip(area.totals, team.courses, strict=True):
                total.merge(figures)
    return ComplianceReport(
        courses=courses, areas=list(areas.values()), trainees=trainees, standings=standings
    )


def team_compliance(
    team: Team, *, course_id: int | None, courses: list[Course], visible_ids: set[int] | None
) -> dict:
    """The page of one team: its figures (None when it has no active officers) and, course by
    course, its officers who need the course, named only where ``visible_ids`` allows (None:
    everyone)."""
    report = compliance_report(team_id=team.pk, course_id=course_id, courses=courses)
    figures = report.areas[0].teams[0] if report.areas else None
    required = {f.course.pk for f in figures.required_courses} if figures else set()
    needing = [
        (course, rows)
        for course, rows in report.needing_action_by_course(
            team_id=team.pk, visible_ids=visible_ids
        )
        if course.pk in required
    ]
    return {"figures": figures, "needing": needing}


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


def figure_rows(report: ComplianceReport) -> Iterator[list]:
    """One CSV row per area, team and mandatory course (``FIGURES_HEADER``)."""
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


def officer_rows(report: ComplianceReport, visible_ids: set[int] | None) -> Iterator[list]:
    """One CSV row per officer and course not compliant or due a refresh, for the officers in
    ``visible_ids`` (None: everyone) (``OFFICERS_HEADER``)."""
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


# Training delivered ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date  # the first day of the month
    sessions: int
    attendances: int


def monthly_delivered(
    *, today: datetime.date | None = None, months: int = 12
) -> list[MonthFigures]:
    """Sessions held and attendances recorded in each of the last ``months`` calendar months
    (this month included), oldest first; two queries.

    A session is held when it was not cancelled and has started; an attendance is an ATTENDED
    booking, counted in the month its session started (local time)."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    first = add_months(this_month, -(months - 1))
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time()), tz)
    sessions = dict(
        Session.objects.filter(
            status=Session.Status.SCHEDULED, starts_at__gte=since, starts_at__lte=timezone.now()
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    attendances = dict(
        Booking.objects.filter(status=Booking.Status.ATTENDED, session__starts_at__gte=since)
        .annotate(month=TruncMonth("session__starts_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    sessions = {timezone.localdate(month): n for month, n in sessions.items()}
    attendances = {timezone.localdate(month): n for month, n in attendances.items()}
    return [
        MonthFigures(month, sessions.get(month, 0), attendances.get(month, 0))
        for month in (add_months(first, i) for i in range(months))
    ]
