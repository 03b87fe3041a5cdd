"""Writes of meetings: scheduling, who is invited and came, confidentiality agreements, the
agenda, what each case's discussion found and decided, and the advice given at drop-in sessions.

One named operation per act, one transaction, one audit entry. A refusal is a ``ServiceError``
whose message is for the user and whose ``field`` names the form field at fault. Edits of a
meeting or a discussion take the ``version`` the user saw: the row is locked and compared, so
the second of two people editing at once is told rather than silently overwritten.
"""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from referrals.models import Case, RiskLevel
from spo.models import Application
from spo.services import applications as spo_applications
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, lock_row, locked, save_changes

from ..models import AgendaItem, Attendee, DropInAdvice, Meeting

# "The tactical lead chairs the multi-agency stalking clinic meeting"; the coordinator chairs
# the smaller case discussions and drop-in sessions they arrange.
CHAIR_ROLES = frozenset({Role.TACTICAL_LEAD, Role.COORDINATOR})


# --- helpers -----------------------------------------------------------------------------------


def _choice(value, choices: type[models.TextChoices], field: str, message: str) -> str:
    if value not in choices.values:
        raise ServiceError(message, field)
    return choices(value)


def _require_not_cancelled(meeting: Meeting, what: str) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ServiceError(f"This meeting was cancelled: {what}.")


def _check_meeting(
    *, kind: str, starts_at: datetime.datetime, place: str, online_link: str, chair
) -> str:
    kind = _choice(kind, Meeting.Kind, "kind", "Choose the kind of meeting.")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ServiceError("Enter the date and time of the meeting.", "starts_at")
    if not place and not online_link:
        raise ServiceError("Enter the place of the meeting or its online link.", "place")
    if chair is not None and not CHAIR_ROLES & set(chair.roles):
        raise ServiceError("The chair must be the tactical lead or a coordinator.", "chair")
    return kind


# --- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    by,
    kind: str,
    starts_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    chair=None,
    notes: str = "",
) -> Meeting:
    """Schedule a meeting, convened by ``by`` (the coordinator). It happens somewhere: a room,
    an online link, or both."""
    place, online_link = place.strip(), online_link.strip()
    kind = _check_meeting(
        kind=kind, starts_at=starts_at, place=place, online_link=online_link, chair=chair
    )
    meeting = Meeting.objects.create(
        kind=kind,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        chair=chair,
        convened_by=by,
        notes=notes.strip(),
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by,
    version: int,
    kind: str,
    starts_at: datetime.datetime,
    place: str,
    online_link: str,
    chair,
    status: str,
    notes: str,
) -> Meeting:
    """Change a meeting: moved, another chair, held or cancelled."""
    current = locked(meeting, version, what="meeting")
    place, online_link = (place or "").strip(), (online_link or "").strip()
    kind = _check_meeting(
        kind=kind, starts_at=starts_at, place=place, online_link=online_link, chair=chair
    )
    status = _choice(status, Meeting.Status, "status", "Choose the status of the meeting.")
    changed = save_changes(
        current,
        {
            "kind": kind,
            "starts_at": starts_at,
            "place": place,
            "online_link": online_link,
            "chair_id": chair.pk if chair else None,
            "status": status,
            "notes": (notes or "").strip(),
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


# --- attendees ---------------------------------------------------------------------------------


@transaction.atomic
def attendee_invite(*, meeting: Meeting, by, user=None, name: str = "", agency=None) -> Attendee:
    """Invite someone: a user of the system (their agency unless another is given), or a named
    person from an agency who has no account."""
    current = lock_row(meeting)
    _require_not_cancelled(current, "nobody more can be invited")
    name = name.strip()
    if user is None and not name:
        raise ServiceError("Choose a user or enter the person's name.", "user")
    if user is not None:
        if Attendee.objects.filter(meeting=current, user=user).exists():
            raise ServiceError(f"{user.display_name} is already invited.", "user")
        if agency is None:
            agency = user.agency
        # A user's name is their account's: keeping a second copy would let the two disagree.
        name = ""
    attendee = Attendee.objects.create(meeting=current, user=user, name=name, agency=agency)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=attendee)
    return attendee


@transaction.atomic
def attendance_record(*, attendee: Attendee, by, attendance: str) -> Attendee:
    """Record whether an invited person came, sent apologies or did not attend."""
    attendance = _choice(
        attendance, Attendee.Attendance, "attendance", "Choose whether they attended."
    )
    current = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if current.attendance != attendance:
        Attendee.objects.filter(pk=current.pk).update(attendance=attendance)
        current.attendance = attendance
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=current,
            changed_fields=["attendance"],
        )
    attendee.attendance = attendance
    return current


