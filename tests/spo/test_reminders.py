"""Protection order reminders (spo/reminders.py, made and emailed by the one reminders job): each
kind made once per event and date, emailed once, with a reference and a link but no name;
dismissing; the home page's work items. The job's own rules are tests/core/test_reminders.py's."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

import spo.work  # noqa: F401 - registers the home page's work provider (SpoConfig.ready does it)
from spo.models import Application, Order
from spo.reminders import Kind
from stalking_clinic.accounts.models import Role
from stalking_clinic.home.work import work_for
from stalking_clinic.reminders import tasks
from stalking_clinic.reminders.models import Reminder
from stalking_clinic.reminders.services import render_email, send_reminders

from .factories import (
    ApplicationFactory,
    BreachFactory,
    HearingFactory,
    NotificationFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
K = Kind


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def solicitor(make_user):
    return make_user(Role.SOLICITOR, username="sol")


@pytest.fixture
def application(solicitor):
    return ApplicationFactory(solicitor=solicitor)


def kinds():
    return sorted(Reminder.objects.values_list("kind", flat=True))


# --- Hearings -----------------------------------------------------------------------------------


def test_hearing_is_reminded_a_week_before_and_the_day_before_each_once(application):
    HearingFactory(application=application, starts_at=at(2026, 6, 15, 10, 0))

    assert send_reminders(now=at(2026, 6, 7, 7, 0)) == 0  # eight days before
    assert send_reminders(now=at(2026, 6, 8, 7, 0)) == 1
    assert send_reminders(now=at(2026, 6, 9, 7, 0)) == 0
    assert send_reminders(now=at(2026, 6, 14, 7, 0)) == 1
    assert send_reminders(now=at(2026, 6, 14, 8, 0)) == 0
    assert send_reminders(now=at(2026, 6, 15, 11, 0)) == 0  # heard

    assert kinds() == [K.HEARING_DAY, K.HEARING_WEEK]
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == f"{application.reference}: Hearing tomorrow"


def test_day_before_reminder_across_the_clock_change_is_on_the_local_day_before(application):
    # Clocks go forward at 01:00 on Sunday 29 March 2026: that Sunday is 23 hours long.
    HearingFactory(application=application, starts_at=at(2026, 3, 30, 10, 0))

    send_reminders(now=at(2026, 3, 23, 7, 0))  # a week before, still GMT
    assert kinds() == [K.HEARING_WEEK]
    send_reminders(now=at(2026, 3, 28, 23, 30))  # Saturday night: two local days before
    assert kinds() == [K.HEARING_WEEK]
    send_reminders(now=at(2026, 3, 29, 0, 30))  # Sunday, still GMT: 32½ hours before
    assert kinds() == [K.HEARING_DAY, K.HEARING_WEEK]

    day = Reminder.objects.get(kind=K.HEARING_DAY)
    assert day.message.endswith("on Monday 30 March 2026 at 10:00")
    assert day.event_at == at(2026, 3, 30, 10, 0)


def test_moved_hearing_gets_reminders_of_its_own(application):
    hearing = HearingFactory(application=application, starts_at=at(2026, 6, 15, 10, 0))
    send_reminders(now=at(2026, 6, 14, 7, 0))

    hearing.starts_at = at(2026, 6, 16, 14, 0)
    hearing.save()
    send_reminders(now=at(2026, 6, 15, 7, 0))

    assert Reminder.objects.filter(kind=K.HEARING_DAY).count() == 2
    assert len(mail.outbox) == 2


def test_no_reminder_for_a_hearing_already_decided(application):
    HearingFactory(application=application, starts_at=at(2026, 6, 15, 10, 0), outcome="withdrawn")

    assert send_reminders(now=at(2026, 6, 14, 7, 0)) == 0


# --- Orders, notifications, breaches ------------------------------------------------------------


def test_interim_order_ending_within_a_week(application):
    order = OrderFactory(
        application=application,
        made_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 6, 1),
    )

    send_reminders(now=at(2026, 5, 24, 7, 0))
    assert kinds() == []
    send_reminders(now=at(2026, 5, 25, 7, 0))
    assert kinds() == [K.INTERIM_ENDING]
    assert Reminder.objects.get().key == f"order:{order.pk}:2026-06-01"


def test_interim_order_already_ended_is_not_reminded(application):
    OrderFactory(
        application=application,
        made_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 6, 1),
        ended_on=datetime.date(2026, 5, 20),
    )

    assert send_reminders(now=at(2026, 5, 28, 7, 0)) == 0


def test_fixed_full_order_prompts_renewal_within_the_warning_period(application, settings):
    settings.SPO_ORDER_EXPIRY_WARNING_DAYS = 60
    full = {"kind": Order.Kind.FULL, "made_on": datetime.date(2024, 9, 1)}
    OrderFactory(application=application, ends_on=datetime.date(2026, 9, 1), **full)
    OrderFactory(application=application, ends_on=datetime.date(2026, 12, 1), **full)
    OrderFactory(application=application, until_further_order=True, ends_on=None, **full)

    send_reminders(now=at(2026, 7, 10, 7, 0))

    assert kinds() == [K.ORDER_EXPIRING]
    assert "consider applying to renew" in Reminder.objects.get().message


def test_no_renewal_prompt_once_a_renewal_is_applied_for(application):
    order = OrderFactory(
        application=application,
        kind=Order.Kind.FULL,
        made_on=datetime.date(2024, 9, 1),
        ends_on=datetime.date(2026, 9, 1),
    )
    ApplicationFactory(
        case=application.case,
        kind=Application.Kind.RENEWAL,
        order=order,
        solicitor=order.recorded_by,
    )

    assert send_reminders(now=at(2026, 8, 1, 7, 0)) == 0


def test_notification_not_received_by_its_due_date(application):
    order = OrderFactory(application=application, made_on=datetime.date(2026, 5, 1))
    NotificationFactory(
        order=order, starts_on=datetime.date(2026, 5, 2), due_on=datetime.date(2026, 5, 4)
    )
    NotificationFactory(
        order=order,
        starts_on=datetime.date(2026, 5, 2),
        due_on=datetime.date(2026, 5, 4),
        received_on=datetime.date(2026, 5, 3),
    )

    send_reminders(now=at(2026, 5, 4, 18, 0))  # the last day is not over
    assert kinds() == []
    send_reminders(now=at(2026, 5, 5, 7, 0))
    assert kinds() == [K.NOTIFICATION_OVERDUE]


def test_breach_without_an_outcome_after_14_days(application):
    order = OrderFactory(
        application=application,
        made_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 9, 1),
    )
    BreachFactory(
        order=order, occurred_on=datetime.date(2026, 5, 9), recorded_at=at(2026, 5, 10, 9)
    )
    BreachFactory(
        order=order,
        occurred_on=datetime.date(2026, 5, 9),
        recorded_at=at(2026, 5, 10, 9),
        outcome="Charged",
        outcome_recorded_on=datetime.date(2026, 5, 20),
    )

    send_reminders(now=at(2026, 5, 24, 8, 0))
    assert kinds() == []
    send_reminders(now=at(2026, 5, 24, 9, 0))
    assert kinds() == [K.BREACH_OUTCOME]
    assert Reminder.objects.get().message.endswith("breach of Saturday 9 May 2026")


# --- Emails -------------------------------------------------------------------------------------


def test_each_reminder_is_emailed_once_with_a_link_and_no_names(application, solicitor, settings):
    settings.SITE_URL = "https://clinic.example"
    order = OrderFactory(application=application, made_on=datetime.date(2026, 5, 1))
    NotificationFactory(
        order=order, starts_on=datetime.date(2026, 5, 2), due_on=datetime.date(2026, 5, 4)
    )
    HearingFactory(application=application, starts_at=at(2026, 5, 12, 10, 0))

    assert send_reminders(now=at(2026, 5, 6, 7, 0)) == 2
    assert send_reminders(now=at(2026, 5, 6, 7, 0)) == 0
    tasks.send_reminders.delay()  # today: nothing of these is due any more, nothing resent

    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(emailed_at__isnull=True).count() == 0
    link = "https://clinic.example" + reverse("spo:application_detail", args=[application.pk])
    people = [application.defendant, application.case.victim]
    for email in mail.outbox:
        assert email.to == [solicitor.email]
        assert application.reference in email.subject
        assert link in email.body
        for person in people:
            assert person.first_name not in email.body + email.subject
            assert person.last_name not in email.body + email.subject


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (K.HEARING_WEEK, "Hearing in a week"),
        (K.HEARING_DAY, "Hearing tomorrow"),
        (K.INTERIM_ENDING, "Interim order ending"),
        (K.ORDER_EXPIRING, "Order nearing its end: consider renewal"),
        (K.NOTIFICATION_OVERDUE, "Notification overdue"),
        (K.BREACH_OUTCOME, "Breach without an outcome"),
    ],
)
def test_each_kind_has_its_email(kind, subject, settings):
    settings.SITE_URL = "https://clinic.example"
    reminder = Reminder(
        kind=kind,
        message="SPO-00007: something due",
        url="/protection-orders/applications/7/",
        context={"reference": "SPO-00007"},
    )

    assert render_email(reminder) == (
        f"SPO-00007: {subject}",
        "SPO-00007: something due.\n\nThe application:\n"
        "https://clinic.example/protection-orders/applications/7/\n\n"
        "Your protection orders calendar and reminders:\n"
        f"https://clinic.example{reverse('spo:calendar')}\n",
    )


def test_reminder_goes_to_the_applications_solicitor_only(application, make_user):
    other = make_user(Role.SOLICITOR, username="other_sol")
    HearingFactory(application=application, starts_at=at(2026, 6, 15, 10, 0))

    send_reminders(now=at(2026, 6, 14, 7, 0))

    assert Reminder.objects.get().recipient == application.solicitor
    assert not Reminder.objects.filter(recipient=other).exists()


# --- Dismissing, and the home page --------------------------------------------------------------


@pytest.fixture
def reminder(application):
    HearingFactory(application=application, starts_at=at(2026, 6, 15, 10, 0))
    send_reminders(now=at(2026, 6, 14, 7, 0))
    return Reminder.objects.get()


def test_user_dismisses_their_own_reminder(client, solicitor, reminder):
    client.force_login(solicitor)
    assert escape(reminder.message) in client.get(reverse("spo:calendar")).content.decode()

    response = client.post(reverse("spo:reminder_dismiss", args=[reminder.pk]))

    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.dismissed_at is not None
    assert escape(reminder.message) not in client.get(reverse("spo:calendar")).content.decode()


def test_nobody_dismisses_someone_elses_reminder(client, make_user, reminder):
    client.force_login(make_user(Role.SOLICITOR, username="other_sol"))

    response = client.post(reverse("spo:reminder_dismiss", args=[reminder.pk]))

    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.dismissed_at is None


def test_get_does_not_dismiss(client, solicitor, reminder):
    client.force_login(solicitor)

    assert client.get(reverse("spo:reminder_dismiss", args=[reminder.pk])).status_code == 405
    reminder.refresh_from_db()
    assert reminder.dismissed_at is None


def test_another_areas_reminder_is_neither_shown_nor_dismissed_here(client, solicitor, reminder):
    other = Reminder.objects.create(
        kind="meetings.action_overdue",
        key="action:1:2026-06-01",
        recipient=solicitor,
        event_at=reminder.event_at,
        message="ACT-00001: action overdue",
        url="/meetings/actions/1/",
        context={"reference": "ACT-00001"},
    )
    client.force_login(solicitor)

    assert other.message not in client.get(reverse("spo:calendar")).content.decode()
    response = client.post(reverse("spo:reminder_dismiss", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.dismissed_at is None
    items = {item.label: item for item in work_for(solicitor)}
    assert items["Protection order reminders past their date"].count == 1


def test_home_page_counts_reminders_and_flags_those_past_as_urgent(solicitor, reminder):
    items = {item.label: item for item in work_for(solicitor)}

    # The hearing (15 June 2026) is in the past by now: the reminder is overdue.
    overdue = items["Protection order reminders past their date"]
    assert overdue.count == 1 and overdue.urgent
    assert overdue.url == reverse("spo:calendar") + "#reminders"

    Reminder.objects.update(dismissed_at=reminder.created_at)
    assert not any("Protection order" in item.label for item in work_for(solicitor))
