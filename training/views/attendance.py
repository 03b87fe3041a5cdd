"""A session's register, and the certificate of a course attended.

Who may use these views (``training.access``):
- ``attendance``: the coordinator and the tactical lead, or the session's trainer
  (``may_record_attendance``); anyone else in the training area gets 403.
- ``certificate_pdf``: whoever may see the booking (``get_booking_for_user``: the trainee, their
  supervisor, the managers, the session's trainer), for an ATTENDED booking only (else 404).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from stalking_clinic import pdf
from stalking_clinic.access import Perm, require

from ..access import get_booking_for_user, get_session_for_user, may_record_attendance
from ..forms.attendance import AttendanceForm
from ..models import Booking
from ..selectors.compliance import refresh_due_on
from ..services.attendance import attendance_record
from .saving import save


@require(Perm.TRAINING, shows_personal_data=True)
def attendance(request, pk):
    """Everyone holding a place, with attended / absent / cancelled for each."""
    session = get_session_for_user(request.user, pk)
    if not may_record_attendance(request.user, session):
        raise PermissionDenied
    bookings = list(
        session.bookings.filter(status__in=Booking.HOLDS_PLACE)
        .select_related("trainee__team__area")
        .order_by("trainee__name", "pk")
    )
    started = session.starts_at <= timezone.now()
    cancelled = session.status == session.Status.CANCELLED
    form = None
    if started and not cancelled:
        form = AttendanceForm(request.POST or None, bookings=bookings)

        def call(data):
            attendance_record(session=session, by=request.user, outcomes=form.outcomes())

        saved, form = save(request, form, call)
        if saved:
            messages.success(request, f"Attendance recorded for {session.reference}.")
            return redirect("training:session_detail", pk=session.pk)
    request.audit.consulted(session)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "bookings": bookings,
            "form": form,
            "started": started,
            "cancelled": cancelled,
        },
    )


def duration_text(minutes: int) -> str:
    """180 -> "3 hours", 90 -> "1 hour 30 minutes", 45 -> "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _recipient(user) -> str:
    return str(user.agency) if user.agency_id else user.username


@require(Perm.TRAINING)
def certificate_pdf(request, pk):
    """A one-page certificate of the course attended; each download is a logged disclosure."""
    booking = get_booking_for_user(request.user, pk)
    if booking.status != Booking.Status.ATTENDED:
        raise Http404("No certificate: the booking was not attended")
    session = booking.session
    course = session.course
    attended_on = timezone.localdate(session.starts_at)
    content = pdf.render_pdf(
        "training/pdf/certificate.html",
        {
            "booking": booking,
            "trainee": booking.trainee,
            "course": course,
            "session": session,
            "attended_on": attended_on,
            "duration": duration_text(course.duration_minutes),
            "refresh_due_on": refresh_due_on(course, attended_on),
            "force_name": settings.FORCE_NAME,
            "generated_at": timezone.now(),
        },
        request=request,
    )
    request.audit.disclosed(
        booking, recipient=_recipient(request.user), justification="Training certificate (PDF)"
    )
    response = HttpResponse(content, content_type="application/pdf")
    # The reference only: a name in a file name travels in download lists and logs.
    response["Content-Disposition"] = (
        f'attachment; filename="training-certificate-{booking.reference}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("sessions/<int:pk>/attendance/", attendance, name="attendance"),
    path("bookings/<int:pk>/certificate.pdf", certificate_pdf, name="certificate_pdf"),
]
