"""Meetings: the list, a meeting's page, its attendees, its agenda, the discussion of each case
and the advice given at drop-in sessions.

Who may use these views (``meetings.access``):
- ``index`` and ``meeting_detail``: the clinic and partner agency members (``Perm.MEETINGS``);
  a partner sees only the meetings they are invited to, others get 404.
- Every change: the coordinator and tactical lead (``Perm.MEETINGS_MANAGE``); anyone else who
  may see the meeting gets 403.
- A meeting's cases (agenda, discussions, advice) show only once the viewer's confidentiality
  agreement for that meeting is recorded, and only the cases they may see at all.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse

from stalking_clinic.access import POST_ONLY, POSTS, Perm, can, require
from stalking_clinic.accounts.models import Role
from stalking_clinic.service_forms import press_button, save_or_show

from ..access import get_agenda_item_to_change, get_attendee_to_change, get_meeting_for_user
from ..forms.agenda import AgendaAddForm, DiscussionForm
from ..forms.attendance import AttendanceForm, AttendeeForm
from ..forms.drop_ins import AdviceForm
from ..forms.meetings import MeetingEditForm, MeetingFilterForm, MeetingForm
from ..models import Meeting
from ..selectors.agenda import agenda_page
from ..selectors.meetings import meeting_page, meetings_listed
from ..services import agenda, attendance, drop_ins, meetings


def _detail_url(meeting, anchor=""):
    return reverse("meetings:meeting_detail", args=[meeting.pk]) + anchor


def _form_page(request, meeting, *, title, intro="", case=None, consulted=None, extra=None):
    """The page of a form changing ``meeting`` (or a part of it), as a function of the form for
    ``form_saved``; ``consulted``: the record whose details it shows (audited)."""

    def page(form):
        if consulted is not None:
            request.audit.consulted(consulted)
        context = {"meeting": meeting, "form": form, "title": title, "intro": intro, "case": case}
        return render(request, "meetings/form.html", {**context, **(extra or {})})

    return page


# --- the list and the meeting's page -------------------------------------------------------------


@require(Perm.MEETINGS)
def index(request):
    filters = MeetingFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    listed = meetings_listed(request.user, kind=data.get("kind", ""), when=data.get("when", ""))
    return render(
        request,
        "meetings/index.html",
        {
            "filters": filters,
            **listed,
            "can_manage": can(request.user, Perm.MEETINGS_MANAGE),
        },
    )


@require(Perm.MEETINGS, shows_personal_data=True)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    context = meeting_page(request.user, meeting)
    request.audit.consulted(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **context,
            "can_manage": can(request.user, Perm.MEETINGS_MANAGE),
            "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
            "sees_case_pages": can(request.user, Perm.CASES_VIEW),
        },
    )


# --- scheduling ----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, methods=POSTS)
def meeting_new(request):
    # The tactical lead chairs the meetings they schedule, unless they choose someone else.
    chair = request.user.pk if request.user.has_role(Role.TACTICAL_LEAD) else None
    form = MeetingForm(request.POST or None, initial={"kind": Meeting.Kind.CLINIC, "chair": chair})
    return save_or_show(
        request,
        form,
        meetings.meeting_schedule,
        done=lambda meeting: f"Meeting {meeting.reference} scheduled.",
        then=_detail_url,
        page=lambda form: render(
            request,
            "meetings/form.html",
            {"form": form, "title": "Schedule a meeting", "back_url": reverse("meetings:index")},
        ),
    )


@require(Perm.MEETINGS_MANAGE, methods=POSTS)
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        MeetingEditForm(request.POST or None, initial=MeetingEditForm.initial_for(meeting)),
        meetings.meeting_update,
        meeting=meeting,
        record=meeting,
        done=f"Meeting {meeting.reference} saved.",
        then=_detail_url(meeting),
        page=_form_page(request, meeting, title="Change the meeting"),
    )


# --- attendees -----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, methods=POSTS)
def attendee_new(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    if "another" in request.POST:
        then = reverse("meetings:attendee_new", args=[meeting.pk])
    else:
        then = _detail_url(meeting, "#attendees")
    return save_or_show(
        request,
        AttendeeForm(request.POST or None),
        attendance.attendee_invite,
        meeting=meeting,
        done="Invited.",
        then=then,
        page=_form_page(
            request,
            meeting,
            title="Invite someone",
            intro="Invite someone with an account, or name someone from an agency who has none. "
            "Record their confidentiality agreement before they see the meeting's cases.",
        ),
    )


@require(Perm.MEETINGS_MANAGE, methods=POST_ONLY)
def attendance_record(request, pk):
    attendee = get_attendee_to_change(request.user, pk)
    press_button(
        request,
        attendance.attendance_record,
        attendee=attendee,
        attendance=request.POST.get("attendance", ""),
        # The service records the attendance on ``attendee`` too.
        done=lambda _: f"{attendee.display_name}: {attendee.get_attendance_display().lower()}.",
    )
    return redirect(_detail_url(attendee.meeting, f"#attendee-{attendee.pk}"))


@require(Perm.MEETINGS_MANAGE, methods=POST_ONLY)
def confidentiality(request, pk):
    attendee = get_attendee_to_change(request.user, pk)
    press_button(
        request,
        attendance.confidentiality_record,
        attendee=attendee,
        done=f"{attendee.display_name}'s confidentiality agreement is recorded.",
    )
    return redirect(_detail_url(attendee.meeting, f"#attendee-{attendee.pk}"))


# --- the agenda ----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def agenda_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    context = agenda_page(meeting)
    form = AgendaAddForm(leave_out=context.pop("on_agenda"))
    form.helper.form_action = reverse("meetings:agenda_add", args=[meeting.pk])
    request.audit.consulted(meeting)
    return render(request, "meetings/agenda.html", {**context, "form": form})


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True, methods=POSTS)
def agenda_add(request, pk):
    """The case picker's form posts here, and so do the suggestions' "Add" buttons."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    return save_or_show(
        request,
        AgendaAddForm(request.POST or None),
        agenda.agenda_add,
        meeting=meeting,
        done=lambda item: f"Case {item.case.reference} added to the agenda.",
        then=reverse("meetings:agenda", args=[meeting.pk]),
        page=_form_page(request, meeting, title="Add a case to the agenda", consulted=meeting),
    )


