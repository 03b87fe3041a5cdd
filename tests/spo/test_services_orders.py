"""The SPO services of orders, their service and notifications (spo/services/orders.py and
notifications.py): the fixed periods of s.3 and s.5, and the 3 days of s.9."""

import datetime

import pytest

from spo.models import Application, Notification, Order
from spo.services import notifications, orders
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from .factories import (
    NotificationFactory,
    OrderFactory,
    at_stage,
    audit_events,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Application.Stage


# --- order_record --------------------------------------------------------------------------------


def test_interim_order_moves_an_applied_application_to_interim(solicitor):
    application = at_stage(Stage.APPLIED)
    order = orders.order_record(
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
    orders.order_record(
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
        orders.order_record(
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
        orders.order_record(
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
        orders.order_record(
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

    order = orders.order_record(
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
        orders.order_record(
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
    order = orders.order_record(
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
        orders.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.FULL,
            made_on=D(2028, 2, 29),
            ends_on=D(2030, 2, 27),
        )
    assert "28 February 2030" in error.value.message


def test_full_order_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    order = orders.order_record(
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
        orders.order_record(
            application=application, by=solicitor, kind=Order.Kind.FULL, made_on=D(2026, 5, 10)
        )
    assert error.value.field == "ends_on"


def test_full_order_cannot_have_both_an_end_date_and_until_further_order(solicitor):
    application = at_stage(Stage.APPLIED)
    with pytest.raises(ServiceError) as error:
        orders.order_record(
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
        orders.order_record(
            application=application,
            by=solicitor,
            kind=Order.Kind.INTERIM,
            made_on=D(2026, 5, 10),
            until_further_order=True,
        )
    assert error.value.field == "until_further_order"


# --- order_mark_served and notifications ---------------------------------------------------------


def test_serving_an_order_starts_the_initial_notification(solicitor):
    order = OrderFactory(made_on=D(2026, 1, 30), ends_on=D(2026, 3, 1))

    notification = orders.order_mark_served(order=order, by=solicitor, served_on=D(2026, 1, 31))

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
    notification = orders.order_mark_served(order=order, by=solicitor, served_on=served_on)
    assert notification.due_on == due_on


def test_an_order_cannot_be_served_before_it_was_made(solicitor):
    order = OrderFactory(made_on=D(2026, 3, 2), ends_on=D(2026, 4, 1))
    with pytest.raises(ServiceError) as error:
        orders.order_mark_served(order=order, by=solicitor, served_on=D(2026, 3, 1))
    assert error.value.field == "served_on"
    assert not Notification.objects.exists()


def test_an_order_is_served_once(solicitor):
    order = OrderFactory(made_on=D(2026, 3, 2), ends_on=D(2026, 4, 1))
    orders.order_mark_served(order=order, by=solicitor, served_on=D(2026, 3, 2))
    with pytest.raises(ServiceError) as error:
        orders.order_mark_served(order=order, by=solicitor, served_on=D(2026, 3, 3))
    assert error.value.field == "served_on"
    assert Notification.objects.count() == 1


def _full_order_after_interim(solicitor, *, interim_notified: bool):
    application = at_stage(Stage.INTERIM)
    interim = OrderFactory(application=application, made_on=D(2026, 3, 2), ends_on=D(2026, 5, 1))
    notification = orders.order_mark_served(order=interim, by=solicitor, served_on=D(2026, 3, 2))
    if interim_notified:
        notifications.notification_record(
            notification=notification,
            by=solicitor,
            version=notification.version,
            received_on=D(2026, 3, 3),
            details="Names and address as known.",
            acknowledged_on=D(2026, 3, 4),
        )
    return orders.order_record(
        application=application,
        by=solicitor,
        kind=Order.Kind.FULL,
        made_on=D(2026, 4, 20),
        until_further_order=True,
    )


def test_full_order_replacing_an_interim_order_already_notified_needs_no_notification(solicitor):
    """s.9(1)(a): no new notification when the defendant already notified under the interim."""
    full = _full_order_after_interim(solicitor, interim_notified=True)

    result = orders.order_mark_served(order=full, by=solicitor, served_on=D(2026, 4, 21))

    assert result is None
    assert not full.notifications.exists()
    full.refresh_from_db()
    assert full.served_on == D(2026, 4, 21)


def test_full_order_replacing_an_interim_order_not_notified_needs_a_notification(solicitor):
    full = _full_order_after_interim(solicitor, interim_notified=False)
    result = orders.order_mark_served(order=full, by=solicitor, served_on=D(2026, 4, 21))
    assert result is not None
    assert result.due_on == D(2026, 4, 23)


@pytest.mark.parametrize("kind", [Notification.Kind.NEW_NAME, Notification.Kind.NEW_ADDRESS])
def test_new_name_or_address_is_due_within_3_days_of_the_change(solicitor, kind):
    order = OrderFactory(made_on=D(2026, 1, 2), ends_on=D(2026, 3, 1))
    notification = notifications.notification_add(
        order=order, by=solicitor, kind=kind, starts_on=D(2026, 1, 31)
    )
    assert notification.kind == kind
    assert notification.due_on == D(2026, 2, 2)
    assert audit_events(notification, AuditEvent.Action.COLLECTION).count() == 1


def test_notification_add_refuses_an_initial_notification(solicitor):
    order = OrderFactory()
    with pytest.raises(ServiceError) as error:
        notifications.notification_add(
            order=order, by=solicitor, kind=Notification.Kind.INITIAL, starts_on=order.made_on
        )
    assert error.value.field == "kind"


def test_notification_record_with_acknowledgement(solicitor):
    notification = NotificationFactory(starts_on=D(2026, 3, 2))
    updated = notifications.notification_record(
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
        notifications.notification_record(
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
        notifications.notification_record(
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
    notifications.notification_record(
        notification=notification,
        by=colleague,
        version=1,
        received_on=D(2026, 3, 3),
        details="First",
        acknowledged_on=None,
    )
    with pytest.raises(ChangedByAnotherUser) as error:
        notifications.notification_record(
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
