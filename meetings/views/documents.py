"""A meeting's minutes as a PDF: the full minutes for the clinic, or one partner agency's copy.

A partner agency's copy holds only the cases shared with that agency (``referrals.Share``): the
minutes go to the agency, and an agency may only be told about the cases shared with it. Every copy
produced is a disclosure (Data Protection Act 2018 Part 3, s.62), logged with the agency as its
recipient, or "Clinic (full minutes)" for the full copy.

Who may produce which copy:

- the coordinator and the tactical lead (``Perm.MEETINGS_MANAGE``): the full minutes, or the copy
  of any partner agency among the meeting's attendees;
- a partner agency member invited to the meeting: only their own agency's copy, and only once their
  confidentiality agreement for the meeting is recorded (the copy holds the meeting's cases);
- nobody else (a meeting the user may not see is 404 first).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from referrals.models import Share
from stalking_clinic import pdf
from stalking_clinic.access import Perm, can, require
from stalking_clinic.accounts.models import Agency, Role

from ..access import get_meeting_for_user, sees_cases_of
from ..forms.minutes import MinutesCopyForm
from ..models import Action, AgendaItem, Attendee, DropInAdvice, Meeting

FULL_COPY_RECIPIENT = "Clinic (full minutes)"


def _shared_with(agency: Agency):
    return Share.objects.filter(agency=agency).values("case_id")


def minutes_context(meeting: Meeting, *, agency: Agency | None = None) -> dict:
    """What the minutes say. ``agency``: that partner agency's copy, holding only the agenda items,
    their actions, and the drop-in advice about cases shared with it; None: the full minutes.

    A fixed number of queries, however long the meeting."""
    attendees = list(Attendee.objects.filter(meeting=meeting).select_related("user", "agency"))
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner_agency").order_by("due_on", "id"),
            )
        )
    )
    advice = DropInAdvice.objects.filter(meeting=meeting).select_related("officer", "case")
    if agency is not None:
        shared = _shared_with(agency)
        items = items.filter(case_id__in=shared)
        # Advice about no case in particular is not about a case shared with the agency either.
        advice = advice.filter(case_id__in=shared)
    return {
        "meeting": meeting,
        "agency": agency,
        "recipient": agency.name if agency else FULL_COPY_RECIPIENT,
        "attendees": [a for a in attendees if a.attendance != Attendee.Attendance.APOLOGIES],
        "apologies": [a for a in attendees if a.attendance == Attendee.Attendance.APOLOGIES],
        "items": list(items.order_by("position", "id")),
        "advice": list(advice),
        "generated_at": timezone.now(),
    }


def copy_agencies(meeting: Meeting) -> list[Agency]:
    """The partner agencies whose people are invited: each may be sent its own copy."""
    return list(
        Agency.objects.filter(
            pk__in=Attendee.objects.filter(meeting=meeting, agency__isnull=False).values(
                "agency_id"
            ),
            is_partner=True,
        ).order_by("name")
    )


def _copies_for(user, meeting: Meeting) -> list[tuple[str, str]]:
    """The copies this user may produce, as (value, label): "" is the full minutes."""
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


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _meeting_and_copies(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    copies = _copies_for(request.user, meeting)
    if not copies and not (Role.PARTNER in request.user.roles and request.user.agency_id):
        # Solicitors and ISACs see meetings but do not send minutes out.
        raise PermissionDenied
    return meeting, copies


@require(Perm.MEETINGS)
def minutes(request, pk):
    """Choose the copy of the minutes to produce; a valid POST returns it and logs its
    disclosure. The page itself shows no case: only which copies there are."""
    meeting, copies = _meeting_and_copies(request, pk)
    form = MinutesCopyForm(request.POST if request.method == "POST" else None, copies=copies)
    if request.method == "POST":
        if not copies:
            raise PermissionDenied
        if form.is_valid():
            value = form.cleaned_data["agency"]
            agency = Agency.objects.get(pk=value) if value else None
            context = minutes_context(meeting, agency=agency)
            content = pdf.render_pdf("meetings/pdf/minutes.html", context, request=request)
            request.audit.disclosed(
                meeting,
                recipient=context["recipient"],
                justification=f"Minutes of {meeting.reference} (PDF)"
                + (f": {agency.name}'s copy" if agency else ": full copy"),
            )
            suffix = f"-agency-{agency.pk}" if agency else ""
            return _pdf_response(content, f"{meeting.reference}-minutes{suffix}.pdf")
    return render(
        request,
        "meetings/minutes.html",
        {"meeting": meeting, "form": form, "copies": copies},
    )


@require(Perm.MEETINGS)
def minutes_pdf(request, pk):
    """The minutes' download address: a POST from the page returns the PDF; a GET (a plain link)
    goes to the page, because every copy disclosed must say whose copy it is."""
    if request.method == "POST":
        return minutes.__wrapped__(request, pk)
    meeting, _ = _meeting_and_copies(request, pk)
    return redirect("meetings:minutes", pk=meeting.pk)


urlpatterns = [
    path("<int:pk>/minutes/", minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
]
