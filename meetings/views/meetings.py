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
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meetings import selectors
from meetings.services import agenda as agenda_services
from meetings.services import attendance as attendance_services
from meetings.services import drop_ins as drop_in_services
from meetings.services import meetings as services
from stalking_clinic.access import Perm, can, require
from stalking_clinic.service_forms import save_through_service
from stalking_clinic.services import ServiceError

from ..access import (
    actions_visible_to,
    advice_visible_to,
    agenda_visible_to,
    get_meeting_for_user,
    meetings_visible_to,
    sees_cases_of,
)
from ..forms.agenda import AgendaAddForm, DiscussionForm
from ..forms.attendance import AttendanceForm, AttendeeForm
from ..forms.drop_ins import AdviceForm
from ..forms.meetings import MeetingEditForm, MeetingFilterForm, MeetingForm
from ..models import Action, AgendaItem, Attendee, Meeting

LIST_LIMIT = 100

# Service fields that the forms ask for under another name.
_FIELD_ALIASES = {"starts_at": "date"}


def _save(request, form, call, *, record=None):
    # Until this area's views call save_through_service with their service directly.
    outcome = save_through_service(
        request, form, lambda **data: call(data), record=record, field_aliases=_FIELD_ALIASES
    )
    return outcome.saved, outcome.form


def _detail(meeting, anchor=""):
    return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + anchor)


def _form_page(request, meeting, form, *, title, intro="", case=None, extra=None):
    context = {"meeting": meeting, "form": form, "title": title, "intro": intro, "case": case}
    context.update(extra or {})
    return render(request, "meetings/form.html", context)


# --- the list and the meeting's page -------------------------------------------------------------


@require(Perm.MEETINGS)
def index(request):
    filters = MeetingFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    meetings = (
        meetings_visible_to(request.user)
        .select_related("chair")
        .annotate(case_count=Count("agenda", distinct=True))
    )
    if data.get("kind"):
        meetings = meetings.filter(kind=data["kind"])
    now = timezone.now()
    when = data.get("when")
    upcoming = past = []
    if when != "past":
        upcoming = list(
            meetings.filter(starts_at__gte=now).order_by("starts_at", "id")[:LIST_LIMIT]
        )
    if when != "upcoming":
        past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:LIST_LIMIT])
    return render(
        request,
        "meetings/index.html",
        {
            "filters": filters,
            "when": when,
            "upcoming": upcoming,
            "past": past,
            "limit": LIST_LIMIT,
            "can_manage": can(request.user, Perm.MEETINGS_MANAGE),
        },
    )


@require(Perm.MEETINGS, shows_personal_data=True)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    can_manage = can(request.user, Perm.MEETINGS_MANAGE)
    sees_cases = sees_cases_of(request.user, meeting)
    attendees = list(
        meeting.attendees.select_related("user", "agency", "confidentiality_recorded_by")
    )
    agenda = list(
        agenda_visible_to(request.user, meeting)
        .select_related("case", "discussed_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=actions_visible_to(request.user).select_related("owner_agency", "owner"),
                to_attr="visible_actions",
            )
        )
        .order_by("position", "id")
    )
    advice = []
    if meeting.kind == Meeting.Kind.DROP_IN:
        advice = list(advice_visible_to(request.user, meeting).select_related("officer", "case"))
    today = timezone.localdate()
    for item in agenda:
        for action in item.visible_actions:
            action.overdue = action.is_overdue(today)
    mine = next((a for a in attendees if a.user_id == request.user.pk), None)
    request.audit.consulted(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "can_manage": can_manage,
            "sees_cases": sees_cases,
            "my_attendance": mine,
            "attendees": attendees,
            "agenda": agenda,
            "advice": advice,
            "is_drop_in": meeting.kind == Meeting.Kind.DROP_IN,
            "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
            "sees_case_pages": can(request.user, Perm.CASES_VIEW),
        },
    )


