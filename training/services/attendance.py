"""Recording who came to a session: the register the trainer or the coordinator keeps.

An ATTENDED booking counts toward the trainee's compliance
(``training/selectors/compliance.py``); ABSENT and a late cancellation do not. The register may
be corrected afterwards (a person marked absent by mistake), so every booking that holds a place
can be changed again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError

from ..access import may_record_attendance
from ..models import Booking, Session

# What the register may say about each person holding a place.
OUTCOMES = (Booking.Status.ATTENDED, Booking.Status.ABSENT, Booking.Status.CANCELLED)
LATE_CANCELLATION = "Cancelled on the day (recorded with the attendance)"


@transaction.atomic
def attendance_record(*, session: Session, by, outcomes: dict[int, str]) -> list[Booking]:
    """Record each booking's outcome (booking pk -> "attended", "absent" or "cancelled") and
    return the bookings changed.

    Rules:
    - only once the session has started, and never for a cancelled session: attendance is not
      recorded in advance;
    - only for bookings of this session that hold a place (booked, attended or absent); an
      outcome may be changed again later, to correct a mistake;
    - "cancelled" is a late cancellation: the place is not given to the waiting list, because
      the session has already started;
    - an unknown booking or outcome refuses the whole register (nothing is written).
    """
    # The session row is locked so a booking cancelled or a session edited at the same moment
    # waits for the register (helper services lock the same row).
    current = Session.objects.select_for_update().get(pk=session.pk)
    if not may_record_attendance(by, current):
        raise ServiceError("You may not record attendance for this session.")
    if current.status == Session.Status.CANCELLED:
        raise ServiceError("This session was cancelled: there is no attendance to record.")
    now = timezone.now()
    if current.starts_at > now:
        raise ServiceError(
            "Attendance can be recorded once the session has started, not in advance."
        )
    wanted: dict[int, str] = {}
    for pk, outcome in outcomes.items():
        if outcome not in OUTCOMES:
            raise ServiceError("Choose attended, absent or cancelled.", field=f"outcome_{pk}")
        wanted[int(pk)] = outcome
    bookings = {
        booking.pk: booking
        for booking in Booking.objects.select_for_update()
        .filter(session=current, pk__in=list(wanted), status__in=Booking.HOLDS_PLACE)
        .order_by("pk")
    }
    unknown = sorted(set(wanted) - set(bookings))
    if unknown:
        raise ServiceError(
            "Someone on the register no longer holds a place on this session. "
            "Open the register again.",
            field=f"outcome_{unknown[0]}",
        )
    changed = []
    for pk, outcome in sorted(wanted.items()):
        booking = bookings[pk]
        if booking.status == outcome:
            continue
        booking.status = outcome
        booking.attendance_recorded_at = now
        booking.attendance_recorded_by = by
        booking.version += 1
        fields = ["status", "attendance_recorded_at", "attendance_recorded_by", "version"]
        if outcome == Booking.Status.CANCELLED:
            booking.cancelled_at = now
            booking.cancelled_by = by
            booking.cancellation_reason = LATE_CANCELLATION
            fields += ["cancelled_at", "cancelled_by", "cancellation_reason"]
        booking.save(update_fields=fields)
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=booking,
            changed_fields=[field for field in fields if field != "version"],
        )
        changed.append(booking)
    return changed
