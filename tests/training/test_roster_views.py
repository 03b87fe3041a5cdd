"""The officer list pages: import, import result, the list with its filters, one officer's
training record."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from training.models import Booking, OfficerImport, Trainee
from training.selectors.compliance import (
    Standing,
    earliest_completing_date,
    mandatory_courses,
    needs_training,
    standing_of,
    standings_for,
)
from training.views.roster import PAGE_SIZE

from .factories import (
    AreaFactory,
    BookingFactory,
    CourseFactory,
    JobRoleFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "Collar number,Name,Team,Area,Role,Supervisor,Email\n"


def _upload(content, name="officers.csv"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


# --- import -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.TACTICAL_LEAD, 200),
        (Role.SUPERVISOR, 403),
        (Role.OFFICER, 403),
        (Role.ISAC, 403),
        (None, 403),
    ],
)
@pytest.mark.parametrize("name", ["training:officer_import", "training:officers"])
def test_officer_list_pages_are_for_the_managers(client, make_user, role, status, name):
    client.force_login(make_user(*([role] if role else [])))

    assert client.get(reverse(name)).status_code == status


def test_uploading_the_officer_list_shows_the_result(client, coordinator):
    client.force_login(coordinator)
    content = (
        HEADER
        + "PC101,Amy Able,Response 1,North,Police constable,SGT9,\n"
        + "PC102,,Response 1,North,Police constable,SGT9,\n"
        + "SGT9,Sam Sergeant,Response 1,North,Sergeant,,\n"
    )

    response = client.post(
        reverse("training:officer_import"), {"file": _upload(content), "full_list": "on"}
    )

    result = OfficerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:officer_import_detail", args=[result.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Officer list imported: 2 added, 0 updated, 0 unchanged, 1 row not loaded." in html
    assert page.context["result"].created == 2
    assert page.context["errors"] == [{"line": 3, "message": "The name is missing."}]
    assert 'data-testid="import-errors"' in html
    assert "The name is missing." in html
    # The earlier imports are listed on the upload page.
    listing = client.get(reverse("training:officer_import")).content.decode()
    assert reverse("training:officer_import_detail", args=[result.pk]) in listing


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _upload(b"PK\x03\x04 spreadsheet", name="officers.xlsx"), "must be a CSV file"),
        (lambda: _upload(b"PK\x03\x04\x00\x00 spreadsheet"), "is not a CSV file"),
        (lambda: _upload(b""), "The selected file is empty."),
        (lambda: _upload("Collar number,Name\nPC1,Amy\n"), "The file has no team, area, role"),
    ],
    ids=["xlsx-name", "binary", "empty", "missing-columns"],
)
def test_a_file_that_cannot_be_imported_gets_an_error_next_to_the_file_field(
    client, coordinator, upload, message
):
    client.force_login(coordinator)

    response = client.post(reverse("training:officer_import"), {"file": upload()})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    html = response.content.decode()
    assert 'class="govuk-error-summary' in html and "govuk-error-message" in html
    assert not OfficerImport.objects.exists() and not Trainee.objects.exists()


def test_no_file_chosen_asks_for_one(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("training:officer_import"), {})

    assert response.context["form"].errors["file"] == ["Select the officer list CSV file."]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COORDINATOR, 200), (Role.TACTICAL_LEAD, 200), (Role.SUPERVISOR, 403), (None, 403)],
)
def test_import_result_is_for_the_managers(client, make_user, coordinator, role, status):
    result = OfficerImport.objects.create(uploaded_by=coordinator, filename="x.csv")
    client.force_login(make_user(*([role] if role else [])))

    response = client.get(reverse("training:officer_import_detail", args=[result.pk]))

    assert response.status_code == status


# --- the officer list ---------------------------------------------------------------------------


@pytest.fixture
def force():
    """Two areas, three teams, two roles; a stalking course mandatory for constables."""
    north, south = AreaFactory(name="North"), AreaFactory(name="South")
    teams = {
        "n1": TeamFactory(area=north, name="Response 1"),
        "n2": TeamFactory(area=north, name="Neighbourhood"),
        "s1": TeamFactory(area=south, name="Response 1"),
    }
    pc, pcso = JobRoleFactory(name="Police constable"), JobRoleFactory(name="PCSO")
    course = CourseFactory(title="Stalking and harassment", mandatory_roles=[pc])
    return {"teams": teams, "pc": pc, "pcso": pcso, "course": course}


def _attended(trainee, course, days_ago):
    session = SessionFactory(
        course=course,
        starts_at=timezone.now().replace(hour=10, minute=0) - datetime.timedelta(days=days_ago),
    )
    return BookingFactory(session=session, trainee=trainee, status=Booking.Status.ATTENDED)


def _listed(client, **params):
    response = client.get(reverse("training:officers"), params)
    assert response.status_code == 200
    return {trainee.collar_number for trainee in response.context["officers"]}


def test_the_officer_list_filters_by_area_team_role_and_status(client, coordinator, force):
    teams = force["teams"]
    TraineeFactory(collar_number="N1", team=teams["n1"], job_role=force["pc"])
    TraineeFactory(collar_number="N2", team=teams["n2"], job_role=force["pcso"])
    TraineeFactory(collar_number="S1", team=teams["s1"], job_role=force["pc"])
    TraineeFactory(collar_number="GONE", team=teams["s1"], job_role=force["pc"], active=False)
    client.force_login(coordinator)

    assert _listed(client) == {"N1", "N2", "S1"}
    assert _listed(client, area=teams["n1"].area_id) == {"N1", "N2"}
    assert _listed(client, team=teams["s1"].pk) == {"S1"}
    assert _listed(client, role=force["pcso"].pk) == {"N2"}
    assert _listed(client, status="inactive") == {"GONE"}
    assert _listed(client, status="all") == {"N1", "N2", "S1", "GONE"}


def test_needs_training_lists_the_untrained_and_those_due_a_refresh(
    client, coordinator, force, settings
):
    settings.TRAINING_REFRESH_WARNING_DAYS = 60
    teams, course = force["teams"], force["course"]  # refresh every 24 months
    untrained = TraineeFactory(collar_number="UNTRAINED", team=teams["n1"], job_role=force["pc"])
    fresh = TraineeFactory(collar_number="FRESH", team=teams["n1"], job_role=force["pc"])
    due = TraineeFactory(collar_number="DUE", team=teams["n1"], job_role=force["pc"])
    TraineeFactory(collar_number="PCSO", team=teams["n1"], job_role=force["pcso"])
    _attended(fresh, course, days_ago=30)
    _attended(due, course, days_ago=700)
    del untrained
    client.force_login(coordinator)

    assert _listed(client, needs_training="on") == {"UNTRAINED", "DUE"}
    html = client.get(reverse("training:officers")).content.decode()
    assert html.count('data-testid="needs-training"') == 2


@pytest.mark.parametrize("months", [1, 6, 12, 24, 36])
def test_earliest_completing_date_agrees_with_the_standings(months, settings):
    settings.TRAINING_REFRESH_WARNING_DAYS = 60
    course = CourseFactory.build(refresh_months=months)
    start = datetime.date(2025, 1, 1)
    for offset in range(0, 800, 7):
        today = start + datetime.timedelta(days=offset)
        day = earliest_completing_date(course, today)
        assert standing_of(course, day, today=today).standing is Standing.COMPLETED
        before = standing_of(course, day - datetime.timedelta(days=1), today=today)
        assert before.standing is not Standing.COMPLETED, (months, today)


def test_the_needs_training_filter_matches_the_standings_at_the_boundary(force, settings):
    settings.TRAINING_REFRESH_WARNING_DAYS = 60
    course = force["course"]
    course.refresh_months = 6
    course.save()
    trainees = []
    for days in range(120, 140):  # six months less sixty days is around 122 days ago
        trainee = TraineeFactory(team=force["teams"]["n1"], job_role=force["pc"])
        _attended(trainee, course, days_ago=days)
        trainees.append(trainee)
    courses = mandatory_courses()
    today = timezone.localdate()

    flagged = set(
        Trainee.objects.filter(needs_training(courses, today)).values_list("pk", flat=True)
    )

    expected = {
        pk
        for pk, standings in standings_for(trainees, courses=courses, today=today).items()
        if any(s.standing.needs_booking for s in standings)
    }
    assert flagged == expected
    assert 0 < len(flagged) < len(trainees)


def test_searching_by_name_or_collar_number_is_posted_not_put_in_the_address(
    client, coordinator, force
):
    TraineeFactory(collar_number="PC101", name="Amy Able", team=force["teams"]["n1"])
    TraineeFactory(collar_number="PC202", name="Ben Baker", team=force["teams"]["n1"])
    client.force_login(coordinator)

    response = client.post(reverse("training:officers"), {"search": "amy"})

    assert response.status_code == 302
    assert "amy" not in response["Location"].lower()
    assert _listed(client) == {"PC101"}
    client.post(reverse("training:officers"), {"search": "pc 202"})
    assert _listed(client) == {"PC202"}
    client.post(reverse("training:officers"), {"clear": "1"})
    assert _listed(client) == {"PC101", "PC202"}


def test_the_officer_list_is_paginated(client, coordinator, force):
    for n in range(PAGE_SIZE + 5):
        TraineeFactory(collar_number=f"PC{n:03d}", name=f"Officer {n:03d}")
    client.force_login(coordinator)

    first = client.get(reverse("training:officers"))
    second = client.get(reverse("training:officers"), {"page": 2})

    assert len(first.context["officers"]) == PAGE_SIZE
    assert first.context["page"].next_link == "?page=2"
    assert len(second.context["officers"]) == 5
    assert "55 officers" in first.content.decode()


def _list_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("training:officers"), params)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_officer_list_runs_the_same_queries_however_many_officers(client, coordinator, force):
    client.force_login(coordinator)
    teams, course = list(force["teams"].values()), force["course"]

    def add(count):
        for n in range(count):
            supervisor = TraineeFactory(team=teams[n % 3], job_role=force["pc"])
            trainee = TraineeFactory(team=teams[n % 3], job_role=force["pc"], supervisor=supervisor)
            _attended(trainee, course, days_ago=10 + n)

    add(2)
    few = _list_queries(client), _list_queries(client, needs_training="on", area=teams[0].area_id)
    add(25)
    many = _list_queries(client), _list_queries(client, needs_training="on", area=teams[0].area_id)

    assert few == many


# --- one officer's training record --------------------------------------------------------------


@pytest.fixture
def record(make_user, force):
    """A sergeant and their constable, each signing in with their collar number."""
    sergeant = TraineeFactory(
        collar_number="SGT1", name="Sam Sergeant", team=force["teams"]["n1"], job_role=force["pc"]
    )
    constable = TraineeFactory(
        collar_number="PC1",
        name="Amy Able",
        team=force["teams"]["n1"],
        job_role=force["pc"],
        supervisor=sergeant,
    )
    TraineeFactory(collar_number="SGT2", team=force["teams"]["s1"])
    return {
        "constable": constable,
        "sergeant_user": make_user(Role.SUPERVISOR, collar_number="SGT1"),
        "constable_user": make_user(Role.OFFICER, collar_number="PC1"),
        "other_sergeant_user": make_user(Role.SUPERVISOR, collar_number="SGT2"),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("tactical_lead", 200),
        ("sergeant_user", 200),
        ("constable_user", 200),
        ("other_sergeant_user", 404),
        ("solicitor", 404),
        ("champion", 404),
        ("partner", 403),
        ("outsider", 403),
    ],
)
def test_a_training_record_is_seen_by_managers_the_supervisor_and_the_officer(
    client, persona, outsider, record, who, status
):
    user = record.get(who) or (outsider if who == "outsider" else persona(who))
    client.force_login(user)

    response = client.get(reverse("training:officer_detail", args=[record["constable"].pk]))

    assert response.status_code == status
    consulted = AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION,
        object_type="training.trainee",
        object_id=str(record["constable"].pk),
    )
    assert consulted.count() == (1 if status == 200 else 0)


def test_a_training_record_shows_standings_bookings_and_certificates(client, record, force):
    course = force["course"]
    attended = _attended(record["constable"], course, days_ago=700)  # refresh overdue soon
    other = CourseFactory(title="Awareness", refresh_months=None, mandatory_roles=[force["pc"]])
    upcoming = BookingFactory(
        trainee=record["constable"],
        session=SessionFactory(course=other),
        status=Booking.Status.WAITING,
        placed_at=None,
    )
    client.force_login(record["sergeant_user"])

    response = client.get(reverse("training:officer_detail", args=[record["constable"].pk]))

    html = response.content.decode()
    rows = {row["standing"].course.pk: row for row in response.context["rows"]}
    assert rows[course.pk]["standing"].standing is Standing.DUE_SOON
    assert rows[course.pk]["standing"].last_attended == timezone.localdate(
        attended.session.starts_at
    )
    assert rows[course.pk]["book"]  # the supervisor may book a refresh
    assert rows[other.pk]["standing"].standing is Standing.UNTRAINED
    assert rows[other.pk]["booking"] == upcoming and not rows[other.pk]["book"]
    assert "Waiting list: " in html
    assert reverse("training:certificate_pdf", args=[attended.pk]) in html
    assert f"{reverse('training:sessions')}?course={course.pk}" in html
    assert "Sam Sergeant" in html and "Response 1" in html and "North" in html


def test_an_officer_sees_their_record_without_booking_links(client, record, force):
    client.force_login(record["constable_user"])

    response = client.get(reverse("training:officer_detail", args=[record["constable"].pk]))

    assert response.context["is_me"]
    assert not any(row["book"] for row in response.context["rows"])
    assert "Your training record" in response.content.decode()
