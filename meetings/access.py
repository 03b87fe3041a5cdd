"""Who sees which meeting, which of its cases, which actions and which copies of the minutes: the
record rules of meetings.

- The coordinator and the tactical lead (``Perm.MEETINGS_MANAGE``) see and change everything.
- Solicitors and ISACs see every meeting; partner agency members see the meetings they are
  invited to. Nobody else sees a meeting (404).
- A meeting's cases (agenda items, discussions, advice) are shown to an attendee only once their
  confidentiality agreement for that meeting is recorded, and only for cases they may see at all
  (``referrals.access.cases_visible_to``: a partner sees only the cases shared with its agency).
- Actions: an agency's members see and update their agency's actions, and everyone the actions
  they own, on the cases they may see; the coordinator and tactical lead see and update all. An
  action is given only to an agency (and person) who already sees its case
  (``services.actions.action_create``).
- Minutes: the coordinator and the tactical lead produce the full minutes, or the copy of any
  partner agency among the meeting's attendees; a partner agency member invited to the meeting
  produces only their own agency's copy, and only once their confidentiality agreement for the
  meeting is recorded (the copy holds the meeting's cases); nobody else (a meeting the user may
  not see is 404 first).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from referrals.access import cases_visible_to
from stalking_clinic.access import Perm, can
from stalking_clinic.access.rules import record_rule
from stalking_clinic.accounts.models import Role

from .models import Action, AgendaItem, Attendee, DropInAdvice, Meeting
from .selectors.minutes import copy_agencies

_SEE_ALL_MEETINGS = {Role.SOLICITOR, Role.ISAC}


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if not can(user, Perm.MEETINGS):
        return Meeting.objects.none()
    if can(user, Perm.MEETINGS_MANAGE) or set(user.roles) & _SEE_ALL_MEETINGS:
        return Meeting.objects.all()
    return Meeting.objects.filter(attendees__user=user).distinct()


def get_meeting_for_user(user, pk, *, write: bool = False) -> Meeting:
    """The meeting, if the user may see it (else 404); ``write`` needs MEETINGS_MANAGE (403)."""
    meeting = meetings_visible_to(user).select_related("chair", "convened_by").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    if write and not can(user, Perm.MEETINGS_MANAGE):
        raise PermissionDenied
    return meeting


def _part_of_meeting_to_change[R: Attendee | AgendaItem](user, rows: QuerySet[R], pk) -> R:
    row = get_object_or_404(rows, pk=pk)
    row.meeting = get_meeting_for_user(user, row.meeting_id, write=True)
    return row


def get_attendee_to_change(user, pk) -> Attendee:
    """Someone invited to a meeting, for a change (their attendance, their confidentiality
    agreement): 404 unless the user may see the meeting, 403 unless they may change it."""
    return _part_of_meeting_to_change(user, Attendee.objects.select_related("user"), pk)


def get_agenda_item_to_change(user, pk) -> AgendaItem:
    """A case on a meeting's agenda, with the case, for a change (its place, its discussion, its
    actions): 404 unless the user may see the meeting, 403 unless they may change it. Reading an
    agenda needs more (``agenda_visible_to``)."""
    return _part_of_meeting_to_change(user, AgendaItem.objects.select_related("case"), pk)


def sees_cases_of(user, meeting: Meeting) -> bool:
    """Has the user's confidentiality agreement for this meeting been recorded (or do they run
    meetings)?"""
    if can(user, Perm.MEETINGS_MANAGE):
        return True
    return meeting.attendees.filter(user=user, confidentiality_agreed_at__isnull=False).exists()


def agenda_visible_to(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(meeting=meeting)
    if not sees_cases_of(user, meeting):
        return items.none()
    if can(user, Perm.MEETINGS_MANAGE):
        return items
    return items.filter(case__in=cases_visible_to(user))


def advice_visible_to(user, meeting: Meeting) -> QuerySet[DropInAdvice]:
    advice = DropInAdvice.objects.filter(meeting=meeting)
    if not sees_cases_of(user, meeting):
        return advice.none()
    if can(user, Perm.MEETINGS_MANAGE):
        return advice
    return advice.filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)))


def actions_visible_to(user) -> QuerySet[Action]:
    if not can(user, Perm.ACTIONS):
        return Action.objects.none()
    if can(user, Perm.MEETINGS_MANAGE):
        return Action.objects.all()
    mine = Q(owner=user)
    if user.agency_id:
        mine |= Q(owner_agency_id=user.agency_id)
    # Owning an action never opens its case: one on a case no longer shared is out of sight.
    return Action.objects.filter(mine, case__in=cases_visible_to(user))


def get_action_for_user(user, pk) -> Action:
    """The action, if the user may see it (else 404). Whoever sees an action may update it."""
    action = (
        actions_visible_to(user)
        .select_related("case", "owner_agency", "owner", "agenda_item__meeting")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def minutes_copies_for(user, meeting: Meeting) -> list[tuple[str, str]]:
    """The copies of ``meeting``'s minutes this user may produce, as (value, label): "" is the
    full minutes, any other value an agency's pk."""
    if can(user, Perm.MEETINGS_MANAGE):
        return [("", "Full minutes, for the clinic")] + [
            (str(agency.pk), f"{agency.name}'s copy (only the cases shared with it)")
            for agency in copy_agencies(meeting)
        ]
    if (
        Role.PARTNER in user.roles
        and user.agency_id
        and user.agency.is_partner
        and sees_cases_of(user, meeting)
    ):
        return [(str(user.agency_id), f"{user.agency.name}'s copy")]
    return []


def get_minutes_for_user(user, pk) -> tuple[Meeting, list[tuple[str, str]]]:
    """The meeting whose minutes the user asks for (404 if they may not see it) and the copies
    they may produce (``minutes_copies_for``). Solicitors and ISACs see meetings but do not send
    minutes out (403); a partner agency member with no copy yet is told why on the page."""
    meeting = get_meeting_for_user(user, pk)
    if not opens_minutes(user):
        raise PermissionDenied
    return meeting, minutes_copies_for(user, meeting)


def opens_minutes(user) -> bool:
    """Whether the minutes page opens for ``user`` (for a meeting they see): those who convene
    meetings, and a partner agency member (their agency's copy, or why there is none yet)."""
    return can(user, Perm.MEETINGS_MANAGE) or (Role.PARTNER in user.roles and bool(user.agency_id))


@record_rule(Perm.ACTIONS)
def _may_see_action(user, action: Action) -> bool:
    return actions_visible_to(user).filter(pk=action.pk).exists()
