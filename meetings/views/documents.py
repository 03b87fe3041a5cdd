"""A meeting's minutes as a PDF: the full minutes for the clinic, or one partner agency's copy.

A partner agency's copy holds only the cases shared with that agency (``referrals.Share``): the
minutes go to the agency, and an agency may only be told about the cases shared with it. Every copy
produced is a disclosure (Data Protection Act 2018 Part 3, s.62), logged with the agency as its
recipient, or "Clinic (full minutes)" for the full copy.

Who may produce which copy is ``meetings.access.minutes_copies_for``: the coordinator and the
tactical lead any copy, an invited partner agency member their own agency's once their
confidentiality agreement is recorded, nobody else. What each copy holds is
``meetings.selectors.minutes.minutes_context``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic import pdf
from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.accounts.models import Agency

from ..access import get_minutes_for_user
from ..forms.minutes import MinutesCopyForm
from ..selectors.minutes import minutes_context


@require(Perm.MEETINGS, methods=POSTS)
def minutes(request, pk):
    """Choose the copy of the minutes to produce; a valid POST returns it and logs its
    disclosure. The page itself shows no case: only which copies there are."""
    meeting, copies = get_minutes_for_user(request.user, pk)
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
            return pdf.pdf_download(content, f"{meeting.reference}-minutes{suffix}.pdf")
    return render(
        request,
        "meetings/minutes.html",
        {"meeting": meeting, "form": form, "copies": copies},
    )


@require(Perm.MEETINGS, methods=POSTS)
def minutes_pdf(request, pk):
    """The minutes' download address: a POST from the page returns the PDF; a GET (a plain link)
    goes to the page, because every copy disclosed must say whose copy it is."""
    if request.method == "POST":
        return minutes.__wrapped__(request, pk)
    meeting, _ = get_minutes_for_user(request.user, pk)
    return redirect("meetings:minutes", pk=meeting.pk)


urlpatterns = [
    path("<int:pk>/minutes/", minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", minutes_pdf, name="minutes_pdf"),
]