@transaction.atomic
def confidentiality_record(*, attendee: Attendee, by) -> Attendee:
    """Record that the attendee agreed to keep the meeting's cases confidential: only then are
    they shown the cases (``meetings.access.sees_cases_of``). Agreed once: recording it again
    changes nothing."""
    current = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if current.confidentiality_agreed_at is None:
        now = timezone.now()
        Attendee.objects.filter(pk=current.pk).update(
            confidentiality_agreed_at=now, confidentiality_recorded_by=by
        )
        current.confidentiality_agreed_at = now
        current.confidentiality_recorded_by = by
        record(
            actor=by,
            action=AuditEvent.Action.ALTERATION,
            obj=current,
            changed_fields=["confidentiality_agreed_at", "confidentiality_recorded_by"],
        )
    attendee.confidentiality_agreed_at = current.confidentiality_agreed_at
    attendee.confidentiality_recorded_by_id = current.confidentiality_recorded_by_id
    return current


# --- agenda ------------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(*, meeting: Meeting, by, case: Case, reason: str = "") -> AgendaItem:
    """Put an open case last on the agenda, noting its risk now: the next meeting compares it
    ("cases whose risk rose since last discussed")."""
    # Locking the meeting makes two adds at once take different positions.
    current = lock_row(meeting)
    _require_not_cancelled(current, "its agenda can no longer change")
    reason = reason.strip()
    if len(reason) > AgendaItem._meta.get_field("reason").max_length:
        raise ServiceError("Say why in 200 characters or fewer.", "reason")
    if case.status != Case.Status.OPEN:
        raise ServiceError(f"Case {case.reference} is closed: only open cases.", "case")
    if AgendaItem.objects.filter(meeting=current, case=case).exists():
        raise ServiceError(f"Case {case.reference} is already on the agenda.", "case")
    last = current.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=current,
        case=case,
        position=last + 1,
        reason=reason,
        risk_at_agenda=case.risk_level,
        added_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=item)
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by) -> None:
    """Take a case off the agenda (an alteration of the meeting). A case once discussed stays:
    the discussion is part of the meeting's record."""
    meeting = lock_row(item.meeting)
    current = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        return
    if current.discussed_at is not None:
        raise ServiceError(f"Case {current.case.reference} was discussed: it stays on the agenda.")
    if current.actions.exists():
        raise ServiceError(
            f"Actions were agreed on case {current.case.reference}: it stays on the agenda."
        )
    current.delete()
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=meeting, changed_fields=["agenda"])


@transaction.atomic
def agenda_move(*, item: AgendaItem, by, direction: str) -> None:
    """Swap an agenda item with its neighbour, "up" or "down"; at the end nothing happens."""
    if direction not in {"up", "down"}:
        raise ServiceError("Move a case up or down.", "direction")
    meeting = lock_row(item.meeting)
    items = list(
        AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position", "id")
    )
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        return
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(items):
        return
    this, other = items[index], items[other_index]
    # Positions may tie; the list order decides, so renumber the two.
    first, second = sorted([this.position, other.position])
    if first == second:
        second = first + 1
    if direction == "up":
        this_position, other_position = first, second
    else:
        other_position, this_position = first, second
    AgendaItem.objects.filter(pk=this.pk).update(position=this_position)
    AgendaItem.objects.filter(pk=other.pk).update(position=other_position)
    item.position = this_position
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=this, changed_fields=["position"])


# --- discussions -------------------------------------------------------------------------------


