"""Importing the force's officer list (training.services.roster.officer_list_import)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError
from training.models import Area, JobRole, OfficerImport, Team, Trainee
from training.services.roster import officer_list_import

from .factories import AreaFactory, TeamFactory, TraineeFactory

pytestmark = pytest.mark.django_db

HEADER = "Collar number,Name,Team,Area,Role,Supervisor,Email\r\n"


@pytest.fixture
def by(coordinator):
    return coordinator


def _import(by, content, *, full_list=False, filename="officers.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return officer_list_import(file=io.BytesIO(data), filename=filename, by=by, full_list=full_list)


def _csv(*rows, header=HEADER):
    return header + "".join(row + "\r\n" for row in rows)


TEAM = [
    "PC101,Amy Able,Response 1,North,Police constable,SGT9,amy@police.example",
    "PC102,Ben Baker,Response 1,North,Police constable,SGT9,",
    # The supervisor comes after their reports.
    "SGT9,Sam Sergeant,Response 1,North,Sergeant,,sam@police.example",
    "PC201,Cat Cole,Response 1,South,Police constable,,",
]


def test_import_creates_officers_with_their_areas_teams_roles_and_supervisors(by):
    result = _import(by, _csv(*TEAM))

    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    assert result.errors == []
    amy = Trainee.objects.select_related("team__area", "job_role", "supervisor").get(
        collar_number="PC101"
    )
    assert amy.name == "Amy Able"
    assert amy.email == "amy@police.example"
    assert amy.job_role.name == "Police constable"
    assert (amy.team.name, amy.team.area.name) == ("Response 1", "North")
    assert amy.supervisor.collar_number == "SGT9"
    assert Trainee.objects.get(collar_number="PC102").supervisor == amy.supervisor
    assert Trainee.objects.get(collar_number="SGT9").supervisor is None
    # A team is unique within its area: "Response 1" in North and in South are two teams.
    assert sorted(Team.objects.values_list("area__name", "name")) == [
        ("North", "Response 1"),
        ("South", "Response 1"),
    ]
    assert sorted(JobRole.objects.values_list("name", flat=True)) == [
        "Police constable",
        "Sergeant",
    ]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(by):
    _import(by, _csv(*TEAM))
    before = list(Trainee.objects.order_by("pk").values())

    again = _import(by, _csv(*TEAM))

    assert (again.created, again.updated, again.unchanged, again.deactivated) == (0, 0, 4, 0)
    assert list(Trainee.objects.order_by("pk").values()) == before
    assert (Area.objects.count(), Team.objects.count(), JobRole.objects.count()) == (2, 2, 2)


def test_reimport_updates_team_supervisor_name_and_email_by_collar_number(by):
    _import(by, _csv(*TEAM))
    changed = [
        # Amy moves to South's team under a new sergeant; Ben changes name and email.
        "PC101,Amy Able,Response 1,South,Police constable,SGT8,amy@police.example",
        "PC102,Ben Baker-Smith,Response 1,North,Police constable,SGT9,ben@police.example",
        "SGT9,Sam Sergeant,Response 1,North,Sergeant,,sam@police.example",
        "PC201,Cat Cole,Response 1,South,Police constable,,",
        "SGT8,Sue Sergeant,Response 1,South,Sergeant,,",
    ]

    result = _import(by, _csv(*changed))

    assert (result.created, result.updated, result.unchanged) == (1, 2, 2)
    amy = Trainee.objects.select_related("team__area", "supervisor").get(collar_number="PC101")
    assert amy.team.area.name == "South"
    assert amy.supervisor.collar_number == "SGT8"
    ben = Trainee.objects.get(collar_number="PC102")
    assert (ben.name, ben.email) == ("Ben Baker-Smith", "ben@police.example")
    assert Trainee.objects.count() == 5


def test_removing_a_supervisor_in_the_file_clears_it(by):
    _import(by, _csv(*TEAM))
    rows = [TEAM[0].replace(",SGT9,", ",,"), *TEAM[1:]]

    result = _import(by, _csv(*rows))

    assert result.updated == 1
    assert Trainee.objects.get(collar_number="PC101").supervisor is None


def test_collar_numbers_are_normalised_when_matching(by):
    TraineeFactory(collar_number="PC101", name="Amy Able")

    result = _import(by, _csv(" pc 101 ,Amy Able,Response 1,North,Police constable,,"))

    assert result.created == 0 and result.updated == 1
    assert Trainee.objects.filter(collar_number="PC101").count() == 1


def test_areas_teams_and_roles_are_matched_regardless_of_case(by):
    north = AreaFactory(name="North")
    TeamFactory(area=north, name="Response 1")

    _import(by, _csv("PC101,Amy Able,RESPONSE 1,north,police constable,,"))

    assert list(Area.objects.values_list("name", flat=True)) == ["North"]
    assert list(Team.objects.values_list("name", flat=True)) == ["Response 1"]
    # The role was new: created with the file's spelling.
    assert list(JobRole.objects.values_list("name", flat=True)) == ["police constable"]


def test_a_returning_officer_is_active_again(by):
    TraineeFactory(collar_number="PC101", active=False)

    result = _import(by, _csv(TEAM[0].replace("SGT9", "")))

    assert result.updated == 1
    assert Trainee.objects.get(collar_number="PC101").active


def test_an_existing_supervisor_not_in_the_file_is_used(by):
    sergeant = TraineeFactory(collar_number="SGT5")

    result = _import(by, _csv("PC101,Amy Able,Response 1,North,Police constable,sgt5,"))

    assert result.errors == []
    assert Trainee.objects.get(collar_number="PC101").supervisor == sergeant


def test_bad_rows_are_reported_with_their_line_numbers_and_good_rows_still_load(by):
    content = (
        HEADER
        # Line 2, running over lines 2 and 3: a quoted team name holding a line break.
        + 'PC101,Amy Able,"Response\nteam 1",North,Police constable,,\r\n'
        + "PC102,,Response 1,North,Police constable,,\r\n"  # line 4
        + "PC101,Amy Again,Response 1,North,Police constable,,\r\n"  # line 5
        + "PC103,Cal Dee,Response 1,North,Police constable,,not-an-email\r\n"  # line 6
        + "PC104,Dee Eff,Response 1,North,Police constable,SGT404,\r\n"  # line 7
        + "PC105,Eve Gee,Response 1,North,Police constable,pc105,\r\n"  # line 8
        + "PC106,"
        + "N" * 151
        + ",Response 1,North,Police constable,,\r\n"  # line 9
        + "\r\n"  # line 10: blank, skipped
        + "PC107,Fay Hill,Response 1,North,Police constable,PC101,\r\n"  # line 11
        + "PC108,Gus Ivy,Response 1,North,Police constable,,,extra\r\n"  # line 12
        + ",Hal Jay,Response 1,North,Police constable,,\r\n"  # line 13
    )

    result = _import(by, content)

    lines = {error["line"]: error["message"] for error in result.errors}
    assert sorted(lines) == [4, 5, 6, 7, 8, 9, 12, 13]
    assert lines[4] == "The name is missing."
    assert lines[5] == "Collar number PC101 is repeated in the file: it is already on line 2."
    assert lines[6] == "The email address is not valid."
    assert "SGT404" in lines[7] and "neither in this file nor already" in lines[7]
    assert lines[8] == "An officer cannot be their own supervisor."
    assert lines[9] == "The name is longer than 150 characters."
    assert "8 values but the header has 7" in lines[12]
    assert lines[13] == "The collar number is missing."
    assert (result.rows, result.created) == (10, 2)
    assert set(Trainee.objects.values_list("collar_number", flat=True)) == {"PC101", "PC107"}
    # The line break inside the quoted value is read as a space.
    assert Trainee.objects.get(collar_number="PC101").team.name == "Response team 1"
    assert OfficerImport.objects.get().errors == result.errors


def test_a_report_whose_supervisor_was_not_loaded_is_reported_too(by):
    content = _csv(
        "SGT9,,Response 1,North,Sergeant,,",  # line 2: no name
        "PC101,Amy Able,Response 1,North,Police constable,SGT9,",  # line 3
        "PC102,Ben Baker,Response 1,North,Police constable,PC101,",  # line 4
    )

    result = _import(by, content)

    assert result.errors == [
        {"line": 2, "message": "The name is missing."},
        {"line": 3, "message": "The supervisor SGT9 is on line 2, which was not loaded."},
        {"line": 4, "message": "The supervisor PC101 is on line 3, which was not loaded."},
    ]
    assert not Trainee.objects.exists()


def test_a_missing_column_refuses_the_whole_file_and_says_which(by):
    content = "Collar number,Name,Team,Role\r\nPC101,Amy Able,Response 1,Police constable\r\n"

    with pytest.raises(ServiceError) as refused:
        _import(by, content)

    assert refused.value.field == "file"
    assert "The file has no area and supervisor columns." in refused.value.message
    assert not Trainee.objects.exists()
    assert not OfficerImport.objects.exists()


def test_semicolon_separated_files_are_explained(by):
    with pytest.raises(ServiceError) as refused:
        _import(by, "Collar number;Name;Team;Area;Role;Supervisor\r\nPC1;A;T;A;R;\r\n")

    assert "semicolons" in refused.value.message


def test_headers_are_matched_leniently(by):
    header = " COLLAR_NUMBER ,name,Team Name,area,Job role,Supervisor collar number,E-mail\n"

    result = _import(by, header + "pc101,Amy Able,Response 1,North,Police constable,,a@b.example\n")

    assert result.created == 1
    assert Trainee.objects.get().email == "a@b.example"


def test_utf8_with_a_byte_order_mark_is_accepted(by):
    content = "\ufeff" + _csv("PC101,Zoë Ásgeirsdóttir,Response 1,North,Police constable,,")

    _import(by, content.encode("utf-8"))

    assert Trainee.objects.get().name == "Zoë Ásgeirsdóttir"


def test_a_text_stream_is_accepted_too(by):
    content = "\ufeff" + _csv("PC101,Amy Able,Response 1,North,Police constable,,")

    officer_list_import(file=io.StringIO(content), filename="officers.csv", by=by)

    assert Trainee.objects.get().collar_number == "PC101"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00spreadsheet", "is not a CSV file"),
        (b"\xff\xfeC\x00o\x00l\x00", "is not a CSV file"),  # UTF-16
        (
            "Collar number,Name,Team,Area,Role,Supervisor\nPC1,Zo\xeb,T,A,R,\n".encode("latin-1"),
            "is not UTF-8 text",
        ),
        (b"", "The selected file is empty."),
        (b"\r\n  \r\n", "The selected file is empty."),
        (HEADER.encode(), "no officers in it"),
    ],
    ids=["xlsx", "utf16", "latin1", "empty", "blank", "header-only"],
)
def test_files_that_cannot_be_imported_are_refused_with_a_clear_message(by, content, message):
    with pytest.raises(ServiceError) as refused:
        _import(by, content)

    assert message in refused.value.message
    assert refused.value.field == "file"
    assert not OfficerImport.objects.exists()


def test_full_list_marks_officers_not_in_the_file_inactive(by):
    left = TraineeFactory(collar_number="PC900")
    already_gone = TraineeFactory(collar_number="PC901", active=False)
    # On a row that fails its checks: still in the file, so not marked as gone.
    typo = TraineeFactory(collar_number="PC902")
    content = _csv(*TEAM, "PC902,Ian Typo,Response 1,North,Police constable,,not-an-email")

    result = _import(by, content, full_list=True)

    assert result.deactivated == 1
    assert [e["line"] for e in result.errors] == [6]
    left.refresh_from_db()
    already_gone.refresh_from_db()
    typo.refresh_from_db()
    assert (left.active, already_gone.active, typo.active) == (False, False, True)


def test_an_officer_who_left_gives_up_their_place_to_the_first_waiting(by, mailoutbox):
    from training.models import Booking

    from .factories import BookingFactory, SessionFactory

    left = TraineeFactory(collar_number="PC900")
    session = SessionFactory(capacity=1)
    place = BookingFactory(session=session, trainee=left)
    waiting = BookingFactory(
        session=session,
        trainee=TraineeFactory(collar_number="PC201"),  # in the file: stays
        status=Booking.Status.WAITING,
        placed_at=None,
    )
    elsewhere = BookingFactory(trainee=left, status=Booking.Status.WAITING, placed_at=None)
    past = BookingFactory(
        trainee=left,
        session=SessionFactory(starts_at=session.starts_at.replace(year=2024)),
        status=Booking.Status.ATTENDED,
    )

    _import(by, _csv(*TEAM), full_list=True)

    statuses = {
        b.pk: b.status for b in Booking.objects.filter(pk__in=[place.pk, waiting.pk, elsewhere.pk])
    }
    assert statuses == {
        place.pk: Booking.Status.CANCELLED,
        waiting.pk: Booking.Status.BOOKED,
        elsewhere.pk: Booking.Status.CANCELLED,
    }
    past.refresh_from_db()
    assert past.status == Booking.Status.ATTENDED
    assert Booking.objects.get(pk=place.pk).cancellation_reason == "No longer on the officer list"


def test_without_full_list_nobody_is_marked_inactive(by):
    other = TraineeFactory(collar_number="PC900")

    result = _import(by, _csv(*TEAM))

    assert result.deactivated == 0
    other.refresh_from_db()
    assert other.active


def test_full_list_with_no_row_loaded_marks_nobody_inactive(by):
    other = TraineeFactory(collar_number="PC900")

    result = _import(by, _csv("PC101,,Response 1,North,Police constable,,"), full_list=True)

    assert result.deactivated == 0 and len(result.errors) == 1
    other.refresh_from_db()
    assert other.active


def test_full_list_refused_file_marks_nobody_inactive(by):
    other = TraineeFactory(collar_number="PC900")

    with pytest.raises(ServiceError):
        _import(by, "Collar number,Name\r\nPC101,Amy\r\n", full_list=True)

    other.refresh_from_db()
    assert other.active


def test_without_an_email_column_known_emails_are_kept(by):
    TraineeFactory(collar_number="PC101", name="Amy Able", email="amy@police.example")
    header = "Collar number,Name,Team,Area,Role,Supervisor\r\n"

    _import(by, _csv("PC101,Amy Able,Response 1,North,Police constable,", header=header))

    assert Trainee.objects.get().email == "amy@police.example"


def test_the_import_is_saved_and_audited_once(by):
    result = _import(by, _csv(*TEAM), filename="force-list.csv")

    saved = OfficerImport.objects.get()
    assert saved == result
    assert (saved.uploaded_by, saved.filename) == (by, "force-list.csv")
    events = AuditEvent.objects.filter(object_type="training.officerimport")
    assert events.count() == 1
    event = events.get()
    assert (event.actor, event.action, event.object_id) == (
        by,
        AuditEvent.Action.COLLECTION,
        str(saved.pk),
    )


def _big_list(count):
    rows = [f"SGT{n},Sergeant {n},Team {n % 40},Area {n % 6},Sergeant,," for n in range(10)]
    rows += [
        f"PC{n},Officer {n},Team {n % 40},Area {n % 6},Police constable,SGT{n % 10},"
        f"pc{n}@police.example"
        for n in range(count - 10)
    ]
    return _csv(*rows)


def test_the_number_of_queries_does_not_grow_with_the_file(by):
    with CaptureQueriesContext(connection) as small:
        _import(by, _big_list(20))
    Trainee.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        result = _import(by, _big_list(2500))

    assert result.created == 2500 and not result.errors
    # Only the batches of 1,000 rows add statements.
    assert len(large.captured_queries) <= len(small.captured_queries) + 4
    with CaptureQueriesContext(connection) as again:
        result = _import(by, _big_list(2500))
    assert result.unchanged == 2500
    assert len(again.captured_queries) <= len(small.captured_queries)
