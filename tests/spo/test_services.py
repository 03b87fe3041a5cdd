"""The SPO services: the rules of the Stalking Protection Act 2019 and of the clinic."""

import datetime

import pytest
from django.utils import timezone

from spo import services
from spo.models import Application, Breach, Condition, Hearing, Notification, Order, StageChange
from spo.services import ALLOWED_MOVES
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..factories import UserFactory
from ..referrals.factories import CaseFactory, PersonFactory
from .factories import (
    ApplicationFactory,
    BreachFactory,
    ConditionFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


@pytest.fixture
def solicitor():
    return UserFactory(roles=["solicitor"], first_name="Sam", last_name="Solicitor")


@pytest.fixture
def colleague():
    return UserFactory(roles=["solicitor"], first_name="Chris", last_name="Colleague")


def audit_events(obj, action):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


def at_stage(stage, **kwargs):
    return ApplicationFactory(stage=stage, **kwargs)


def move(application, by, to_stage, reason="Because"):
    application.refresh_from_db()
    return services.application_move(
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

    application = services.application_start(
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
        services.application_start(
            case=case, by=solicitor, defendant=PersonFactory(), protected_people=[case.victim]
        )
    assert error.value.field == "defendant"
    assert not Application.objects.exists()


def test_start_refuses_no_protected_people(solicitor):
    case = CaseFactory()
    with pytest.raises(ServiceError) as error:
        services.application_start(
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
        services.application_start(
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

    variation = services.application_start(
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
        services.application_start(
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

    updated = services.application_update(
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
    return services.application_update(application=application, by=by, version=version, **values)


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
        services.application_move(
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


# --- order_record --------------------------------------------------------------------------------


def test_interim_order_moves_an_applied_application_to_interim(solicitor):
    application = at_stage(Stage.APPLIED)
    order = services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.INTERIM,
        made_on=D(2026, 3, 2),
        ends_on=D(2026, 3, 30),
    )
    application.refresh_from_db()
    assert order.recorded_by == solicitor
    assert application.stage == Stage.INTERIM
    change = application.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.reason) == (
        Stage.APPLIED,
        Stage.INTERIM,
        "Interim order made",
    )
    assert audit_events(order, AuditEvent.Action.COLLECTION).count() == 1


def test_a_second_interim_order_keeps_the_stage(solicitor):
    application = at_stage(Stage.FULL_HEARING)
    services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.INTERIM,
        made_on=D(2026, 3, 2),
        ends_on=D(2026, 3, 30),
    )
    application.refresh_from_db()
    assert application.stage == Stage.FULL_HEARING
    assert not application.stage_changes.exists()


@pytest.mark.parametrize("ends_on", [None, D(2026, 3, 2), D(2026, 3, 1)])
def test_interim_order_needs_an_end_after_it_was_made(solicitor, ends_on):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.INTERIM,
            made_on=D(2026, 3, 2),
            ends_on=ends_on,
        )
    assert error.value.field == "ends_on"


@pytest.mark.parametrize("stage", [Stage.CONSIDERED, Stage.DRAFTING, Stage.LEGAL_REVIEW])
def test_interim_order_needs_an_application_before_the_court(solicitor, stage):
    application = at_stage(stage)
    with pytest.raises(ServiceError):
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.INTERIM,
            made_on=D(2026, 3, 2),
            ends_on=D(2026, 3, 30),
        )
    assert not Order.objects.exists()


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.REFUSED])
@pytest.mark.parametrize("kind", [Order.Kind.INTERIM, Order.Kind.FULL])
def test_no_order_on_a_withdrawn_or_refused_application(solicitor, stage, kind):
    application = at_stage(stage)
    with pytest.raises(ServiceError):
        services.order_record(
            application=application,
            by=solicitor,
            kind=kind,
            made_on=D(2026, 3, 2),
            ends_on=D(2028, 3, 1) if kind == Order.Kind.FULL else D(2026, 3, 30),
        )
    assert not Order.objects.exists()


def test_full_order_of_exactly_two_years_is_accepted_and_grants(solicitor):
    application = at_stage(Stage.INTERIM)
    interim = OrderFactory(application=application, made_on=D(2026, 4, 1), ends_on=D(2026, 6, 1))

    order = services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 5, 10),
        ends_on=D(2028, 5, 9),
    )

    application.refresh_from_db()
    interim.refresh_from_db()
    assert order.ends_on == D(2028, 5, 9)
    assert application.stage == Stage.GRANTED
    assert application.decided_at is not None
    assert application.stage_changes.get().to_stage == Stage.GRANTED
    # s.5: the interim order ends the day the main application is determined.
    assert interim.ended_on == D(2026, 5, 10)
    assert interim.ended_reason == "Main application decided"