def _first_suspect(case: Case):
    """The first suspect named on the case (the order they were added)."""
    link = (
        Case.suspects.through.objects.filter(case_id=case.pk)
        .select_related("person")
        .order_by("id")
        .first()
    )
    return link.person if link else None


@transaction.atomic
def discussion_record(
    *,
    item: AgendaItem,
    by,
    version: int,
    behaviours: str,
    motivation: str,
    history: str,
    mental_health: str,
    agency_information: str,
    risk_agreed: str,
    decisions: str,
    consider_spo: bool,
    spo_solicitor=None,
) -> AgendaItem:
    """Record (or correct) what the meeting made of a case: behaviours, the stalker's
    motivation, history, mental health, what each agency knows, the risk agreed and the
    decisions. The first record marks the case discussed, by ``by``, now.

    Deciding to consider a Stalking Protection Order "opens the SPO work for the solicitor":
    an application against the case's first suspect, protecting the victim, prepared by
    ``spo_solicitor`` — once: not again when the decision is recorded again, nor while the
    case already has an order application under way (from an earlier meeting, or the solicitor's
    own).
    """
    current = locked(item, version, what="discussion")
    meeting = Meeting.objects.get(pk=current.meeting_id)
    _require_not_cancelled(meeting, "no discussion can be recorded")
    risk_agreed = risk_agreed or ""
    if risk_agreed not in {"", *RiskLevel.values}:
        raise ServiceError("Choose the risk agreed.", "risk_agreed")
    consider_spo = bool(consider_spo)
    opens_spo = (
        consider_spo
        and not current.consider_spo
        and not Application.objects.filter(case_id=current.case_id, kind=Application.Kind.ORDER)
        .exclude(stage__in=Application.DECIDED)
        .exists()
    )
    new = {
        "behaviours": behaviours.strip(),
        "motivation": motivation.strip(),
        "history": history.strip(),
        "mental_health": mental_health.strip(),
        "agency_information": agency_information.strip(),
        "risk_agreed": risk_agreed,
        "decisions": decisions.strip(),
        "consider_spo": consider_spo,
    }
    if current.discussed_at is None:
        new["discussed_at"] = timezone.now()
        new["discussed_by_id"] = by.pk
    case = defendant = None
    if opens_spo:
        if spo_solicitor is None or not spo_solicitor.has_role(Role.SOLICITOR):
            raise ServiceError(
                "Choose the solicitor who will consider the protection order.", "spo_solicitor"
            )
        case = Case.objects.select_related("victim").get(pk=current.case_id)
        defendant = _first_suspect(case)
        if defendant is None:
            raise ServiceError(
                f"Case {case.reference} names no suspect: a protection order is made against "
                "a suspect. Add the suspect to the case first.",
                "consider_spo",
            )
    changed = save_changes(current, new)
    if opens_spo:
        try:
            spo_applications.application_start(
                case=case, by=spo_solicitor, defendant=defendant, protected_people=[case.victim]
            )
        except ServiceError as error:
            raise ServiceError(error.message, "consider_spo") from error
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


# --- drop-in sessions --------------------------------------------------------------------------


@transaction.atomic
def drop_in_advice_record(
    *,
    meeting: Meeting,
    by,
    advice: str,
    officer=None,
    officer_name: str = "",
    case: Case | None = None,
    question: str = "",
) -> DropInAdvice:
    """Record the advice given to an officer who came to a drop-in session, about a case if
    there is one (the advice then shows on the case's timeline)."""
    if meeting.kind != Meeting.Kind.DROP_IN:
        raise ServiceError("Advice is recorded at drop-in sessions only.")
    _require_not_cancelled(meeting, "no advice can be recorded")
    officer_name = officer_name.strip()
    if officer is None and not officer_name:
        raise ServiceError("Choose the officer or enter their name.", "officer")
    advice = advice.strip()
    if not advice:
        raise ServiceError("Enter the advice given.", "advice")
    given = DropInAdvice.objects.create(
        meeting=meeting,
        officer=officer,
        officer_name="" if officer is not None else officer_name,
        case=case,
        question=question.strip(),
        advice=advice,
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=given)
    return given
