"""The booking pages: a supervisor books their own team (and nobody else's); the session full
offers the waiting list; the managers pick a team; cancelling says who got the place; "My
training" shows an officer's own bookings; the calendar file only for a booked place to come.
Constant queries on the booking page and "My training"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from training.models import Booking

from .factories import BookingFactory, CourseFactory, SessionFactory, TeamFactory, TraineeFactory

pytestmark = pytest.mark.django_db

BOOKED, WAITING = Booking.Status.BOOKED, Booking.Status.WAITING


@pytest.fixture
def team():
    return TeamFactory(name="Response team A")


@pytest.fixture
def sergeant(team):
    return TraineeFactory(collar_number="PS100", name="Sam Sergeant", team=team)


@pytest.fixture
def supervisor(make_user, sergeant):
    return make_user(Role.SUPERVISOR, username="sup", collar_number=sergeant.collar_number)


@pytest.fixture
def my_officers(sergeant, team):
    return [
        TraineeFactory(name=f"Officer {name}", supervisor=sergeant, team=team)
        for name in ("Ann", "Bob", "Cat")
    ]


@pytest.fixture
def other_supervisor(make_user):
    sergeant = TraineeFactory(collar_number="PS200", name="Other Sergeant")
    return make_user(Role.SUPERVISOR, username="sup2", collar_number="PS200"), sergeant


@pytest.fixture
def session():
    return SessionFactory(capacity=2, course__title="Stalking awareness")


def _box(trainee_pk, state):
    """A trainee's checkbox on the booking page, ticked ("checked") or not selectable."""
    return f'value="{trainee_pk}" aria-describedby="trainee-{trainee_pk}-hint" {state}'


