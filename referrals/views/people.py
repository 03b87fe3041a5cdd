"""Person pages: a victim's or suspect's details and every case they are in.

Who may use these views:
- ``person_detail``: those who see every case (coordinator, tactical lead, solicitor:
  ``Perm.PEOPLE_VIEW``), because a person page lists cases across the clinic.
- ``person_edit``: coordinator and tactical lead (``Perm.PEOPLE_EDIT``): they
  take referrals in and keep the people in them right. The solicitor reads but does not edit.
ISACs, officers and partner agencies never see person pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_through_service

from .. import break_glass
from ..access import get_person_for_user
from ..forms.people import PersonForm
from ..selectors.people import person_page
from ..services.people import person_update


@require(Perm.PEOPLE_VIEW, shows_personal_data=True)
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    if break_glass.must_give_reason(request, person):
        return redirect("referrals:person_break_glass", pk=person.pk)
    context = person_page(person, user=request.user)
    request.audit.consulted(person, **break_glass.consultation_kwargs(request, person))
    return render(request, "referrals/people/detail.html", context)


# No Perm of its own yet: the triage roles are exactly the people who should edit a person.
@require(Perm.PEOPLE_EDIT, shows_personal_data=True, methods=POSTS)
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    form = (
        PersonForm(request.POST)
        if request.method == "POST"
        else PersonForm(initial=PersonForm.initial_for(person))
    )
    outcome = save_through_service(
        request,
        form,
        person_update,
        record=person,
        person=person,
        by=request.user,
        request=request,
    )
    if outcome.saved:
        messages.success(request, "Details saved.")
        return redirect("referrals:person_detail", pk=person.pk)
    request.audit.consulted(person)
    # The form is bound again only when someone else saved the details first: they are shown.
    saved_now = person if outcome.form is not form else None
    return render(
        request,
        "referrals/people/form.html",
        {"person": person, "form": outcome.form, "saved_now": saved_now},
    )


urlpatterns = [
    path("people/<int:pk>/", person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
]