@require(Perm.MEETINGS_MANAGE, methods=POST_ONLY)
def agenda_move(request, pk):
    item = get_agenda_item_to_change(request.user, pk)
    press_button(
        request,
        agenda.agenda_move,
        item=item,
        direction=request.POST.get("direction"),
    )
    return redirect(reverse("meetings:agenda", args=[item.meeting_id]) + f"#item-{item.pk}")


@require(Perm.MEETINGS_MANAGE, methods=POST_ONLY)
def agenda_remove(request, pk):
    item = get_agenda_item_to_change(request.user, pk)
    press_button(
        request,
        agenda.agenda_remove,
        item=item,
        done=f"Case {item.case.reference} taken off the agenda.",
    )
    return redirect(reverse("meetings:agenda", args=[item.meeting_id]))


# --- discussions and advice ----------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True, methods=POSTS)
def discussion(request, pk):
    item = get_agenda_item_to_change(request.user, pk)
    return save_or_show(
        request,
        DiscussionForm(request.POST or None, initial=DiscussionForm.initial_for(item)),
        agenda.discussion_record,
        item=item,
        record=item,
        done=f"Discussion of case {item.case.reference} saved.",
        then=reverse("meetings:discussion", args=[item.pk]),
        page=_form_page(
            request,
            item.meeting,
            title=f"Discussion of case {item.case.reference}",
            case=item.case,
            consulted=item.case,
            extra={
                "item": item,
                "actions": item.actions.select_related("owner_agency", "owner"),
            },
        ),
    )


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True, methods=POSTS)
def advice_new(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    if meeting.kind != Meeting.Kind.DROP_IN:
        messages.error(request, "Advice is recorded at drop-in sessions only.")
        return redirect(_detail_url(meeting))
    return save_or_show(
        request,
        AdviceForm(request.POST or None),
        drop_ins.drop_in_advice_record,
        meeting=meeting,
        done="Advice recorded.",
        then=_detail_url(meeting, "#advice"),
        page=_form_page(
            request,
            meeting,
            title="Record advice given at the drop-in session",
            consulted=meeting,
        ),
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", meeting_new, name="meeting_new"),
    path("<int:pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<int:pk>/attendees/new/", attendee_new, name="attendee_new"),
    path("attendees/<int:pk>/attendance/", attendance_record, name="attendance"),
    path("attendees/<int:pk>/confidentiality/", confidentiality, name="confidentiality"),
    path("<int:pk>/agenda/", agenda_detail, name="agenda"),
    path("<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/move/", agenda_move, name="agenda_move"),
    path("agenda/<int:pk>/remove/", agenda_remove, name="agenda_remove"),
    path("agenda/<int:pk>/discussion/", discussion, name="discussion"),
    path("<int:pk>/advice/new/", advice_new, name="advice_new"),
]
