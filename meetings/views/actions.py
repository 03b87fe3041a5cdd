"""Meeting actions: "my actions", "my agency's actions", an action's page with its history and
update form, and creating an action from a case discussed at a meeting.

Who may use these views:
- the lists and the action page: clinic staff and partner agency members (``Perm.ACTIONS``); which
  actions each sees is ``meetings.access.actions_visible_to``: their own, their agency's on the
  cases they may see, and, for the coordinator and tactical lead, all. Anyone else gets 404 for
  an action; whoever sees an action may update it.
- creating an action: the coordinator and tactical lead (``Perm.MEETINGS_MANAGE``).

The lists show the case reference only, never a name: a partner sees of a case only what was
shared with it, and the reference says which case without saying anything about it.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require
from stalking_clinic.service_forms import save_or_show

from ..access import actions_visible_to, get_action_for_user, get_agenda_item_to_change
from ..forms.actions import ActionFilterForm, ActionNewForm, ActionUpdateForm
from ..selectors.actions import LIST_LIMIT, action_page, actions_listed
from ..services.actions import action_create, action_update


def _list_page(request, actions, *, title, intro, show_agency, show_owner=True):
    """A list of ``actions`` as its filters ask; None: the user's account has no agency."""
    # With no filter chosen, the list opens on what is still to do.
    filters = ActionFilterForm(request.GET or {"status": "open"}, show_agency=show_agency)
    data = filters.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "meetings/actions.html",
        {
            "title": title,
            "intro": intro,
            "filters": filters,
            "actions": actions_listed(actions, **data) if actions is not None else [],
            "limit": LIST_LIMIT,
            "show_agency": show_agency or actions is None,
            "show_owner": show_owner,
            "has_agency": actions is not None,
        },
    )


@require(Perm.ACTIONS)
def my_actions(request):
    return _list_page(
        request,
        actions_visible_to(request.user).filter(owner=request.user),
        title="My actions",
        intro="Actions agreed at meetings that you own.",
        show_agency=False,
        show_owner=False,
    )


@require(Perm.ACTIONS)
def agency_actions(request):
    user = request.user
    if can(user, Perm.MEETINGS_MANAGE):
        # The coordinator and tactical lead follow every agency's actions.
        return _list_page(
            request,
            actions_visible_to(user),
            title="Agencies' actions",
            intro="Every agency's actions, on every case. Filter by agency.",
            show_agency=True,
        )
    actions = (
        actions_visible_to(user).filter(owner_agency_id=user.agency_id) if user.agency_id else None
    )
    return _list_page(
        request,
        actions,
        title="My agency's actions",
        intro="Actions your agency owns on the cases shared with it. Responsibility for them "
        "stays with your agency: update them as they progress.",
        show_agency=False,
    )


@require(Perm.ACTIONS, shows_personal_data=True, methods=POSTS)
def action_detail(request, pk):
    action = get_action_for_user(request.user, pk)

    def page(form):
        request.audit.consulted(action)
        context = action_page(request.user, action)
        can_reopen = can(request.user, Perm.MEETINGS_MANAGE)
        return render(
            request,
            "meetings/action_detail.html",
            {**context, "form": form, "can_reopen": can_reopen},
        )

    return save_or_show(
        request,
        ActionUpdateForm(request.POST or None, initial=ActionUpdateForm.initial_for(action)),
        action_update,
        action=action,
        record=action,
        done=f"Update to {action.reference} saved.",
        then=reverse("meetings:action_detail", args=[action.pk]),
        page=page,
    )


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True, methods=POSTS)
def action_new(request, item_pk):
    item = get_agenda_item_to_change(request.user, item_pk)

    def page(form):
        request.audit.consulted(item.case)
        return render(request, "meetings/action_new.html", {"item": item, "form": form})

    return save_or_show(
        request,
        ActionNewForm(request.POST or None),
        action_create,
        case=item.case,
        agenda_item=item,
        done=lambda action: f"Action {action.reference} created for {action.owner_agency.name}.",
        then=lambda action: reverse("meetings:action_detail", args=[action.pk]),
        page=page,
    )


urlpatterns = [
    path("actions/mine/", my_actions, name="my_actions"),
    path("actions/agency/", agency_actions, name="agency_actions"),
    path("actions/<int:pk>/", action_detail, name="action_detail"),
    path("agenda/<int:item_pk>/actions/new/", action_new, name="action_new"),
]
