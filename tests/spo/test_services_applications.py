"""The SPO services of applications and their stages (spo/services/applications.py): starting
one (s.1(1), s.7(1)), its details and evidence, and the moves between stages (s.5)."""

import datetime

import pytest
from django.utils import timezone

from spo.models import Application, Order, StageChange
from spo.services import applications
from spo.services.applications import ALLOWED_MOVES
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..factories import UserFactory
from ..referrals.factories import CaseFactory, PersonFactory
from .factories import (
    ApplicationFactory,
    OrderFactory,
    at_stage,
    audit_events,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


def move(application, by, to_stage, reason="Because"):
    application.refresh_from_db()
    return applications.application_move(
        application=application,
        by=by,
        to_stage=to_stage,
        reason=reason,
        version=application.version,
    )


# --- application_start ---------------------------------------------------------------------------


def test_start_application_against_a_suspect_records_stage_and_audit(solicitor):
    case = CaseFactory()
    suspect = case.suspects.get()
    officer = UserFactory(roles=["officer"])

    application = applications.application_start(
        case=case,
        by=solicitor,
        defendant=suspect,
        protected_people=[case.victim],
        court="Gloucestershire Magistrates' Court",
        officer_in_case=officer,
    )

    assert application.solicitor == solicitor
    assert application.stage == Stage.CONSIDERED
    assert application.kind == Application.Kind.ORDER
    assert application.officer_in_case == officer
    assert list(application.protected_people.all()) == [case.victim]
    change = application.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.reason) == (
        "",
        Stage.CONSIDERED,
        "Application started",
    )
    assert audit_events(application, AuditEvent.Action.COLLECTION).count() == 1


def test_start_refuses_a_defendant_who_is_not_a_suspect_on_the_case(solicitor):
    case = CaseFactory()
    with pytest.raises(ServiceError) as error:
        applications.application_start(
            case=case, by=solicitor, defendant=PersonFactory(), protected_people=[case.victim]
        )
    assert error.value.field == "defendant"
    assert not Application.objects.exists()


def test_start_refuses_no_protected_people(solicitor):
    case = CaseFactory()
    with pytest.raises(ServiceError) as error:
        applications.application_start(
            case=case, by=solicitor, defendant=case.suspects.get(), protected_people=[]
        )
    assert error.value.field == "protected_people"


@pytest.mark.parametrize(
    "kind",
    [
        Application.Kind.VARIATION,
        Application.Kind.RENEWAL,
        Application.Kind.DISCHARGE,
        Application.Kind.APPEAL,
    ],
)
def test_variation_renewal_discharge_appeal_need_an_order(solicitor, kind):
    case = CaseFactory()
    with pytest.raises(ServiceError) as error:
        applications.application_start(
            case=case,
            by=solicitor,
            kind=kind,
            defendant=case.suspects.get(),
            protected_people=[case.victim],
        )
    assert error.value.field == "order"


def test_variation_of_an_order_on_the_same_case_by_the_defendant(solicitor):
    order = OrderFactory(kind=Order.Kind.FULL, ends_on=None, until_further_order=True)
    first = order.application

    variation = applications.application_start(
        case=first.case,
        by=solicitor,
        kind=Application.Kind.VARIATION,
        order=order,
        applicant=Application.Applicant.DEFENDANT,
        defendant=first.defendant,
        protected_people=[first.case.victim],
    )

    assert variation.order == order
    assert variation.applicant == Application.Applicant.DEFENDANT


def test_variation_refuses_an_order_from_another_case(solicitor):
    order = OrderFactory(kind=Order.Kind.FULL, ends_on=None, until_further_order=True)
    case = CaseFactory()
    with pytest.raises(ServiceError) as error:
        applications.application_start(
            case=case,
            by=solicitor,
            kind=Application.Kind.RENEWAL,
            order=order,
            defendant=case.suspects.get(),
            protected_people=[case.victim],
        )
    assert error.value.field == "order"


# --- application_update --------------------------------------------------------------------------


def test_update_changes_evidence_and_people_and_moves_the_version(solicitor):
    application = ApplicationFactory()
    other = PersonFactory()

    updated = applications.application_update(
        application=application,
        by=solicitor,
        version=1,
        court="Cheltenham Magistrates' Court",
        acts_evidence="Followed her home.",
        risk_evidence="Escalating.",
        necessity_evidence="Nothing else worked.",
        officer_in_case=None,
        protected_people=[application.case.victim, other],
    )

    assert updated.version == 2
    assert updated.court == "Cheltenham Magistrates' Court"
    assert updated.acts_evidence == "Followed her home."
    assert set(updated.protected_people.all()) == {application.case.victim, other}
    event = audit_events(application, AuditEvent.Action.ALTERATION).get()
    assert "protected_people" in event.changed_fields
    assert "acts_evidence" in event.changed_fields


def _update(application, by, version, **overrides):
    values = {
        "court": application.court,
        "acts_evidence": "New acts",
        "risk_evidence": application.risk_evidence,
        "necessity_evidence": application.necessity_evidence,
        "officer_in_case": None,
        "protected_people": [application.case.victim],
    }
    values.update(overrides)
    return applications.application_update(
        application=application, by=by, version=version, **values
    )


