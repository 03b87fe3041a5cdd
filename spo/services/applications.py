"""Applications and their stages: starting an application, its details and the evidence for the
three tests, and moving it from stage to stage.

s.1(1): "A chief officer of police may apply to a magistrates' court for a stalking protection
order in respect of a person ('the defendant') ..." — an application for an order is brought by
the police against someone the case names as a suspect; the court must be satisfied of the three
tests: (a) acts associated with stalking, (b) the risk of stalking, (c) why the order is
necessary to protect.
s.7(1): an application to vary, renew or discharge may be made by the defendant or the chief
officer, so it concerns an order already made, on the same case; so does an appeal. A decided
application (granted, refused, withdrawn) is final: a change to the order is a new application.
s.5: an interim order "ceases to have effect, if it has not already done so, on the
determination of the main application", so deciding an application ends its interim orders.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ServiceError, locked, one_of, save_changes

from ..models import Application, Order, StageChange
from .refusals import last_change, require_undecided

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
BEFORE_COURT = frozenset({Stage.APPLIED, Stage.INTERIM, Stage.FULL_HEARING})


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


def application_stage_set(
    *, application: Application, by, to_stage: str, reason: str, on: datetime.date | None = None
) -> StageChange:
    """Change the stage of a locked application, with its StageChange. Deciding it ends its
    interim orders (on ``on``, default today). Not a service: the caller holds the lock and
    records the act (``application_move``, and ``orders.order_record`` when the court decides)."""
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
    kind = one_of(kind, Application.Kind, "kind", "Choose what the application is for.")
    applicant = one_of(applicant, Application.Applicant, "applicant", "Choose who applies.")
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
    _check_protected(people, defendant_id=defendant.pk)
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


def _check_protected(people: list, *, defendant_id: int) -> None:
    if not people:
        raise ServiceError(
            "Name at least one person the order would protect.", field="protected_people"
        )
    if any(person.pk == defendant_id for person in people):
        raise ServiceError(
            "The defendant cannot be one of the people protected.", field="protected_people"
        )


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
    current = locked(application, version, what="application", last_change=last_change)
    require_undecided(current, "details")
    people = _people(protected_people)
    _check_protected(people, defendant_id=current.defendant_id)
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
    current = locked(application, version, what="application", last_change=last_change)
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
    change = application_stage_set(
        application=current, by=by, to_stage=Stage(to_stage), reason=reason
    )
    changed = ["stage", "decided_at"] if to_stage in Application.DECIDED else ["stage"]
    record(actor=by, action=AuditEvent.Action.ALTERATION, obj=current, changed_fields=changed)
    application.refresh_from_db()
    return change
