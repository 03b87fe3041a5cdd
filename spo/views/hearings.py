"""Hearings of an application: adding one, and changing it (moved, adjourned) or recording its
outcome.

Changes only, so ``Perm.SPO`` for every view here (who gets 403 or 404: ``spo.views``).
"""

from __future__ import annotations

from django.urls import path

from stalking_clinic.access import POSTS, Perm, require

from ..access import get_application_for_user, get_hearing_for_user
from ..forms.hearings import HearingEditForm, HearingForm
from ..services import hearings as services
from .pages import change_page


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def hearing_new(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return change_page(
        request,
        application,
        HearingForm(request.POST or None, initial={"court": application.court}),
        services.hearing_add,
        application=application,
        done="Hearing added.",
        anchor="#hearings",
        title="Add a hearing",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def hearing_edit(request, pk):
    hearing = get_hearing_for_user(request.user, pk, write=True)
    return change_page(
        request,
        hearing.application,
        HearingEditForm(request.POST or None, initial=HearingEditForm.initial_for(hearing)),
        services.hearing_update,
        hearing=hearing,
        record=hearing,
        done="Hearing saved.",
        anchor="#hearings",
        title="Change the hearing or record its outcome",
    )


urlpatterns = [
    path("applications/<int:pk>/hearings/new/", hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/edit/", hearing_edit, name="hearing_edit"),
]
