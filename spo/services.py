"""Writes in the protection orders area: one named operation per act, one transaction, one audit
entry. Each refuses what the Stalking Protection Act 2019 or the clinic does not allow with an
``ServiceError`` whose message is for the user and whose ``field`` names the form field at fault.

Edits take the ``version`` the user saw: the row is locked and compared, so when two people edit
the same record at once the second is told, not silently overwritten.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.dateformat import format as date_format

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import (
    LastChange,
    ServiceError,
    last_changed_by,
    lock_row,
    locked,
    save_changes,
)

from .deadlines import full_order_earliest_end, notification_due
from .models import (
    Application,
    Breach,
    Condition,
    Hearing,
    Notification,
    Order,
    StageChange,
)

Stage = Application.Stage


# What each stage may move to. A decided application (granted, refused, withdrawn) is final:
# a change to the order is a new application (variation, renewal, discharge, appeal; s.7).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Stage.CONSIDERED: frozenset({Stage.DRAFTING, Stage.WITHDRAWN}),
    Stage.DRAFTING: frozenset({Stage.LEGAL_REVIEW, Stage.CONSIDERED, Stage.WITHDRAWN}),
    Stage.LEGAL_REVIEW: frozenset({Stage.APPLIED, Stage.DRAFTING, Stage.WITHDRAWN}),
    Stage.APPLIED: frozenset(
        {Stage.INTERIM, Stage.FULL_HEARING, Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN}
    ),
    Stage.INTERIM: frozenset({Stage.FULL_HEARING, Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN}),
    Stage.FULL_HEARING: frozenset({Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN}),
    Stage.GRANTED: frozenset(),
    Stage.REFUSED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}

# Stages at which the court has the application before it and may make an order.
_BEFORE_COURT = frozenset({Stage.APPLIED, Stage.INTERIM, Stage.FULL_HEARING})


# --- helpers -----------------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _last_changed_by(obj: models.Model) -> LastChange:
    """Who last wrote this record and when, from the audit log and, for an application, its
    stage changes (which other services write without an audit entry of the application)."""
    candidates = [last for last in [last_changed_by(obj)] if last[0]]
    if isinstance(obj, Application):
        change = obj.stage_changes.select_related("by").order_by("-at", "-id").first()
        if change:
            candidates.append((change.by.display_name, change.at))
    return max(candidates, key=lambda last: last[1]) if candidates else (None, None)


def _require_undecided(application: Application, what: str) -> None:
    if application.is_decided:
        raise ServiceError(
            f"This application was {application.get_stage_display().lower()}: "
            f"its {what} can no longer change."
        )


def _choice(value: str, choices: type[models.TextChoices], field: str, message: str) -> str:
    if value not in choices.values:
        raise ServiceError(message, field=field)
    return choices(value)


def _end_interim_orders(application: Application, *, on: datetime.date) -> list[int]:
    """s.5: an interim order "ceases to have effect, if it has not already done so, on the
    determination of the main application". Ends every interim order of the application still in
    force on ``on``."""
    in_force = Order.objects.select_for_update().filter(
        application=application,
        kind=Order.Kind.INTERIM,
        ended_on__isnull=True,
        made_on__lte=on,
        ends_on__gte=on,
    )
    ids = list(in_force.values_list("pk", flat=True))
    Order.objects.filter(pk__in=ids).update(ended_on=on, ended_reason="Main application decided")
    return ids


def _move(
    application: Application, *, by, to_stage: str, reason: str, on: datetime.date | None = None
) -> StageChange:
    """Change the stage of a locked application, with its StageChange. Deciding it ends its
    interim orders (on ``on``, default today)."""
    new: dict = {"stage": to_stage}
    if to_stage in Application.DECIDED:
        new["decided_at"] = timezone.now()
        _end_interim_orders(application, on=on or timezone.localdate())
    from_stage = application.stage
    Application.objects.filter(pk=application.pk).update(**new, version=F("version") + 1)
    application.refresh_from_db()
    return StageChange.objects.create(
        application=application, from_stage=from_stage, to_stage=to_stage, reason=reason, by=by
    )


def _people(people: Iterable) -> list:
    return list(dict.fromkeys(people))


# --- applications ------------------------------------------------------------------------------


@transaction.atomic
def application_start(
    *,
    case,
    by,
    defendant,
    protected_people: Iterable,
    kind: str = Application.Kind.ORDER,
    order: Order | None = None,
    applicant: str = Application.Applicant.POLICE,
    court: str = "",
    officer_in_case=None,
) -> Application:
    """Start an application on a case, prepared by ``by`` (the solicitor).

    s.1(1): "A chief officer of police may apply to a magistrates' court for a stalking
    protection order in respect of a person ('the defendant') ..." — an application for an order
    is brought by the police against someone the case names as a suspect.
    s.7(1): an application to vary, renew or discharge may be made by the defendant or the chief
    officer, so it concerns an order already made, on the same case; so does an appeal.
    """
    kind = _choice(kind, Application.Kind, "kind", "Choose what the application is for.")
    applicant = _choice(applicant, Application.Applicant, "applicant", "Choose who applies.")
    people = _people(protected_people)
    if kind == Application.Kind.ORDER:
        if order is not None:
            raise ServiceError(
                "An application for a new order does not concern an existing order.",
                field="order",
            )
        if applicant != Application.Applicant.POLICE:
            raise ServiceError(
                "Only the chief officer of police applies for an order (s.1(1)).",
                field="applicant",
            )
        if not case.suspects.filter(pk=defendant.pk).exists():
            raise ServiceError(
                "Choose the defendant from the suspects on this case.", field="defendant"
            )
    else:
        if order is None:
            raise ServiceError(
                f"Choose the order this {Application.Kind(kind).label.lower()} concerns.",
                field="order",
            )
        order = Order.objects.select_related("application").get(pk=order.pk)
        if order.application.case_id != case.pk:
            raise ServiceError("Choose an order made on this case.", field="order")
        if order.application.defendant_id != defendant.pk:
            raise ServiceError(
                "The defendant must be the person the order was made against.", field="defendant"
            )
    if not people:
        raise ServiceError(
            "Name at least one person the order would protect.", field="protected_people"
        )
    if any(person.pk == defendant.pk for person in people):
        raise ServiceError(
            "The defendant cannot be one of the people protected.", field="protected_people"
        )
    application = Application.objects.create(
        case=case,
        kind=kind,
        order=order,
        applicant=applicant,
        defendant=defendant,
        court=court.strip(),
        solicitor=by,
        officer_in_case=officer_in_case,
    )
    application.protected_people.set(people)
    StageChange.objects.create(
        application=application,
        from_stage="",
        to_stage=Stage.CONSIDERED,
        reason="Application started",
        by=by,
        at=application.created_at,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=application)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    by,
    version: int,
    court: str,
    acts_evidence: str,
    risk_evidence: str,
    necessity_evidence: str,
    officer_in_case,
    protected_people: Iterable,
) -> Application:
    """Change the details and the evidence for the three tests of s.1(1): (a) acts associated
    with stalking, (b) the risk of stalking, (c) why the order is necessary to protect."""
    current = locked(application, version, what="application", last_change=_last_changed_by)
    _require_undecided(current, "details")
    people = _people(protected_people)
    if not people:
        raise ServiceError(
            "Name at least one person the order would protect.", field="protected_people"
        )
    if any(person.pk == current.defendant_id for person in people):
        raise ServiceError(
            "The defendant cannot be one of the people protected.", field="protected_people"
        )
    new = {
        "court": court.strip(),
        "acts_evidence": acts_evidence.strip(),
        "risk_evidence": risk_evidence.strip(),
        "necessity_evidence": necessity_evidence.strip(),
        "officer_in_case_id": officer_in_case.pk if officer_in_case else None,
    }
    people_changed = {p.pk for p in people} != set(
        current.protected_people.values_list("pk", flat=True)
    )
    if people_changed:
        current.protected_people.set(people)
    changed = save_changes(current, new, also=["protected_people"] if people_changed else [])
    if not changed:
        return current
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


@transaction.atomic
def application_move(
    *, application: Application, by, to_stage: str, reason: str, version: int
) -> StageChange:
    """Move an application to another stage, with the reason.

    s.5: an interim order "ceases to have effect ... on the determination of the main
    application", so deciding the application ends every interim order of it still in force.
    Granting needs the full order (s.2, s.3) recorded first.
    """
    current = locked(application, version, what="application", last_change=_last_changed_by)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why the application is moving on.", field="reason")
    from_stage = Stage(current.stage)
    if to_stage not in ALLOWED_MOVES[from_stage]:
        to_label = Stage(to_stage).label if to_stage in Stage.values else to_stage
        raise ServiceError(
            f"An application cannot move from {from_stage.label} to {to_label}.", field="to_stage"
        )
    if to_stage == Stage.GRANTED and not current.orders.filter(kind=Order.Kind.FULL).exists():
        raise ServiceError("Record the full order first.", field="to_stage")
    change = _move(current, by=by, to_stage=Stage(to_stage), reason=reason)
    changed = ["stage", "decided_at"] if to_stage in Application.DECIDED else ["stage"]
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    application.refresh_from_db()
    return change


# --- orders and notifications ------------------------------------------------------------------


@transaction.atomic
def order_record(
    *,
    application: Application,
    by,
    kind: str,
    made_on: datetime.date,
    ends_on: datetime.date | None = None,
    until_further_order: bool = False,
) -> Order:
    """Record an order the court made on the application.

    Interim (s.5): for the fixed period the court sets; the application moves to "interim".
    Full (s.2): s.3(1) "A stalking protection order has effect for a fixed period specified in
    the order or until a further order is made"; s.3(2) "The fixed period must be at least 2
    years beginning with the day on which the order is made." Recording it decides the
    application (granted) and ends its interim orders (s.5: they last until the main
    application is determined).
    """
    kind = _choice(kind, Order.Kind, "kind", "Choose interim or full order.")
    current = lock_row(application)
    if current.stage in {Stage.WITHDRAWN, Stage.REFUSED}:
        raise ServiceError(
            f"This application was {current.get_stage_display().lower()}: "
            "no order can be recorded on it."
        )
    if current.stage == Stage.GRANTED:
        raise ServiceError("This application was granted: its full order is already recorded.")
    if current.stage not in _BEFORE_COURT:
        raise ServiceError("Record the application as applied to court before recording an order.")

    if kind == Order.Kind.INTERIM:
        if until_further_order:
            raise ServiceError(
                "Only a full order can last until further order: enter the date the interim "
                "order ends.",
                field="until_further_order",
            )
        if ends_on is None:
            raise ServiceError("Enter the date the interim order ends.", field="ends_on")
        if ends_on <= made_on:
            raise ServiceError(
                "The interim order must end after the day it was made.", field="ends_on"
            )
    else:
        if ends_on is None and not until_further_order:
            raise ServiceError(
                "Enter the date the order ends, or say it lasts until further order.",
                field="ends_on",
            )
        if ends_on is not None and until_further_order:
            raise ServiceError(
                "An order until further order has no end date: clear one or the other.",
                field="until_further_order",
            )
        if ends_on is not None:
            earliest = full_order_earliest_end(made_on)
            if ends_on < earliest:
                raise ServiceError(
                    "A full order must last at least 2 years beginning with the day it is made "
                    f"(s.3(2)): the earliest end date allowed is {_day(earliest)}.",
                    field="ends_on",
                )

    order = Order.objects.create(
        application=current,
        kind=kind,
        made_on=made_on,
        ends_on=ends_on,
        until_further_order=bool(until_further_order),
        recorded_by=by,
    )
    if kind == Order.Kind.INTERIM:
        if current.stage == Stage.APPLIED:
            _move(current, by=by, to_stage=Stage.INTERIM, reason="Interim order made")
    else:
        _move(current, by=by, to_stage=Stage.GRANTED, reason="Full order made", on=made_on)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=order)
    application.refresh_from_db()
    return order


@transaction.atomic
def order_served(*, order: Order, by, served_on: datetime.date) -> Notification | None:
    """Record the day the order was served on the defendant, and start the notification.

    s.9(1): the defendant must notify their names and home address "within the period of 3
    days beginning with the date on which the order is served". Except, s.9(1)(a): not when a
    full order replaces an interim order and the defendant has already notified under the
    interim order. Returns the notification started, or None.
    """
    current = Order.objects.select_for_update().get(pk=order.pk)
    if current.served_on is not None:
        raise ServiceError(
            f"This order was already recorded as served on {_day(current.served_on)}.",
            field="served_on",
        )
    if served_on < current.made_on:
        raise ServiceError(
            f"An order cannot be served before it is made ({_day(current.made_on)}).",
            field="served_on",
        )
    Order.objects.filter(pk=current.pk).update(served_on=served_on)
    current.refresh_from_db()
    order.served_on = served_on

    notification = None
    replaces_notified_interim = (
        current.kind == Order.Kind.FULL
        and Notification.objects.filter(
            order__application_id=current.application_id,
            order__kind=Order.Kind.INTERIM,
            kind=Notification.Kind.INITIAL,
            received_on__isnull=False,
        ).exists()
    )
    if not replaces_notified_interim:
        notification = Notification.objects.create(
            order=current,
            kind=Notification.Kind.INITIAL,
            starts_on=served_on,
            due_on=notification_due(served_on),
            recorded_by=by,
        )
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=["served_on"])
    return notification


@transaction.atomic
def notification_add(*, order: Order, by, kind: str, starts_on: datetime.date) -> Notification:
    """A new name or new home address the defendant must notify.

    s.9(3)-(4): "within the period of 3 days beginning with the date on which that happens".
    """
    if kind not in {Notification.Kind.NEW_NAME, Notification.Kind.NEW_ADDRESS}:
        raise ServiceError("Choose a new name or a new home address.", field="kind")
    if starts_on < order.made_on:
        raise ServiceError(
            f"The change must be on or after the day the order was made ({_day(order.made_on)}).",
            field="starts_on",
        )
    notification = Notification.objects.create(
        order=order,
        kind=Notification.Kind(kind),
        starts_on=starts_on,
        due_on=notification_due(starts_on),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=notification)
    return notification


@transaction.atomic
def notification_record(
    *,
    notification: Notification,
    by,
    version: int,
    received_on: datetime.date | None,
    details: str,
    acknowledged_on: datetime.date | None,
) -> Notification:
    """Record what the defendant notified (in person at a police station, s.10) and the police's
    acknowledgement, which s.10 requires in writing and which follows receipt."""
    current = locked(notification, version, what="notification", last_change=_last_changed_by)
    if acknowledged_on is not None:
        if received_on is None:
            raise ServiceError(
                "Enter the date the notification was received before its acknowledgement.",
                field="acknowledged_on",
            )
        if acknowledged_on < received_on:
            raise ServiceError(
                "The acknowledgement cannot be before the notification was received.",
                field="acknowledged_on",
            )
    changed = save_changes(
        current,
        {
            "received_on": received_on,
            "details": details.strip(),
            "acknowledged_on": acknowledged_on,
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


# --- conditions --------------------------------------------------------------------------------


@transaction.atomic
def condition_add(*, application: Application, by, kind: str, text: str) -> Condition:
    """Add a prohibition or requirement the order would impose (s.2), last of its kind."""
    kind = _choice(kind, Condition.Kind, "kind", "Choose prohibition or requirement.")
    # Locking the application makes two adds at once take different positions.
    current = lock_row(application)
    _require_undecided(current, "conditions")
    text = text.strip()
    if not text:
        raise ServiceError("Enter the wording of the condition.", field="text")
    last = current.conditions.filter(kind=kind).aggregate(last=Max("position"))["last"] or 0
    condition = Condition.objects.create(
        application=current, kind=kind, text=text, position=last + 1
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=condition)
    return condition


@transaction.atomic
def condition_update(*, condition: Condition, by, version: int, text: str) -> Condition:
    """Reword a condition of an application not yet decided."""
    current = locked(condition, version, what="condition", last_change=_last_changed_by)
    _require_undecided(current.application, "conditions")
    text = text.strip()
    if not text:
        raise ServiceError("Enter the wording of the condition.", field="text")
    changed = save_changes(current, {"text": text})
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


@transaction.atomic
def condition_remove(*, condition: Condition, by) -> None:
    """Take a condition out of an application not yet decided (an alteration of the
    application: the condition was never an order)."""
    application = lock_row(condition.application)
    _require_undecided(application, "conditions")
    Condition.objects.filter(pk=condition.pk).delete()
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=application,
        changed_fields=["conditions"],
    )


@transaction.atomic
def condition_move(*, condition: Condition, by, direction: str) -> None:
    """Swap a condition with its neighbour of the same kind, "up" or "down"; at the end of the
    list nothing happens."""
    if direction not in {"up", "down"}:
        raise ServiceError("Move a condition up or down.", field="direction")
    application = lock_row(condition.application)
    _require_undecided(application, "conditions")
    siblings = list(
        Condition.objects.select_for_update()
        .filter(application=application, kind=condition.kind)
        .order_by("position", "id")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == condition.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return
    this, other = siblings[index], siblings[other_index]
    # Positions may tie (added at once elsewhere); the list order decides, so renumber the two.
    first, second = sorted([this.position, other.position])
    if first == second:
        second = first + 1
    if direction == "up":
        this_position, other_position = first, second
    else:
        other_position, this_position = first, second
    Condition.objects.filter(pk=this.pk).update(position=this_position)
    Condition.objects.filter(pk=other.pk).update(position=other_position)
    condition.position = this_position
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=this, changed_fields=["position"])


# --- hearings ----------------------------------------------------------------------------------


def _check_hearing(*, kind: str, court: str, starts_at: datetime.datetime) -> str:
    kind = _choice(kind, Hearing.Kind, "kind", "Choose the kind of hearing.")
    if not court.strip():
        raise ServiceError("Enter the court.", field="court")
    if starts_at is None or timezone.is_naive(starts_at):
        raise ServiceError("Enter the date and time of the hearing.", field="starts_at")
    return kind


@transaction.atomic
def hearing_add(
    *,
    application: Application,
    by,
    kind: str,
    court: str,
    starts_at: datetime.datetime,
    notes: str = "",
) -> Hearing:
    """Add a court hearing of the application."""
    kind = _check_hearing(kind=kind, court=court, starts_at=starts_at)
    hearing = Hearing.objects.create(
        application=application,
        kind=kind,
        court=court.strip(),
        starts_at=starts_at,
        notes=notes.strip(),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=hearing)
    return hearing


@transaction.atomic
def hearing_update(
    *,
    hearing: Hearing,
    by,
    version: int,
    kind: str,
    court: str,
    starts_at: datetime.datetime,
    outcome: str,
    notes: str,
) -> Hearing:
    """Change a hearing (moved, adjourned) or record its outcome."""
    current = locked(hearing, version, what="hearing", last_change=_last_changed_by)
    kind = _check_hearing(kind=kind, court=court, starts_at=starts_at)
    outcome = _choice(outcome or "", Hearing.Outcome, "outcome", "Choose the outcome.")
    changed = save_changes(
        current,
        {
            "kind": kind,
            "court": court.strip(),
            "starts_at": starts_at,
            "outcome": outcome,
            "notes": notes.strip(),
        },
    )
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current


# --- breaches ----------------------------------------------------------------------------------


@transaction.atomic
def breach_record(
    *,
    order: Order,
    by,
    occurred_on: datetime.date,
    description: str,
    log_ref: str = "",
    action_taken: str = "",
) -> Breach:
    """Record a breach of an order. s.8(1): "A person who, without reasonable excuse, breaches a
    stalking protection order is guilty of an offence." An order cannot be breached before it
    is made, nor a breach recorded before it happens."""
    if occurred_on < order.made_on:
        raise ServiceError(
            f"A breach cannot be before the order was made ({_day(order.made_on)}).",
            field="occurred_on",
        )
    if occurred_on > timezone.localdate():
        raise ServiceError("The breach date cannot be in the future.", field="occurred_on")
    description = description.strip()
    if not description:
        raise ServiceError("Describe what happened.", field="description")
    breach = Breach.objects.create(
        order=order,
        occurred_on=occurred_on,
        description=description,
        log_ref=log_ref.strip(),
        action_taken=action_taken.strip(),
        recorded_by=by,
    )
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=breach)
    return breach


@transaction.atomic
def breach_outcome(
    *, breach: Breach, by, version: int, outcome: str, outcome_recorded_on: datetime.date | None
) -> Breach:
    """Record what came of a breach (charge, caution, conviction, no further action, ...).
    Without a date, today."""
    current = locked(breach, version, what="breach", last_change=_last_changed_by)
    outcome = outcome.strip()
    if not outcome:
        raise ServiceError("Enter the outcome.", field="outcome")
    recorded_on = outcome_recorded_on or timezone.localdate()
    if recorded_on < current.occurred_on:
        raise ServiceError(
            "The outcome cannot be recorded before the breach happened.",
            field="outcome_recorded_on",
        )
    changed = save_changes(current, {"outcome": outcome, "outcome_recorded_on": recorded_on})
    if changed:
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    return current