def test_full_order_one_day_short_of_two_years_is_refused_with_the_earliest_date(solicitor):
    application = at_stage(Stage.FULL_HEARING)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.FULL,
            made_on=D(2026, 5, 10),
            ends_on=D(2028, 5, 8),
        )
    assert error.value.field == "ends_on"
    assert "9 May 2028" in error.value.message
    application.refresh_from_db()
    assert application.stage == Stage.FULL_HEARING


def test_full_order_made_on_29_february_may_end_on_28_february_two_years_on(solicitor):
    application = at_stage(Stage.APPLIED)
    order = services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2028, 2, 29),
        ends_on=D(2030, 2, 28),
    )
    assert order.ends_on == D(2030, 2, 28)


def test_full_order_made_on_29_february_may_not_end_on_27_february(solicitor):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.FULL,
            made_on=D(2028, 2, 29),
            ends_on=D(2030, 2, 27),
        )
    assert "28 February 2030" in error.value.message


def test_full_order_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    order = services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 5, 10),
        until_further_order=True,
    )
    assert order.until_further_order
    assert order.ends_on is None


def test_full_order_needs_an_end_date_or_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application, by=solicitor, kind=Order.Kind.FULL, made_on=D(2026, 5, 10)
        )
    assert error.value.field == "ends_on"


def test_full_order_cannot_have_both_an_end_date_and_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.FULL,
            made_on=D(2026, 5, 10),
            ends_on=D(2030, 1, 1),
            until_further_order=True,
        )
    assert error.value.field == "until_further_order"


def test_interim_order_cannot_be_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        services.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.INTERIM,
            made_on=D(2026, 5, 10),
            until_further_order=True,
        )
    assert error.value.field == "until_further_order"


# --- order_served and notifications -------------------------------------------------------------


def test_serving_an_order_starts_the_initial_notification(solicitor):
    order = OrderFactory(made_on=D(2026, 1, 30), ends_on=D(2026, 3, 1))

    notification = services.order_served(order=order, by=solicitor, served_on=D(2026, 1, 31))

    order.refresh_from_db()
    assert order.served_on == D(2026, 1, 31)
    assert notification.kind == Notification.Kind.INITIAL
    assert notification.starts_on == D(2026, 1, 31)
    assert notification.due_on == D(2026, 2, 2)
    assert notification.recorded_by == solicitor


@pytest.mark.parametrize(
    ("served_on", "due_on"),
    [
        (D(2026, 3, 28), D(2026, 3, 30)),  # clocks go forward on Sunday 29 March 2026
        (D(2026, 10, 24), D(2026, 10, 26)),  # clocks go back on Sunday 25 October 2026
        (D(2026, 12, 31), D(2027, 1, 2)),
    ],
)
def test_notification_deadline_over_clock_changes_and_year_end(solicitor, served_on, due_on):
    order = OrderFactory(made_on=D(2026, 3, 1), ends_on=D(2027, 6, 1))
    notification = services.order_served(order=order, by=solicitor, served_on=served_on)
    assert notification.due_on == due_on


def test_an_order_cannot_be_served_before_it_was_made(solicitor):
    order = OrderFactory(made_on=D(2026, 3, 2), ends_on=D(2026, 4, 1))
    with pytest.raises(ServiceError) as error:
        services.order_served(order=order, by=solicitor, served_on=D(2026, 3, 1))
    assert error.value.field == "served_on"
    assert not Notification.objects.exists()


def test_an_order_is_served_once(solicitor):
    order = OrderFactory(made_on=D(2026, 3, 2), ends_on=D(2026, 4, 1))
    services.order_served(order=order, by=solicitor, served_on=D(2026, 3, 2))
    with pytest.raises(ServiceError) as error:
        services.order_served(order=order, by=solicitor, served_on=D(2026, 3, 3))
    assert error.value.field == "served_on"
    assert Notification.objects.count() == 1


