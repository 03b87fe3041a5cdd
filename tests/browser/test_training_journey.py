"""The training journey: a supervisor sees three untrained officers in their team, books two onto
a session (the last place goes), puts the third on the waiting list, cancels one booking so the
third is promoted; on the day, the trainer records attendance, and the compliance view changes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from stalking_clinic.accounts.models import Role
from training.models import Booking, Session

from ..training.factories import (
    AreaFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)


def _switch_to(page, sign_in, user):
    page.get_by_role("button", name="Sign out").click()
    sign_in(user)


def _compliance_row(page, area, course):
    """The cells of the team's row for the course in the area's table: title, must do it,
    compliant, due a refresh, of which overdue, not trained, compliant %."""
    table = page.get_by_test_id(f"area-{area.pk}")
    return table.locator("tbody tr").filter(has_text=course.title).first.locator("td")


@pytest.mark.django_db(transaction=True)
def test_supervisor_books_the_team_and_compliance_follows_attendance(page, sign_in, make_user):
    area = AreaFactory(name="Northgate")
    team = TeamFactory(area=area, name="Northgate Neighbourhood")
    constable = JobRoleFactory(name="Police constable")
    sergeant = JobRoleFactory(name="Sergeant")
    course = CourseFactory(
        title="Stalking and harassment", refresh_months=24, mandatory_roles=[constable]
    )
    sergeant_record = TraineeFactory(
        collar_number="SGT100", name="Sam Sergeant", team=team, job_role=sergeant
    )
    alex, blair, casey = (
        TraineeFactory(
            collar_number=f"PC10{n}",
            name=name,
            team=team,
            job_role=constable,
            supervisor=sergeant_record,
        )
        for n, name in enumerate(["Alex Able", "Blair Baker", "Casey Cole"], start=1)
    )
    supervisor = make_user(
        Role.SUPERVISOR,
        Role.OFFICER,
        username="t_sergeant",
        first_name="Sam",
        last_name="Sergeant",
        collar_number="SGT100",
    )
    trainer = make_user(
        Role.COORDINATOR, username="t_coord", first_name="Cora", last_name="Coordinator"
    )
    starts = (timezone.now() + datetime.timedelta(days=7)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    session = SessionFactory(
        course=course, starts_at=starts, capacity=2, trainer=trainer, created_by=trainer
    )

    # The supervisor sees the three untrained officers of their team.
    sign_in(supervisor)
    page.goto(reverse("training:my_team"))
    expect(page.get_by_test_id("team-summary")).to_contain_text(
        "3 officers untrained in Stalking and harassment"
    )
    for officer in (alex, blair, casey):
        expect(page.get_by_test_id(f"member-{officer.pk}")).to_contain_text("Not trained")

    # Compliance before: nobody in the team is trained.
    page.goto(reverse("training:compliance"))
    cells = _compliance_row(page, area, course)
    expect(cells.nth(1)).to_have_text("3")
    expect(cells.nth(2)).to_have_text("0")
    expect(cells.nth(5)).to_have_text("3")

    # From the team page, "Book" leads to the course's sessions, and on to the session.
    page.goto(reverse("training:my_team"))
    page.get_by_role("link", name=f"Book {alex.name} onto {course.title}").click()
    page.get_by_test_id(f"session-{session.pk}").get_by_role("link", name="Book").click()
    expect(page.get_by_test_id("places-left")).to_contain_text("2 of 2")

    # Two officers take the two places: the last place goes.
    page.get_by_label(f"{alex.name} ({alex.collar_number})").check()
    page.get_by_label(f"{blair.name} ({blair.collar_number})").check()
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2")
    expect(page.get_by_test_id("booked")).to_contain_text(alex.name)
    expect(page.get_by_test_id("booked")).to_contain_text(blair.name)
    expect(page.get_by_test_id("places")).to_contain_text("Full")

    # The third: the session is full, so booking without the waiting list is refused, with the
    # choice kept; with the waiting list ticked, they join it.
    page.get_by_role("link", name="Book officers").click()
    expect(page.get_by_test_id("places-left")).to_contain_text("the session is full")
    page.get_by_label(f"{casey.name} ({casey.collar_number})").check()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_test_id("trainees-error")).to_contain_text("full")
    expect(page.get_by_label(f"{casey.name} ({casey.collar_number})")).to_be_checked()
    assert not Booking.objects.filter(trainee=casey).exists()
    page.get_by_label("Put anyone without a place on the waiting list").check()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_test_id("waiting")).to_contain_text(casey.name)

    # Blair cannot go: cancelling the booking gives the place to Casey, first on the list.
    page.get_by_role("link", name=f"Cancel the booking of {blair.name}").click()
    page.get_by_label("Reason (optional)").fill("Court warning that day")
    page.get_by_role("button", name="Cancel the booking").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(casey.name)
    expect(page.get_by_test_id("booked")).to_contain_text(casey.name)
    expect(page.get_by_test_id("booked")).not_to_contain_text(blair.name)
    expect(page.get_by_test_id("waiting")).to_contain_text("Nobody waiting.")
    page.goto(reverse("training:my_team"))
    expect(page.get_by_test_id(f"member-{casey.pk}")).to_contain_text("Booked:")

    # The day of the session: the trainer records who came.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4)
    )
    _switch_to(page, sign_in, trainer)
    page.goto(reverse("training:session_detail", args=[session.pk]))
    page.get_by_role("link", name="Record attendance").click()
    register = page.get_by_test_id("register")
    register.locator("tr").filter(has_text=alex.name).get_by_label("Attended").check()
    register.locator("tr").filter(has_text=casey.name).get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert set(
        Booking.objects.filter(session=session, status=Booking.Status.ATTENDED).values_list(
            "trainee__name", flat=True
        )
    ) == {alex.name, casey.name}

    # Compliance after: two of the three are trained; Blair still needs the course.
    page.goto(reverse("training:compliance"))
    cells = _compliance_row(page, area, course)
    expect(cells.nth(1)).to_have_text("3")
    expect(cells.nth(2)).to_have_text("2")
    expect(cells.nth(5)).to_have_text("1")
    _switch_to(page, sign_in, supervisor)
    page.goto(reverse("training:my_team"))
    expect(page.get_by_test_id("team-summary")).to_contain_text(
        "1 officer untrained in Stalking and harassment"
    )
    expect(page.get_by_test_id(f"member-{alex.pk}")).to_contain_text("Completed")