# --- scheduling ----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE)
def meeting_new(request):
    form = MeetingForm(
        request.POST or None,
        initial={"kind": Meeting.Kind.CLINIC, "chair": _default_chair(request.user)},
    )
    created = {}

    def call(data):
        created["meeting"] = services.meeting_schedule(
            by=request.user,
            kind=data["kind"],
            starts_at=form.starts_at,
            place=data["place"],
            online_link=data["online_link"],
            chair=data["chair"],
            notes=data["notes"],
        )

    saved, form = _save(request, form, call)
    if saved:
        meeting = created["meeting"]
        messages.success(request, f"Meeting {meeting.reference} scheduled.")
        return _detail(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": "Schedule a meeting", "back_url": reverse("meetings:index")},
    )


def _default_chair(user):
    return user.pk if user.has_role("tactical_lead") else None


@require(Perm.MEETINGS_MANAGE)
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = MeetingEditForm(request.POST or None, initial=MeetingEditForm.initial_for(meeting))

    def call(data):
        services.meeting_update(
            meeting=meeting,
            by=request.user,
            version=data["version"],
            kind=data["kind"],
            starts_at=form.starts_at,
            place=data["place"],
            online_link=data["online_link"],
            chair=data["chair"],
            status=data["status"],
            notes=data["notes"],
        )

    saved, form = _save(request, form, call, record=meeting)
    if saved:
        messages.success(request, f"Meeting {meeting.reference} saved.")
        return _detail(meeting)
    return _form_page(request, meeting, form, title="Change the meeting")