def _full_order_after_interim(solicitor, *, interim_notified: bool):
    application = at_stage(Stage.INTERIM)
    interim = OrderFactory(application=application, made_on=D(2026, 3, 2), ends_on=D(2026, 5, 1))
    notification = services.order_served(order=interim, by=solicitor, served_on=D(2026, 3, 2))
    if interim_notified:
        services.notification_record(
            notification=notification,
            by=solicitor,
            version=notification.version,
            received_on=D(2026, 3, 3),
            details="Names and address as known.",
            acknowledged_on=D(2026, 3, 4),
        )
    return services.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 4, 20),
        until_further_order=True,
    )


def test_full_order_replacing_an_interim_order_already_notified_needs_no_notification(solicitor):
    """s.9(1)(a): no new notification when the defendant already notified under the interim."""
    full = _full_order_after_interim(solicitor, interim_notified=True)

    result = services.order_served(order=full, by=solicitor, served_on=D(2026, 4, 21))

    assert result is None
    assert not full.notifications.exists()
    full.refresh_from_db()
    assert full.served_on == D(2026, 4, 21)


def test_full_order_replacing_an_interim_order_not_notified_needs_a_notification(solicitor):
    full = _full_order_after_interim(solicitor, interim_notified=False)
    result = services.order_served(order=full, by=solicitor, served_on=D(2026, 4, 21))
    assert result is not None
    assert result.due_on == D(2026, 4, 23)


@pytest.mark.parametrize("kind", [Notification.Kind.NEW_NAME, Notification.Kind.NEW_ADDRESS])
def test_new_name_or_address_is_due_within_3_days_of_the_change(solicitor, kind):
    order = OrderFactory(made_on=D(2026, 1, 2), ends_on=D(2026, 3, 1))
    notification = services.notification_add(
        order=order, by=solicitor, kind=kind, starts_on=D(2026, 1, 31)
    )
    assert notification.kind == kind
    assert notification.due_on == D(2026, 2, 2)
    assert audit_events(notification, AuditEvent.Action.COLLECTION).count() == 1


def test_notification_add_refuses_an_initial_notification(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        services.notification_add(
            order=order, by=solicitor, kind=Notification.Kind.INITIAL, starts_on=order.made_on
        )
    assert error.value.field == "kind"


def test_notification_record_with_acknowledgement(solicitor):
    notification = NotificationFactory(starts_on=D(2026, 3, 2))
    updated = services.notification_record(
        notification=notification,
        by=solicitor,
        version=1,
        received_on=D(2026, 3, 3),
        details="Uses the name J. Smith; lives at 1 High Street.",
        acknowledged_on=D(2026, 3, 3),
    )
    assert updated.received_on == D(2026, 3, 3)
    assert updated.acknowledged_on == D(2026, 3, 3)
    assert updated.version == 2
    assert audit_events(updated, AuditEvent.Action.ALTERATION).count() == 1


def test_acknowledgement_needs_the_notification_received(solicitor):
    notification = NotificationFactory()
    with pytest.raises(ServiceError) as error:
        services.notification_record(
            notification=notification,
            by=solicitor,
            version=1,
            received_on=None,
            details="",
            acknowledged_on=D(2026, 3, 3),
        )
    assert error.value.field == "acknowledged_on"


def test_acknowledgement_cannot_be_before_receipt(solicitor):
    notification = NotificationFactory()
    with pytest.raises(ServiceError) as error:
        services.notification_record(
            notification=notification,
            by=solicitor,
            version=1,
            received_on=D(2026, 3, 3),
            details="",
            acknowledged_on=D(2026, 3, 2),
        )
    assert error.value.field == "acknowledged_on"


def test_notification_record_with_an_old_version_is_refused(solicitor, colleague):
    notification = NotificationFactory()
    services.notification_record(
        notification=notification,
        by=colleague,
        version=1,
        received_on=D(2026, 3, 3),
        details="First",
        acknowledged_on=None,
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        services.notification_record(
            notification=notification,
            by=solicitor,
            version=1,
            received_on=D(2026, 3, 4),
            details="Second",
            acknowledged_on=None,
        )
    assert error.value.by == colleague.display_name
    notification.refresh_from_db()
    assert notification.details == "First"


# --- conditions ----------------------------------------------------------------------------------


def test_conditions_are_numbered_within_their_kind(solicitor):
    application = ApplicationFactory()
    p1 = services.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text="No contact"
    )
    r1 = services.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.REQUIREMENT, text="Programme"
    )
    p2 = services.condition_add(
        application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text="No zone"
    )
    assert (p1.position, p2.position, r1.position) == (1, 2, 1)
    assert audit_events(p1, AuditEvent.Action.COLLECTION).count() == 1


