"""The champions register: everyone in training finds their local champion and the training
they hold; the coordinator and tactical lead appoint champions and change their entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ChangedByAnotherUser, ServiceError
from training.models import Booking, Champion
from training.services.champions import champion_appoint, champion_update

from .factories import (
    AreaFactory,
    BookingFactory,
    ChampionFactory,
    CourseFactory,
    SessionFactory,
    TeamFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def _attended(trainee, course, days_ago):
    session = SessionFactory(
        course=course, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return BookingFactory(session=session, trainee=trainee, status=Booking.Status.ATTENDED)


@pytest.fixture
def northgate():
    return TeamFactory(area=AreaFactory(name="Northgate"), name="Response team A")


@pytest.fixture
def eastmoor():
    return TeamFactory(area=AreaFactory(name="Eastmoor"), name="CID")


def _post_new(client, **data):
    fields = {"collar_number": "", "level": "champion", "appointed_on": "", "notes": ""}
    fields.update(data)
    return client.post(reverse("training:champion_new"), fields)


# The register ------------------------------------------------------------------------------


def test_an_officer_finds_champions_by_area_with_the_training_they_hold(
    client, officer, northgate, eastmoor
):
    mandatory = CourseFactory(title="Stalking and harassment (mandatory)", refresh_months=24)
    advanced = CourseFactory(title="Advanced stalking investigation", refresh_months=None)
    CourseFactory(title="FOUR awareness")  # not attended: not listed
    ana = TraineeFactory(name="Ana Wren", collar_number="PC4411", team=northgate)
    ChampionFactory(
        trainee=ana, level=Champion.Level.ENHANCED, appointed_on=datetime.date(2025, 3, 4)
    )
    _attended(ana, mandatory, days_ago=900)  # refresh overdue
    _attended(ana, advanced, days_ago=100)
    ben = TraineeFactory(name="Ben Finch", collar_number="DC5522", team=eastmoor)
    ChampionFactory(trainee=ben)
    client.force_login(officer)

    response = client.get(reverse("training:champions"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Eastmoor") < page.index("Northgate")  # areas in name order
    assert "Ana Wren" in page and "PC4411" in page and "Response team A" in page
    assert "Enhanced champion" in page and "4 Mar 2025" in page
    row = page[page.index("Ana Wren") : page.index("Ana Wren") + 3000]
    assert "Advanced stalking investigation" in row
    assert "Stalking and harassment (mandatory)" in row and "Refresh overdue" in row
    assert "FOUR awareness" not in row
    assert "Ben Finch" in page and "None recorded" in page
    assert reverse("training:champion_new") not in page  # officers do not change the register


def test_stood_down_champions_are_shown_only_when_asked(client, officer, northgate):
    ChampionFactory(trainee=TraineeFactory(name="Still Serving", team=northgate))
    ChampionFactory(
        trainee=TraineeFactory(name="Long Gone", team=northgate), stood_down_on=TODAY() - DAY
    )
    client.force_login(officer)
    page = client.get(reverse("training:champions")).content.decode()
    assert "Still Serving" in page and "Long Gone" not in page
    page = client.get(reverse("training:champions"), {"stood_down": "on"}).content.decode()
    assert "Long Gone" in page and "Stood down" in page


def test_register_filters_by_area_and_level(client, coordinator, northgate, eastmoor):
    ChampionFactory(trainee=TraineeFactory(name="North Plain", team=northgate))
    ChampionFactory(
        trainee=TraineeFactory(name="North Enhanced", team=northgate),
        level=Champion.Level.ENHANCED,
    )
    ChampionFactory(trainee=TraineeFactory(name="East Plain", team=eastmoor))
    client.force_login(coordinator)
    url = reverse("training:champions")
    page = client.get(url, {"area": northgate.area.pk}).content.decode()
    assert "North Plain" in page and "North Enhanced" in page and "East Plain" not in page
    page = client.get(url, {"level": "enhanced"}).content.decode()
    assert "North Enhanced" in page and "North Plain" not in page and "East Plain" not in page
    page = client.get(url, {"area": eastmoor.area.pk, "level": "enhanced"}).content.decode()
    assert "No champions match" in page


def test_register_runs_the_same_queries_for_2_or_15_champions(client, officer):
    courses = [CourseFactory(title=f"Course {n}") for n in range(3)]

    def add(count):
        for _ in range(count):
            team = TeamFactory(area=AreaFactory())
            trainee = TraineeFactory(team=team)
            ChampionFactory(trainee=trainee)
            for course in courses:
                _attended(trainee, course, days_ago=30)

    client.force_login(officer)
    add(2)
    client.get(reverse("training:champions"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("training:champions")).status_code == 200
    add(13)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("training:champions"))
    assert response.content.decode().count('data-testid="champion-row"') == 15
    assert len(many) == len(few) <= 10


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR, None])
def test_people_outside_training_cannot_see_the_register(client, make_user, role):
    client.force_login(make_user(*([role] if role else [])))
    assert client.get(reverse("training:champions")).status_code == 403


# Appointing --------------------------------------------------------------------------------


def test_coordinator_adds_a_champion_by_collar_number(client, coordinator, northgate):
    trainee = TraineeFactory(name="Cara Heron", collar_number="PC7001", team=northgate)
    client.force_login(coordinator)
    assert client.get(reverse("training:champion_new")).status_code == 200

    response = _post_new(
        client, collar_number=" pc 7001 ", level="enhanced", appointed_on="3/2/2026", notes="Welsh"
    )

    assert response.status_code == 302 and response["Location"] == reverse("training:champions")
    champion = Champion.objects.get(trainee=trainee)
    assert champion.level == Champion.Level.ENHANCED
    assert champion.appointed_on == datetime.date(2026, 2, 3) and champion.notes == "Welsh"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.COLLECTION, object_id=str(champion.pk), actor=coordinator
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Cara Heron added to the register as enhanced champion." in page


def test_an_unknown_collar_number_is_a_clear_error(client, coordinator):
    client.force_login(coordinator)
    response = _post_new(client, collar_number="PC0000", appointed_on="3/2/2026")
    assert response.status_code == 200
    assert "No officer on the officer list has collar number PC0000" in response.content.decode()
    assert not Champion.objects.exists()


def test_an_officer_is_on_the_register_once(client, coordinator, northgate):
    trainee = TraineeFactory(name="Dee Swift", collar_number="PC7002", team=northgate)
    ChampionFactory(trainee=trainee)
    client.force_login(coordinator)
    response = _post_new(client, collar_number="PC7002", appointed_on="3/2/2026")
    assert response.status_code == 200
    assert "Dee Swift (PC7002) is already on the register." in response.content.decode()
    assert Champion.objects.count() == 1


def test_a_stood_down_champion_is_reappointed_on_their_entry():
    trainee = TraineeFactory()
    ChampionFactory(trainee=trainee, stood_down_on=TODAY() - DAY)
    with pytest.raises(ServiceError, match="clear the stood-down date") as refused:
        champion_appoint(trainee=trainee, by=None, level="champion", appointed_on=TODAY())
    assert refused.value.field == "trainee"


def test_only_serving_officers_are_appointed_and_not_in_the_future(coordinator):
    gone = TraineeFactory(active=False)
    with pytest.raises(ServiceError, match="not on the latest officer list"):
        champion_appoint(trainee=gone, by=coordinator, level="champion", appointed_on=TODAY())
    with pytest.raises(ServiceError, match="today or earlier") as refused:
        champion_appoint(
            trainee=TraineeFactory(), by=coordinator, level="champion", appointed_on=TODAY() + DAY
        )
    assert refused.value.field == "appointed_on"
    assert not Champion.objects.exists()


# Changing an entry --------------------------------------------------------------------------


def test_coordinator_records_a_champion_standing_down(client, coordinator):
    champion = ChampionFactory(appointed_on=TODAY() - 100 * DAY)
    client.force_login(coordinator)
    url = reverse("training:champion_edit", args=[champion.pk])
    page = client.get(url)
    assert page.status_code == 200 and champion.trainee.name in page.content.decode()
    response = client.post(
        url,
        {
            "level": "enhanced",
            "stood_down_on": (TODAY() - DAY).strftime("%d/%m/%Y"),
            "notes": "Moved to CID",
            "version": champion.version,
        },
    )
    assert response.status_code == 302
    champion.refresh_from_db()
    assert champion.stood_down_on == TODAY() - DAY and not champion.active
    assert champion.level == "enhanced" and champion.version == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION, object_id=str(champion.pk))
    assert event.changed_fields == ["level", "notes", "stood_down_on"]


def test_stood_down_date_is_not_before_the_appointment(client, coordinator):
    champion = ChampionFactory(appointed_on=datetime.date(2025, 6, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("training:champion_edit", args=[champion.pk]),
        {"level": "champion", "stood_down_on": "31/5/2025", "notes": "", "version": 1},
    )
    assert response.status_code == 200
    assert "on or after the date they were appointed (1 June 2025)" in response.content.decode()
    champion.refresh_from_db()
    assert champion.stood_down_on is None


def test_a_stale_edit_is_refused_and_the_input_kept(client, coordinator):
    champion = ChampionFactory()
    champion_update(champion=champion, by=coordinator, version=1, level="enhanced", notes="First")
    client.force_login(coordinator)
    response = client.post(
        reverse("training:champion_edit", args=[champion.pk]),
        {"level": "champion", "stood_down_on": "", "notes": "Second", "version": 1},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this champion" in page and "Second" in page
    champion.refresh_from_db()
    assert champion.notes == "First"
    with pytest.raises(ChangedByAnotherUser):
        champion_update(champion=champion, by=coordinator, version=1, level="champion")


@pytest.mark.parametrize("name", ["training:champion_new", "training:champion_edit"])
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ISAC, Role.PARTNER])
def test_only_the_managers_change_the_register(client, make_user, name, role):
    champion = ChampionFactory()
    client.force_login(make_user(role))
    kwargs = {"pk": champion.pk} if name.endswith("edit") else {}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_editing_a_champion_that_does_not_exist_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("training:champion_edit", args=[999999])).status_code == 404
