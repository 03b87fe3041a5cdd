"""The champions register: domestic abuse and stalking champions and enhanced champions, by area,
with the training each holds.

Who may use these views:
- the register: everyone in the training area (``Perm.TRAINING``): officers use it to find their
  local champion;
- appointing a champion and changing an entry: the coordinator and tactical lead
  (``Perm.TRAINING_MANAGE``).
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path

from stalking_clinic.access import POSTS, Perm, require

from ..access import get_champion_for_user, manages_training
from ..forms.champions import ChampionEditForm, ChampionFilterForm, ChampionNewForm
from ..selectors.champions import champions_register
from ..selectors.compliance import Standing
from ..services import champions as services
from .pages import form_page


@require(Perm.TRAINING)
def champions(request):
    filters = ChampionFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "training/champions.html",
        {
            "filters": filters,
            "champions": champions_register(request.user, data),
            "can_manage": manages_training(request.user),
            "overdue": Standing.OVERDUE,
            "due_soon": Standing.DUE_SOON,
        },
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def champion_new(request):
    return form_page(
        request,
        ChampionNewForm(request.POST or None),
        services.champion_appoint,
        # The service refuses the officer; the form asked for their collar number.
        field_aliases={"trainee": "collar_number"},
        done=lambda champion: (
            f"{champion.trainee.name} added to the register as "
            f"{champion.get_level_display().lower()}."
        ),
        then="training:champions",
        template="training/champion_form.html",
        context={"title": "Add a champion to the register"},
    )


@require(Perm.TRAINING_MANAGE, shows_personal_data=True, methods=POSTS)
def champion_edit(request, pk):
    champion = get_champion_for_user(request.user, pk, write=True)
    return form_page(
        request,
        ChampionEditForm(request.POST or None, initial=ChampionEditForm.initial_for(champion)),
        services.champion_update,
        champion=champion,
        record=champion,
        done=f"Entry for {champion.trainee.name} saved.",
        then="training:champions",
        template="training/champion_form.html",
        context={"champion": champion, "title": "Change a champion's entry"},
        consulted=champion,
    )


urlpatterns = [
    path("champions/", champions, name="champions"),
    path("champions/new/", champion_new, name="champion_new"),
    path("champions/<int:pk>/edit/", champion_edit, name="champion_edit"),
]
