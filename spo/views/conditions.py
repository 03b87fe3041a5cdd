"""The prohibitions and requirements of an application: adding, rewording, taking out and putting
in order, while the application is not yet decided.

Changes only, so ``Perm.SPO`` for every view here (who gets 403 or 404: ``spo.views``).
"""

from __future__ import annotations

from django.urls import path

from stalking_clinic.access import POST_ONLY, POSTS, Perm, require
from stalking_clinic.service_forms import press_button

from ..access import get_application_for_user, get_condition_for_user
from ..forms.conditions import ConditionAddForm, ConditionEditForm
from ..services import conditions as services
from .pages import change_page, to_application


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def condition_add(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return change_page(
        request,
        application,
        ConditionAddForm(request.POST or None),
        services.condition_add,
        application=application,
        done=lambda condition: f"{condition.get_kind_display()} added.",
        anchor="#conditions",
        title="Add a prohibition or requirement",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def condition_edit(request, pk):
    condition = get_condition_for_user(request.user, pk, write=True)
    return change_page(
        request,
        condition.application,
        ConditionEditForm(request.POST or None, initial=ConditionEditForm.initial_for(condition)),
        services.condition_update,
        condition=condition,
        record=condition,
        saved_now_template="spo/includes/saved_condition.html",
        done=f"{condition.get_kind_display()} changed.",
        anchor="#conditions",
        title=f"Change a {condition.get_kind_display().lower()}",
    )


@require(Perm.SPO, methods=POST_ONLY)
def condition_remove(request, pk):
    condition = get_condition_for_user(request.user, pk, write=True)
    done = f"{condition.get_kind_display()} removed."
    press_button(request, services.condition_remove, condition=condition, done=done)
    return to_application(condition.application, "#conditions")


@require(Perm.SPO, methods=POST_ONLY)
def condition_move(request, pk):
    condition = get_condition_for_user(request.user, pk, write=True)
    direction = request.POST.get("direction")
    if direction in {"up", "down"}:
        press_button(request, services.condition_move, condition=condition, direction=direction)
    return to_application(condition.application, f"#condition-{condition.pk}")


urlpatterns = [
    path("applications/<int:pk>/conditions/add/", condition_add, name="condition_add"),
    path("conditions/<int:pk>/edit/", condition_edit, name="condition_edit"),
    path("conditions/<int:pk>/remove/", condition_remove, name="condition_remove"),
    path("conditions/<int:pk>/move/", condition_move, name="condition_move"),
]