# --- attendees -----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE)
def attendee_new(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = AttendeeForm(request.POST or None)

    def call(data):
        attendance_services.attendee_invite(
            meeting=meeting,
            by=request.user,
            user=data["user"],
            name=data["name"],
            agency=data["agency"],
        )

    saved, form = _save(request, form, call)
    if saved:
        messages.success(request, "Invited.")
        if "another" in request.POST:
            return redirect("meetings:attendee_new", pk=meeting.pk)
        return _detail(meeting, "#attendees")
    return _form_page(
        request,
        meeting,
        form,
        title="Invite someone",
        intro="Invite someone with an account, or name someone from an agency who has none. "
        "Record their confidentiality agreement before they see the meeting's cases.",
    )


def _attendee_for(request, pk) -> Attendee:
    attendee = get_object_or_404(Attendee.objects.select_related("user"), pk=pk)
    attendee.meeting = get_meeting_for_user(request.user, attendee.meeting_id, write=True)
    return attendee


@require(Perm.MEETINGS_MANAGE)
@require_POST
def attendance(request, pk):
    attendee = _attendee_for(request, pk)
    try:
        attendance_services.attendance_record(
            attendee=attendee, by=request.user, attendance=request.POST.get("attendance", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{attendee.display_name}: {attendee.get_attendance_display().lower()}."
        )
    return _detail(attendee.meeting, f"#attendee-{attendee.pk}")


@require(Perm.MEETINGS_MANAGE)
@require_POST
def confidentiality(request, pk):
    attendee = _attendee_for(request, pk)
    try:
        attendance_services.confidentiality_record(attendee=attendee, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{attendee.display_name}'s confidentiality agreement is recorded."
        )
    return _detail(attendee.meeting, f"#attendee-{attendee.pk}")


# --- the agenda ----------------------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def agenda(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    items = list(meeting.agenda.select_related("case", "case__victim").order_by("position", "id"))
    suggestions = selectors.agenda_suggestions(meeting)
    on_agenda = {item.case_id for item in items}
    form = AgendaAddForm()
    form.fields["case"].queryset = form.fields["case"].queryset.exclude(pk__in=on_agenda)
    form.helper.form_action = reverse("meetings:agenda_add", args=[meeting.pk])
    request.audit.consulted(meeting)
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "items": items,
            "suggestions": [s for s in suggestions if s.case.pk not in on_agenda],
            "form": form,
        },
    )


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def agenda_add(request, pk):
    """The case picker's form posts here, and so do the suggestions' "Add" buttons."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = AgendaAddForm(request.POST or None)

    def call(data):
        agenda_services.agenda_add(
            meeting=meeting, by=request.user, case=data["case"], reason=data["reason"]
        )

    saved, form = _save(request, form, call)
    if saved:
        messages.success(
            request, f"Case {form.cleaned_data['case'].reference} added to the agenda."
        )
        return redirect("meetings:agenda", pk=meeting.pk)
    request.audit.consulted(meeting)
    return _form_page(request, meeting, form, title="Add a case to the agenda")


def _item_for(request, pk, *, write=True) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("case"), pk=pk)
    item.meeting = get_meeting_for_user(request.user, item.meeting_id, write=write)
    return item


@require(Perm.MEETINGS_MANAGE)
@require_POST
def agenda_move(request, pk):
    item = _item_for(request, pk)
    direction = request.POST.get("direction")
    try:
        agenda_services.agenda_move(item=item, by=request.user, direction=direction)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("meetings:agenda", args=[item.meeting_id]) + f"#item-{item.pk}")


@require(Perm.MEETINGS_MANAGE)
@require_POST
def agenda_remove(request, pk):
    item = _item_for(request, pk)
    try:
        agenda_services.agenda_remove(item=item, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Case {item.case.reference} taken off the agenda.")
    return redirect("meetings:agenda", pk=item.meeting_id)


# --- discussions and advice ----------------------------------------------------------------------


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def discussion(request, pk):
    item = _item_for(request, pk)
    form = DiscussionForm(request.POST or None, initial=DiscussionForm.initial_for(item))

    def call(data):
        agenda_services.discussion_record(
            item=item,
            by=request.user,
            version=data["version"],
            behaviours=data["behaviours"],
            motivation=data["motivation"],
            history=data["history"],
            mental_health=data["mental_health"],
            agency_information=data["agency_information"],
            risk_agreed=data["risk_agreed"],
            decisions=data["decisions"],
            consider_spo=data["consider_spo"],
            spo_solicitor=data["spo_solicitor"],
        )

    saved, form = _save(request, form, call, record=item)
    if saved:
        messages.success(request, f"Discussion of case {item.case.reference} saved.")
        return redirect("meetings:discussion", pk=item.pk)
    request.audit.consulted(item.case)
    return _form_page(
        request,
        item.meeting,
        form,
        title=f"Discussion of case {item.case.reference}",
        case=item.case,
        extra={
            "item": item,
            "actions": list(item.actions.select_related("owner_agency", "owner")),
            "statuses": Action.Status,
        },
    )


@require(Perm.MEETINGS_MANAGE, shows_personal_data=True)
def advice_new(request, pk):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    if meeting.kind != Meeting.Kind.DROP_IN:
        messages.error(request, "Advice is recorded at drop-in sessions only.")
        return _detail(meeting)
    form = AdviceForm(request.POST or None)

    def call(data):
        drop_in_services.drop_in_advice_record(
            meeting=meeting,
            by=request.user,
            advice=data["advice"],
            officer=data["officer"],
            officer_name=data["officer_name"],
            case=data["case"],
            question=data["question"],
        )

    saved, form = _save(request, form, call)
    if saved:
        messages.success(request, "Advice recorded.")
        return _detail(meeting, "#advice")
    request.audit.consulted(meeting)
    return _form_page(request, meeting, form, title="Record advice given at the drop-in session")


urlpatterns = [
    path("", index, name="index"),
    path("new/", meeting_new, name="meeting_new"),
    path("<int:pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<int:pk>/attendees/new/", attendee_new, name="attendee_new"),
    path("attendees/<int:pk>/attendance/", attendance, name="attendance"),
    path("attendees/<int:pk>/confidentiality/", confidentiality, name="confidentiality"),
    path("<int:pk>/agenda/", agenda, name="agenda"),
    path("<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/move/", agenda_move, name="agenda_move"),
    path("agenda/<int:pk>/remove/", agenda_remove, name="agenda_remove"),
    path("agenda/<int:pk>/discussion/", discussion, name="discussion"),
    path("<int:pk>/advice/new/", advice_new, name="advice_new"),
]
