"""Compliance with the mandatory training: by area and team, a team's officers who need a course,
the training delivered each month, and the same figures as CSV.

Who may use these views: supervisors, the coordinator and the tactical lead
(``Perm.TRAINING_COMPLIANCE``). The figures cover the whole force; the names of the officers who
need a course are shown only to those who may see them (``visible_trainee_ids``: the managers
everyone, a supervisor the officers they supervise).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, require
from stalking_clinic.csv_files import csv_download

from ..access import visible_trainee_ids
from ..forms.compliance import ComplianceFilterForm
from ..models import Area, Team
from ..selectors.chart import bar_chart
from ..selectors.compliance import mandatory_courses
from ..selectors.reports import (
    FIGURES_HEADER,
    OFFICERS_HEADER,
    compliance_report,
    figure_rows,
    monthly_delivered,
    officer_rows,
    team_compliance,
)


def _filters(request, courses) -> ComplianceFilterForm:
    areas = list(Area.objects.order_by("name"))
    data = request.GET if ("area" in request.GET or "course" in request.GET) else None
    return ComplianceFilterForm(data, areas=areas, courses=courses)


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
    visible = visible_trainee_ids(request.user)
    page = team_compliance(team, course_id=course_id, courses=courses, visible_ids=visible)
    # The page names officers who need training: a consultation of the team's records.
    request.audit.consulted(team)
    return render(
        request,
        "training/compliance_team.html",
        {"team": team, "course_id": course_id, "sees_everyone": visible is None, **page},
    )


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
    if request.GET.get("detail") == "officers":
        header, rows = OFFICERS_HEADER, officer_rows(report, visible_trainee_ids(request.user))
        filename = f"training-compliance-officers-{today.isoformat()}.csv"
        justification = "Training compliance: officers not compliant or due a refresh (CSV)"
    else:
        header, rows = FIGURES_HEADER, figure_rows(report)
        filename = f"training-compliance-{today.isoformat()}.csv"
        justification = "Training compliance figures by area, team and course (CSV)"
    response = csv_download(filename, header, rows)
    area = next((a.area for a in report.areas if a.area.pk == area_id), None)
    request.audit.downloaded(area, justification=justification)
    return response


urlpatterns = [
    path("compliance/", compliance, name="compliance"),
    path("compliance/training-compliance.csv", compliance_csv, name="compliance_csv"),
]
