"""The certificate PDF of a course attended: only for an attended booking, for whoever may see the
booking, logged as a disclosure, never cached, and with no name in its file name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from training.models import Booking, Course

from .factories import BookingFactory, SessionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    sergeant = TraineeFactory(collar_number="PS100", name="Sam Sergeant")
    trainee = TraineeFactory(collar_number="PC200", name="Tara Trainee", supervisor=sergeant)
    return {
        "trainee": trainee,
        "officer": make_user(Role.OFFICER, username="tara", collar_number="PC200"),
        "supervisor": make_user(Role.SUPERVISOR, username="sam", collar_number="PS100"),
        "trainer": make_user(
            Role.ISAC, username="trainer", first_name="Trudy", last_name="Trainer"
        ),
    }


@pytest.fixture
def booking(people):
    session = SessionFactory(
        trainer=people["trainer"],
        starts_at=timezone.now() - datetime.timedelta(days=3),
        course__title="Stalking and harassment: investigation",
        course__duration_minutes=210,
        course__refresh_months=24,
    )
    return BookingFactory(
        session=session, trainee=people["trainee"], status=Booking.Status.ATTENDED
    )


def _url(booking):
    return reverse("training:certificate_pdf", args=[booking.pk])


def test_the_trainee_downloads_their_certificate(client, people, booking, fake_pdf):
    client.force_login(people["officer"])
    response = client.get(_url(booking))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"Certificate of training {booking.reference}" in fake_pdf["html"]
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="training-certificate-{booking.reference}.pdf"'
    assert "Tara" not in disposition and "PC200" not in disposition


def test_the_certificate_says_who_did_what_and_when(client, people, booking, fake_pdf, settings):
    settings.FORCE_NAME = "Testshire Police"
    client.force_login(people["officer"])
    client.get(_url(booking))
    html = fake_pdf["html"]
    attended = timezone.localdate(booking.session.starts_at)
    for text in (
        "Certificate of training",
        "Tara Trainee",
        "PC200",
        "Stalking and harassment: investigation",
        "3 hours 30 minutes",
        f"{attended:%B} {attended.year}",
        "Trudy Trainer",
        "Testshire Police",
        booking.reference,
        "Refresh due",
        str(attended.year + 2),
    ):
        assert text in html, text
    assert "crown" not in html.lower() and "govuk-logo" not in html


def test_a_course_never_refreshed_shows_no_refresh_date(client, people, booking, fake_pdf):
    booking.session.course.refresh_months = None
    booking.session.course.save()
    client.force_login(people["officer"])
    client.get(_url(booking))
    assert "Refresh due" not in fake_pdf["html"]


def test_each_download_is_logged_as_a_disclosure(client, people, booking, fake_pdf):
    client.force_login(people["supervisor"])
    client.get(_url(booking))
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.object_type == "training.booking"
    assert event.object_id == str(booking.pk)
    assert event.recipient == "sam"
    assert event.justification == "Training certificate (PDF)"
    assert event.actor == people["supervisor"]


@pytest.mark.parametrize("status", ["booked", "absent", "cancelled", "waiting"])
def test_only_an_attended_booking_has_a_certificate(client, people, booking, fake_pdf, status):
    Booking.objects.filter(pk=booking.pk).update(status=status)
    client.force_login(people["officer"])
    assert client.get(_url(booking)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DISCLOSURE).exists()


@pytest.mark.parametrize("who", ["officer", "supervisor", "trainer", "coordinator", "lead"])
def test_those_who_may_see_the_booking_get_it(client, people, booking, fake_pdf, persona, who):
    user = {
        "coordinator": lambda: persona(Role.COORDINATOR),
        "lead": lambda: persona(Role.TACTICAL_LEAD),
    }.get(who, lambda: people[who])()
    client.force_login(user)
    assert client.get(_url(booking)).status_code == 200


def test_another_officer_or_supervisor_does_not_find_it(client, booking, fake_pdf, make_user):
    TraineeFactory(collar_number="PC300")
    TraineeFactory(collar_number="PS300")
    client.force_login(make_user(Role.OFFICER, username="other", collar_number="PC300"))
    assert client.get(_url(booking)).status_code == 404
    client.force_login(make_user(Role.SUPERVISOR, username="othersup", collar_number="PS300"))
    assert client.get(_url(booking)).status_code == 404
    client.force_login(make_user(Role.ISAC, username="isac"))
    assert client.get(_url(booking)).status_code == 404


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR, None])
def test_outsiders_are_refused(client, booking, make_user, role):
    client.force_login(make_user(*([role] if role else []), username="out"))
    assert client.get(_url(booking)).status_code == 403


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (180, "3 hours"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (45, "45 minutes"),
        (1, "1 minute"),
    ],
)
def test_duration_in_words(minutes, text):
    assert Course(duration_minutes=minutes).duration_label == text
