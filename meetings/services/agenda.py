"""Writes of a meeting's agenda: putting an open case on it, taking one off, changing the order,
and recording what the meeting made of each case (its discussion), which may open Stalking
Protection Order work for the solicitor.

One named operation per act, one transaction, one audit entry; a refusal is a ``ServiceError``
whose ``field`` names the form field at fault. A discussion's record takes the ``version`` the
user saw: the row is locked and compared, so the second of two people editing at once is told
rather than silently overwritten.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateformat import format as date_format

from referrals.models import Case, RiskDecision, RiskLevel
from referrals.services.risk import default_review_on, risk_record
from spo.models import Application
from spo.services import applications as spo_applications
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, lock_row, locked, move_in_order, save_changes

from ..models import AgendaItem, Meeting
from .checks import refuse_if_cancelled

# --- the agenda --------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(*, meeting: Meeting, by, case: Case, reason: str = "") -> AgendaItem:
    """Put an open case last on the agenda, noting its risk now: the next meeting compares it
    ("cases whose risk rose since last discussed")."""
    # Locking the meeting makes two adds at once take different positions.
    current = lock_row(meeting)
    refuse_if_cancelled(current, "its agenda can no longer change")
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
    this = move_in_order(item, AgendaItem.objects.filter(meeting=meeting), direction)
    if this is None:
        return
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


def _risk_agreed(item: AgendaItem, meeting: Meeting, *, level: str, by) -> None:
    """The meeting's agreed risk becomes the case's, with the case row locked."""
    case = Case.objects.select_for_update().get(pk=item.case_id)
    day = timezone.localdate(meeting.starts_at)
    risk_record(
        case,
        level=level,
        reasons=f"Agreed at the {meeting.get_kind_display().lower()} {meeting.reference} "
        f"on {date_format(day, 'j F Y')}.",
        by=by,
        source=RiskDecision.Source.MEETING,
        review_on=default_review_on(level, from_day=day),
    )


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

    "The case owner or the multi-agency meeting decides [the case's risk], with reasons and a
    review date" (DOMAIN.md): when the risk agreed is recorded or corrected, it becomes the
    case's risk as the meeting's decision (``risk_record``), reviewed by the usual date for its
    level counted from the meeting's day, and answers any lower level an assessment proposed.
    """
    current = locked(item, version, what="discussion")
    meeting = Meeting.objects.get(pk=current.meeting_id)
    refuse_if_cancelled(meeting, "no discussion can be recorded")
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
    if "risk_agreed" in changed and risk_agreed:
        _risk_agreed(current, meeting, level=risk_agreed, by=by)
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
