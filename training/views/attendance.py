"""A session's register, and the certificate of a course attended.

Who may use these views (``training.access``):
- ``attendance``: the coordinator and the tactical lead, or the session's trainer
  (``may_record_attendance``); anyone else in the training area gets 403.
- ``certificate_pdf``: whoever may see the booking (``get_booking_for_user``: the trainee, their
  supervisor, the managers, the session's trainer), for an ATTENDED booking only (else 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from stalking_clinic import pdf
from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.service_forms import save_through_service

from ..access import get_booking_for_user, get_session_for_user, may_record_attendance
from ..forms.attendance import AttendanceForm
from ..models import Booking
from ..selectors.bookings import certificate
from ..selectors.sessions import attendance_register
from ..services import attendance as services


@require(Perm.TRAINING, shows_personal_data=True, methods=POSTS)
def attendance(request, pk):
    """Everyone holding a place, with attended / absent / cancelled for each."""
    session = get_session_for_user(request.user, pk)
    if not may_record_attendance(request.user, session):
        raise PermissionDenied
    register = attendance_register(session)
    form = None
    if register["started"] and not register["cancelled"]:
        outcome = save_through_service(
            request,
            AttendanceForm(request.POST or None, bookings=register["bookings"]),
            services.attendance_record,
            session=session,
            by=request.user,
        )
        if outcome.saved:
            messages.success(request, f"Attendance recorded for {session.reference}.")
            return redirect("training:session_detail", pk=session.pk)
        form = outcome.form
    request.audit.consulted(session)
    return render(
        request,
        "training/attendance.html",
        {"session": session, "form": form, **register},
    )


@require(Perm.TRAINING)
def certificate_pdf(request, pk):
    """A one-page certificate of the course attended; each download is a logged disclosure."""
    booking = get_booking_for_user(request.user, pk)
    if booking.status != Booking.Status.ATTENDED:
        raise Http404("No certificate: the booking was not attended")
    content = pdf.render_pdf("training/pdf/certificate.html", certificate(booking), request=request)
    request.audit.downloaded(booking, justification="Training certificate (PDF)")
    return pdf.pdf_download(content, f"training-certificate-{booking.reference}.pdf")


urlpatterns = [
    path("sessions/<int:pk>/attendance/", attendance, name="attendance"),
    path("bookings/<int:pk>/certificate.pdf", certificate_pdf, name="certificate_pdf"),
]