def test_condition_needs_text(solicitor):
    application = ApplicationFactory()
    with pytest.raises(ServiceError) as error:
        services.condition_add(
            application=application, by=solicitor, kind=Condition.Kind.PROHIBITION, text=" "
        )
    assert error.value.field == "text"


def _texts(application, kind=Condition.Kind.PROHIBITION):
    return list(application.conditions.filter(kind=kind).values_list("text", flat=True))


def _three_conditions(application):
    for text in ["A", "B", "C"]:
        ConditionFactory(application=application, text=text, position=ord(text) - 64)
    ConditionFactory(application=application, kind=Condition.Kind.REQUIREMENT, text="R", position=1)


def test_condition_move_up_and_down_swaps_with_its_neighbour(solicitor):
    application = ApplicationFactory()
    _three_conditions(application)
    b = application.conditions.get(text="B")

    services.condition_move(condition=b, by=solicitor, direction="up")
    assert _texts(application) == ["B", "A", "C"]

    services.condition_move(
        condition=application.conditions.get(text="A"), by=solicitor, direction="down"
    )
    assert _texts(application) == ["B", "C", "A"]
    assert _texts(application, Condition.Kind.REQUIREMENT) == ["R"]


def test_condition_move_at_an_end_does_nothing(solicitor):
    application = ApplicationFactory()
    _three_conditions(application)
    services.condition_move(
        condition=application.conditions.get(text="A"), by=solicitor, direction="up"
    )
    services.condition_move(
        condition=application.conditions.get(text="C"), by=solicitor, direction="down"
    )
    services.condition_move(
        condition=application.conditions.get(text="R"), by=solicitor, direction="up"
    )
    assert _texts(application) == ["A", "B", "C"]


def test_condition_update_and_version_conflict(solicitor, colleague):
    condition = ConditionFactory(text="Old")
    updated = services.condition_update(condition=condition, by=colleague, version=1, text="New")
    assert (updated.text, updated.version) == ("New", 2)
    with pytest.raises(ChangedByAnotherUser) as error:
        services.condition_update(condition=condition, by=solicitor, version=1, text="Mine")
    assert error.value.by == colleague.display_name
    condition.refresh_from_db()
    assert condition.text == "New"


def test_condition_remove(solicitor):
    condition = ConditionFactory()
    application = condition.application
    services.condition_remove(condition=condition, by=solicitor)
    assert not application.conditions.exists()
    assert audit_events(application, AuditEvent.Action.ALTERATION).count() == 1


@pytest.mark.parametrize("stage", [Stage.GRANTED, Stage.REFUSED, Stage.WITHDRAWN])
def test_conditions_of_a_decided_application_cannot_change(solicitor, stage):
    condition = ConditionFactory(application=at_stage(stage), text="Fixed")
    with pytest.raises(ServiceError):
        services.condition_add(
            application=condition.application,
            by=solicitor,
            kind=Condition.Kind.PROHIBITION,
            text="More",
        )
    with pytest.raises(ServiceError):
        services.condition_update(condition=condition, by=solicitor, version=1, text="Changed")
    with pytest.raises(ServiceError):
        services.condition_remove(condition=condition, by=solicitor)
    with pytest.raises(ServiceError):
        services.condition_move(condition=condition, by=solicitor, direction="down")
    assert list(Condition.objects.values_list("text", flat=True)) == ["Fixed"]


# --- hearings ------------------------------------------------------------------------------------


