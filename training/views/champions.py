"""The champions register: domestic abuse and stalking champions and enhanced champions, by area,
with the training each holds.

Who may use these views:
- the register: everyone in the training area (``Perm.TRAINING``): officers use it to find their
  local champion;
- appointing a champion and changing an entry: the coordinator and tactical lead
  (``Perm.TRAINING_MANAGE``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from stalking_clinic.access import Perm, require

from ..access import champions_visible_to, get_champion_for_user, manages_training
from ..forms.champions import ChampionEditForm, ChampionFilterForm, ChampionNewForm
from ..models import Course
from ..selectors.compliance import Standing, last_attended, standing_of
from ..services.champions import champion_appoint, champion_update
from .saving import save


def _save(request, form, call, *, record=None):
    return save(request, form, call, record=record, field_aliases={"trainee": "collar_number"})


def _with_training(champions: list) -> None:
    """Set ``training`` on each champion: the courses they attended (the latest attendance of
    each, by course title) with its standing, so an overdue refresh shows. Two queries."""
    if not champions:
        return
    courses = list(Course.objects.order_by("title"))
    last = last_attended([c.trainee_id for c in champions], [course.pk for course in courses])
    today = timezone.localdate()
    for champion in champions:
        champion.training = [
            standing_of(course, last[(champion.trainee_id, course.pk)], today=today)
            for course in courses
            if (champion.trainee_id, course.pk) in last
        ]


@require(Perm.TRAINING)
def champions(request):
    filters = ChampionFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = champions_visible_to(request.user).select_related(
        "trainee__team__area", "trainee__job_role"
    )
    if data.get("area"):
        rows = rows.filter(trainee__team__area=data["area"])
    if data.get("level"):
        rows = rows.filter(level=data["level"])
    if not data.get("stood_down"):
        rows = rows.filter(stood_down_on__isnull=True)
    rows = list(rows.order_by("trainee__team__area__name", "trainee__name", "pk"))
    _with_training(rows)
    return render(
        request,
        "training/champions.html",
        {
            "filters": filters,
            "champions": rows,
            "can_manage": manages_training(request.user),
            "overdue": Standing.OVERDUE,
            "due_soon": Standing.DUE_SOON,
        },
    )


@require(Perm.TRAINING_MANAGE)
def champion_new(request):
    form = ChampionNewForm(request.POST or None)
    created = {}

    def call(data):
        created["champion"] = champion_appoint(
            trainee=data["trainee"],
            by=request.user,
            level=data["level"],
            appointed_on=data["appointed_on"],
            notes=data["notes"],
        )

    saved, form = _save(request, form, call)
    if saved:
        champion = created["champion"]
        messages.success(
            request,
            f"{champion.trainee.name} added to the register as "
            f"{champion.get_level_display().lower()}.",
        )
        return redirect("training:champions")
    return render(
        request,
        "training/champion_form.html",
        {"form": form, "title": "Add a champion to the register"},
    )


@require(Perm.TRAINING_MANAGE, shows_personal_data=True)
def champion_edit(request, pk):
    champion = get_champion_for_user(request.user, pk, write=True)
    form = ChampionEditForm(request.POST or None, initial=ChampionEditForm.initial_for(champion))

    def call(data):
        champion_update(
            champion=champion,
            by=request.user,
            version=data["version"],
            level=data["level"],
            notes=data["notes"],
            stood_down_on=data["stood_down_on"],
        )

    saved, form = _save(request, form, call, record=champion)
    if saved:
        messages.success(request, f"Entry for {champion.trainee.name} saved.")
        return redirect("training:champions")
    request.audit.consulted(champion)
    return render(
        request,
        "training/champion_form.html",
        {"form": form, "champion": champion, "title": "Change a champion's entry"},
    )


urlpatterns = [
    path("champions/", champions, name="champions"),
    path("champions/new/", champion_new, name="champion_new"),
    path("champions/<int:pk>/edit/", champion_edit, name="champion_edit"),
]