def _book_url(session, **query):
    url = reverse("training:book", args=[session.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


# --- booking -------------------------------------------------------------------------------------


def test_supervisor_sees_their_team_and_books_one_of_them(client, supervisor, my_officers, session):
    client.force_login(supervisor)
    page = client.get(_book_url(session, trainee=my_officers[1].pk))
    assert page.status_code == 200
    html = page.content.decode()
    for officer in my_officers:
        assert officer.name in html
    assert _box(my_officers[1].pk, "checked") in html
    assert 'data-testid="places-left">2 of 2' in html

    response = client.post(_book_url(session), {"trainees": [my_officers[1].pk]})

    assert response.status_code == 302
    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    booking = Booking.objects.get(session=session)
    assert (booking.trainee, booking.status, booking.booked_by) == (
        my_officers[1],
        BOOKED,
        supervisor,
    )
    shown = client.get(response["Location"]).content.decode()
    assert "1 officer booked on Stalking awareness" in shown


def test_another_supervisors_officer_is_not_listed_and_cannot_be_booked(
    client, supervisor, my_officers, other_supervisor, session
):
    _, their_sergeant = other_supervisor
    theirs = TraineeFactory(name="Not Mine", supervisor=their_sergeant)
    client.force_login(supervisor)

    assert "Not Mine" not in client.get(_book_url(session, trainee=theirs.pk)).content.decode()
    response = client.post(_book_url(session), {"trainees": [theirs.pk]})

    assert response.status_code == 200
    assert "Choose officers from the list." in response.content.decode()
    assert not Booking.objects.exists()


def test_standing_and_already_booked_are_shown(client, supervisor, my_officers, team):
    course = CourseFactory(title="Mandatory stalking", mandatory_teams=[team])
    session = SessionFactory(course=course)
    BookingFactory(session=session, trainee=my_officers[0])
    BookingFactory(session=session, trainee=my_officers[1], status=WAITING, placed_at=None)
    client.force_login(supervisor)

    html = client.get(_book_url(session)).content.decode()

    assert "Already booked" in html
    assert "On the waiting list" in html
    assert "Not trained" in html  # Cat's standing on the mandatory course
    assert _box(my_officers[0].pk, "disabled") in html


def test_too_few_places_keeps_the_choice_and_offers_the_waiting_list(
    client, supervisor, my_officers, session
):
    BookingFactory(session=session)
    client.force_login(supervisor)
    chosen = [my_officers[0].pk, my_officers[2].pk]

    response = client.post(_book_url(session), {"trainees": chosen})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Only 1 place is left. Choose 1 officer, or put the others on the waiting list." in html
    assert 'data-testid="waiting-list-choice"' in html
    for pk in chosen:
        assert _box(pk, "checked") in html
    assert Booking.objects.filter(session=session).count() == 1

    response = client.post(_book_url(session), {"trainees": chosen, "waiting_list": "on"})
    assert response.status_code == 302
    assert dict(
        Booking.objects.filter(session=session, trainee__in=chosen).values_list("trainee", "status")
    ) == {my_officers[0].pk: BOOKED, my_officers[2].pk: WAITING}
    shown = client.get(response["Location"]).content.decode()
    assert "1 officer booked on Stalking awareness" in shown
    assert "1 officer put on the waiting list" in shown


def test_a_full_session_says_so(client, supervisor, my_officers, session):
    BookingFactory(session=session)
    BookingFactory(session=session)
    client.force_login(supervisor)

    page = client.get(_book_url(session)).content.decode()
    assert "the session is full" in page
    assert 'data-testid="waiting-list-choice"' in page
    response = client.post(_book_url(session), {"trainees": [my_officers[0].pk]})
    assert "This session is now full." in response.content.decode()


def test_a_cancelled_session_cannot_be_booked(client, supervisor, my_officers):
    session = SessionFactory(status="cancelled", cancelled_reason="Trainer ill")
    client.force_login(supervisor)
    page = client.get(_book_url(session)).content.decode()
    assert "This session has been cancelled" in page
    assert 'name="trainees"' not in page


def test_managers_choose_a_team_first(client, coordinator, my_officers, team, session):
    elsewhere = TraineeFactory(name="Elsewhere Officer")
    client.force_login(coordinator)

    first = client.get(_book_url(session)).content.decode()
    assert 'data-testid="team-filter"' in first
    assert 'name="trainees"' not in first

    listed = client.get(_book_url(session, team=team.pk)).content.decode()
    assert all(officer.name in listed for officer in my_officers)
    assert "Elsewhere Officer" not in listed

    # ?trainee= lists that officer's team with them ticked.
    asked = client.get(_book_url(session, trainee=elsewhere.pk)).content.decode()
    assert "Elsewhere Officer" in asked and my_officers[0].name not in asked

    response = client.post(_book_url(session, team=team.pk), {"trainees": [my_officers[2].pk]})
    assert response.status_code == 302
    assert Booking.objects.get(session=session).booked_by == coordinator


def test_the_booking_page_runs_the_same_queries_however_big_the_team(
    client, supervisor, sergeant, team, django_assert_max_num_queries
):
    course = CourseFactory(mandatory_teams=[team])
    session = SessionFactory(course=course)
    client.force_login(supervisor)

    def officers(count):
        for _ in range(count):
            officer = TraineeFactory(supervisor=sergeant, team=team)
            BookingFactory(trainee=officer, session__course=course, status="attended")

    officers(2)
    client.get(_book_url(session))  # warm up (sessions, content types)
    with django_assert_max_num_queries(16) as few:
        client.get(_book_url(session))
    officers(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_book_url(session)).status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SOLICITOR, None])
def test_those_who_do_not_book_are_refused(client, make_user, session, role):
    client.force_login(make_user(*([role] if role else []), username="someone"))
    assert client.get(_book_url(session)).status_code == 403


# --- cancelling ----------------------------------------------------------------------------------