def test_hearing_add_and_update_outcome(solicitor):
    application = ApplicationFactory()
    starts_at = timezone.now() + datetime.timedelta(days=7)
    hearing = services.hearing_add(
        application=application,
        by=solicitor,
        kind=Hearing.Kind.FIRST,
        court="Gloucester Magistrates' Court",
        starts_at=starts_at,
    )
    assert hearing.recorded_by == solicitor
    assert audit_events(hearing, AuditEvent.Action.COLLECTION).count() == 1

    updated = services.hearing_update(
        hearing=hearing,
        by=solicitor,
        version=1,
        kind=Hearing.Kind.FIRST,
        court="Gloucester Magistrates' Court",
        starts_at=starts_at,
        outcome=Hearing.Outcome.ADJOURNED,
        notes="Defence asked for time.",
    )
    assert (updated.outcome, updated.version) == (Hearing.Outcome.ADJOURNED, 2)


def test_hearing_needs_a_court(solicitor):
    with pytest.raises(ServiceError) as error:
        services.hearing_add(
            application=ApplicationFactory(),
            by=solicitor,
            kind=Hearing.Kind.FIRST,
            court="",
            starts_at=timezone.now(),
        )
    assert error.value.field == "court"


def test_hearing_update_with_an_old_version_is_refused(solicitor, colleague):
    hearing = HearingFactory()
    values = {
        "kind": hearing.kind,
        "court": hearing.court,
        "starts_at": hearing.starts_at,
        "notes": "",
    }
    services.hearing_update(
        hearing=hearing, by=colleague, version=1, outcome=Hearing.Outcome.GRANTED, **values
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        services.hearing_update(
            hearing=hearing, by=solicitor, version=1, outcome=Hearing.Outcome.REFUSED, **values
        )
    assert error.value.by == colleague.display_name
    hearing.refresh_from_db()
    assert hearing.outcome == Hearing.Outcome.GRANTED


# --- breaches ------------------------------------------------------------------------------------


def test_breach_record(solicitor):
    order = OrderFactory(made_on=timezone.localdate() - datetime.timedelta(days=10))
    breach = services.breach_record(
        order=order,
        by=solicitor,
        occurred_on=order.made_on,
        description="Texted the victim.",
        log_ref="INC-1",
    )
    assert breach.recorded_by == solicitor
    assert audit_events(breach, AuditEvent.Action.COLLECTION).count() == 1


def test_breach_before_the_order_was_made_is_refused(solicitor):
    order = OrderFactory(made_on=timezone.localdate() - datetime.timedelta(days=10))
    with pytest.raises(ServiceError) as error:
        services.breach_record(
            order=order,
            by=solicitor,
            occurred_on=order.made_on - datetime.timedelta(days=1),
            description="Texted the victim.",
        )
    assert error.value.field == "occurred_on"
    assert not Breach.objects.exists()


def test_breach_in_the_future_is_refused(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        services.breach_record(
            order=order,
            by=solicitor,
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            description="Texted the victim.",
        )
    assert error.value.field == "occurred_on"


def test_breach_needs_a_description(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        services.breach_record(
            order=order, by=solicitor, occurred_on=order.made_on, description="  "
        )
    assert error.value.field == "description"


def test_breach_outcome(solicitor):
    breach = BreachFactory()
    updated = services.breach_outcome(
        breach=breach,
        by=solicitor,
        version=1,
        outcome="Charged under s.8",
        outcome_recorded_on=breach.occurred_on,
    )
    assert (updated.outcome, updated.outcome_recorded_on, updated.version) == (
        "Charged under s.8",
        breach.occurred_on,
        2,
    )


def test_breach_outcome_is_required(solicitor):
    breach = BreachFactory()
    with pytest.raises(ServiceError) as error:
        services.breach_outcome(
            breach=breach, by=solicitor, version=1, outcome=" ", outcome_recorded_on=None
        )
    assert error.value.field == "outcome"


def test_breach_outcome_with_an_old_version_is_refused(solicitor, colleague):
    breach = BreachFactory()
    services.breach_outcome(
        breach=breach, by=colleague, version=1, outcome="Cautioned", outcome_recorded_on=None
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        services.breach_outcome(
            breach=breach, by=solicitor, version=1, outcome="NFA", outcome_recorded_on=None
        )
    assert error.value.by == colleague.display_name