def test_update_by_a_second_user_with_an_old_version_is_refused_and_names_the_first(
    solicitor, colleague
):
    application = ApplicationFactory()
    _update(application, colleague, 1)

    with pytest.raises(ChangedByAnotherUser) as error:
        _update(application, solicitor, 1, acts_evidence="Mine")

    assert error.value.by == colleague.display_name
    assert colleague.display_name in error.value.message
    application.refresh_from_db()
    assert application.acts_evidence == "New acts"


def test_update_of_a_decided_application_is_refused(solicitor):
    application = at_stage(Stage.REFUSED)
    with pytest.raises(ServiceError) as error:
        _update(application, solicitor, application.version)
    assert error.value.field is None


# --- application_move ----------------------------------------------------------------------------

ALL_MOVES = [(a, b) for a, targets in ALLOWED_MOVES.items() for b in sorted(targets)]


def test_allowed_moves_are_exactly_the_workflow():
    expected = {
        "considered": {"drafting", "withdrawn"},
        "drafting": {"legal_review", "considered", "withdrawn"},
        "legal_review": {"applied", "drafting", "withdrawn"},
        "applied": {"interim", "full_hearing", "granted", "refused", "withdrawn"},
        "interim": {"full_hearing", "granted", "refused", "withdrawn"},
        "full_hearing": {"granted", "refused", "withdrawn"},
        "granted": set(),
        "refused": set(),
        "withdrawn": set(),
    }
    assert expected == ALLOWED_MOVES


@pytest.mark.parametrize(("from_stage", "to_stage"), ALL_MOVES)
def test_every_allowed_move_is_made_and_recorded(solicitor, from_stage, to_stage):
    application = at_stage(from_stage)
    if to_stage == Stage.GRANTED:
        OrderFactory(
            application=application,
            kind=Order.Kind.FULL,
            ends_on=None,
            until_further_order=True,
        )

    change = move(application, solicitor, to_stage, reason="Agreed at review")

    application.refresh_from_db()
    assert application.stage == to_stage
    assert application.version == 2
    assert (change.from_stage, change.to_stage, change.reason, change.by) == (
        from_stage,
        to_stage,
        "Agreed at review",
        solicitor,
    )
    assert (application.decided_at is not None) == (to_stage in Application.DECIDED)
    assert audit_events(application, AuditEvent.Action.ALTERATION).count() == 1


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        (Stage.CONSIDERED, Stage.APPLIED),
        (Stage.DRAFTING, Stage.GRANTED),
        (Stage.FULL_HEARING, Stage.INTERIM),
        (Stage.GRANTED, Stage.DRAFTING),
        (Stage.REFUSED, Stage.APPLIED),
        (Stage.WITHDRAWN, Stage.CONSIDERED),
    ],
)
def test_a_move_not_allowed_is_refused_naming_both_stages(solicitor, from_stage, to_stage):
    application = at_stage(from_stage)
    with pytest.raises(ServiceError) as error:
        move(application, solicitor, to_stage)
    assert error.value.field == "to_stage"
    assert Stage(from_stage).label in error.value.message
    assert Stage(to_stage).label in error.value.message
    application.refresh_from_db()
    assert application.stage == from_stage
    assert not StageChange.objects.filter(application=application).exists()


def test_move_needs_a_reason(solicitor):
    application = at_stage(Stage.CONSIDERED)
    with pytest.raises(ServiceError) as error:
        move(application, solicitor, Stage.DRAFTING, reason="  ")
    assert error.value.field == "reason"


def test_move_to_granted_needs_the_full_order_recorded(solicitor):
    application = at_stage(Stage.FULL_HEARING)
    OrderFactory(application=application)  # an interim order is not enough
    with pytest.raises(ServiceError) as error:
        move(application, solicitor, Stage.GRANTED)
    assert error.value.field == "to_stage"
    assert "Record the full order first" in error.value.message


def test_move_with_an_old_version_is_refused(solicitor, colleague):
    application = at_stage(Stage.CONSIDERED)
    move(application, colleague, Stage.DRAFTING)
    with pytest.raises(ChangedByAnotherUser) as error:
        applications.application_move(
            application=application,
            by=solicitor,
            to_stage=Stage.WITHDRAWN,
            reason="No longer needed",
            version=1,
        )
    assert error.value.by == colleague.display_name
    application.refresh_from_db()
    assert application.stage == Stage.DRAFTING


@pytest.mark.parametrize("decision", [Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN])
def test_deciding_the_application_ends_its_interim_orders_in_force(solicitor, decision):
    today = timezone.localdate()
    application = at_stage(Stage.INTERIM)
    in_force = OrderFactory(application=application, made_on=today - datetime.timedelta(days=7))
    expired = OrderFactory(
        application=application,
        made_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=30),
    )
    if decision == Stage.GRANTED:
        OrderFactory(
            application=application, kind=Order.Kind.FULL, ends_on=None, until_further_order=True
        )

    move(application, solicitor, decision)

    in_force.refresh_from_db()
    expired.refresh_from_db()
    assert in_force.ended_on == today
    assert in_force.ended_reason == "Main application decided"
    assert not in_force.in_force_on(today)
    assert expired.ended_on is None


def test_interim_orders_of_another_application_are_not_ended(solicitor):
    application = at_stage(Stage.INTERIM)
    other = OrderFactory()
    move(application, solicitor, Stage.WITHDRAWN)
    other.refresh_from_db()
    assert other.ended_on is None