def test_supervisor_cancels_and_is_told_who_got_the_place(client, supervisor, my_officers, session):
    booking = BookingFactory(session=session, trainee=my_officers[0])
    BookingFactory(session=session)
    BookingFactory(session=session, trainee=my_officers[1], status=WAITING, placed_at=None)
    client.force_login(supervisor)
    url = reverse("training:booking_cancel", args=[booking.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, object_id=str(booking.pk)
    ).exists()
    response = client.post(url, {"reason": "Court", "version": 1})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    shown = client.get(response["Location"]).content.decode()
    assert "Officer Ann&#x27;s booking on Stalking awareness" in shown
    assert "Officer Bob has the place from the waiting list." in shown


def test_a_stale_cancel_is_refused(client, supervisor, my_officers, session):
    booking = BookingFactory(session=session, trainee=my_officers[0])
    Booking.objects.filter(pk=booking.pk).update(version=2)
    client.force_login(supervisor)
    response = client.post(reverse("training:booking_cancel", args=[booking.pk]), {"version": 1})
    assert response.status_code == 200
    assert "Someone else changed this booking" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BOOKED


def test_another_supervisors_booking_is_not_found(client, other_supervisor, my_officers, session):
    user, _ = other_supervisor
    booking = BookingFactory(session=session, trainee=my_officers[0])
    client.force_login(user)
    assert client.get(reverse("training:booking_cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("training:booking_ics", args=[booking.pk])).status_code == 404


def test_an_officer_cancels_their_own_booking(client, make_user, my_officers, session):
    me = my_officers[0]
    officer = make_user(Role.OFFICER, username="ann", collar_number=me.collar_number)
    booking = BookingFactory(session=session, trainee=me)
    client.force_login(officer)

    response = client.post(reverse("training:booking_cancel", args=[booking.pk]), {"version": 1})

    assert response["Location"] == reverse("training:my_training")
    assert "Your booking on Stalking awareness" in client.get(response["Location"]).content.decode()


# --- my training ---------------------------------------------------------------------------------


@pytest.fixture
def officer_with_bookings(make_user, my_officers):
    me = my_officers[0]
    officer = make_user(Role.OFFICER, username="ann", collar_number=me.collar_number)
    upcoming = BookingFactory(trainee=me, session__course__title="Upcoming course")
    full = SessionFactory(capacity=1, course__title="Waiting course")
    BookingFactory(session=full)
    BookingFactory(session=full, status=WAITING, placed_at=None)
    waiting = BookingFactory(session=full, trainee=me, status=WAITING, placed_at=None)
    attended = BookingFactory(
        trainee=me,
        status=Booking.Status.ATTENDED,
        session__starts_at=timezone.now() - datetime.timedelta(days=30),
        session__course__title="Attended course",
    )
    return officer, {"upcoming": upcoming, "waiting": waiting, "attended": attended}


def test_officer_sees_their_own_training(client, officer_with_bookings):
    officer, bookings = officer_with_bookings
    client.force_login(officer)

    html = client.get(reverse("training:my_training")).content.decode()

    assert "Upcoming course" in html and "Waiting course" in html and "Attended course" in html
    assert reverse("training:booking_ics", args=[bookings["upcoming"].pk]) in html
    assert reverse("training:booking_ics", args=[bookings["waiting"].pk]) not in html
    assert "Number 2 on the waiting list" in html
    assert reverse("training:certificate_pdf", args=[bookings["attended"].pk]) in html


def test_my_training_runs_the_same_queries_however_many_bookings(
    client, officer_with_bookings, django_assert_max_num_queries
):
    officer, bookings = officer_with_bookings
    client.force_login(officer)
    client.get(reverse("training:my_training"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("training:my_training"))
    for _ in range(8):
        BookingFactory(trainee=bookings["upcoming"].trainee)
        BookingFactory(
            trainee=bookings["upcoming"].trainee,
            status=Booking.Status.ATTENDED,
            session__starts_at=timezone.now() - datetime.timedelta(days=60),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:my_training"))


def test_someone_with_no_trainee_record_is_told_why(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("training:my_training")).content.decode()
    assert "not linked to anyone on the force" in html


def test_an_outsider_cannot_see_my_training(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("training:my_training")).status_code == 403


# --- calendar file -------------------------------------------------------------------------------


def test_the_calendar_file_of_a_booked_place(client, officer_with_bookings):
    officer, bookings = officer_with_bookings
    client.force_login(officer)
    booking = bookings["upcoming"]

    response = client.get(reverse("training:booking_ics", args=[booking.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert f'filename="{booking.reference}.ics"' in response["Content-Disposition"]
    assert b"SUMMARY:Upcoming course" in response.content
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.object_id == str(booking.pk)
    assert event.recipient == f"{officer.display_name} (calendar file)"


@pytest.mark.parametrize("which", ["waiting", "attended"])
def test_no_calendar_file_for_a_waiting_or_past_booking(client, officer_with_bookings, which):
    officer, bookings = officer_with_bookings
    client.force_login(officer)
    response = client.get(reverse("training:booking_ics", args=[bookings[which].pk]))
    assert response.status_code == 404
