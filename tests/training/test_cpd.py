"""The CPD log: clinic staff record, change and delete their own entries; the coordinator and
tactical lead also see everyone's, with each person's hours in the last 12 months."""

import datetime
import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.services import ServiceError
from training.models import CPDEntry
from training.services.cpd import cpd_create, cpd_update

from .factories import CPDEntryFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def isac(persona):
    return persona(Role.ISAC)


@pytest.fixture
def solicitor(persona):
    return persona(Role.SOLICITOR)


def _entry_data(**changes):
    data = {
        "done_on": (TODAY() - 3 * DAY).strftime("%d/%m/%Y"),
        "kind": "course",
        "title": "Fixated threat assessment",
        "provider": "Demo Trust",
        "hours": "2.5",
        "reflection": "Ask about fixation early.",
    }
    data.update(changes)
    return data


# The log ----------------------------------------------------------------------------------


def test_staff_see_only_their_own_entries_newest_first_with_a_years_hours(client, isac, solicitor):
    CPDEntryFactory(user=isac, title="Older course", done_on=TODAY() - 40 * DAY, hours=3)
    CPDEntryFactory(user=isac, title="Newer webinar", done_on=TODAY() - 2 * DAY, hours="1.5")
    CPDEntryFactory(user=isac, title="Two years ago", done_on=TODAY() - 700 * DAY, hours=7)
    CPDEntryFactory(user=solicitor, title="Someone else's", hours=9)
    client.force_login(isac)

    page = client.get(reverse("training:cpd")).content.decode()

    assert page.index("Newer webinar") < page.index("Older course") < page.index("Two years ago")
    assert "Someone else's" not in page
    assert "4.5 hours" in page  # 1.5 + 3; the entry two years old is not counted
    assert "Clinic staff: the last 12 months" not in page  # no one else's totals


def test_someone_not_a_manager_cannot_look_at_another_persons_log(client, isac, solicitor):
    CPDEntryFactory(user=solicitor, title="Solicitor's course")
    client.force_login(isac)
    page = client.get(reverse("training:cpd"), {"user": solicitor.pk}).content.decode()
    assert "Solicitor's course" not in page and "My CPD log" in page


def test_the_coordinator_sees_each_persons_totals_and_their_log(client, coordinator, isac):
    CPDEntryFactory(user=isac, title="Advocacy conference", hours=6)
    CPDEntryFactory(user=isac, title="Ancient", hours=10, done_on=TODAY() - 400 * DAY)
    CPDEntryFactory(user=coordinator, title="My own reading", hours=2)
    client.force_login(coordinator)

    page = client.get(reverse("training:cpd")).content.decode()
    assert "My own reading" in page and "Advocacy conference" not in page
    totals = page[page.index('data-testid="cpd-totals"') :]
    assert isac.display_name in totals and "6" in totals

    response = client.get(reverse("training:cpd"), {"user": isac.pk})
    page = response.content.decode()
    assert f"CPD log of {isac.display_name}" in page
    assert "Advocacy conference" in page and "My own reading" not in page
    assert reverse("training:cpd_edit", args=[isac.cpd_entries.first().pk]) not in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONSULTATION, actor=coordinator, object_id=str(isac.pk)
    ).exists()


def test_the_log_runs_the_same_queries_however_many_entries_and_staff(
    client, coordinator, make_user
):
    client.force_login(coordinator)
    CPDEntryFactory(user=coordinator)
    client.get(reverse("training:cpd"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:cpd"))
    for n in range(6):
        member = make_user(Role.ISAC, username=f"advocate{n}")
        CPDEntryFactory.create_batch(3, user=member)
    CPDEntryFactory.create_batch(30, user=coordinator)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("training:cpd"))
    assert response.content.decode().count('data-testid="cpd-row"') == 25  # a page
    assert response.content.decode().count('data-testid="cpd-total-row"') == 7
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize(
    "name", ["training:cpd", "training:cpd_new", "training:cpd_edit", "training:cpd_delete"]
)
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.PARTNER, None])
def test_the_cpd_log_is_for_clinic_staff_only(client, make_user, name, role):
    entry = CPDEntryFactory()
    client.force_login(make_user(*([role] if role else [])))
    kwargs = {} if name in ("training:cpd", "training:cpd_new") else {"pk": entry.pk}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


# Adding ------------------------------------------------------------------------------------


def test_staff_add_an_entry_to_their_own_log(client, isac):
    client.force_login(isac)
    assert client.get(reverse("training:cpd_new")).status_code == 200
    response = client.post(reverse("training:cpd_new"), _entry_data())
    assert response.status_code == 302 and response["Location"] == reverse("training:cpd")
    entry = CPDEntry.objects.get()
    assert entry.user == isac and entry.hours == decimal.Decimal("2.5")
    assert entry.title == "Fixated threat assessment" and entry.done_on == TODAY() - 3 * DAY
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.COLLECTION, object_id=str(entry.pk), actor=isac
    ).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"done_on": (TODAY() + DAY).strftime("%d/%m/%Y")}, "The date must be today or earlier."),
        ({"done_on": "31/2/2026"}, "Enter a real date"),
        ({"hours": "0.25"}, "Enter the hours to one decimal place"),
        ({"hours": "0.4"}, "Enter the hours, between 0.5 and 100."),
        ({"hours": "100.5"}, "Enter the hours, between 0.5 and 100."),
        ({"hours": "lots"}, "Enter the hours as a number"),
        ({"title": ""}, "Enter what the activity was."),
        ({"kind": ""}, "Choose the kind of activity."),
    ],
)
def test_bad_entries_are_refused_with_a_message(client, isac, changes, message):
    client.force_login(isac)
    response = client.post(reverse("training:cpd_new"), _entry_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_the_service_checks_hours_and_dates_too(isac):
    for hours, message in (("0.4", "between 0.5 and 100"), ("1.25", "one decimal place")):
        with pytest.raises(ServiceError, match=message):
            cpd_create(
                by=isac, done_on=TODAY(), kind="course", title="x", hours=decimal.Decimal(hours)
            )
    with pytest.raises(ServiceError, match="today or earlier"):
        cpd_create(by=isac, done_on=TODAY() + DAY, kind="course", title="x", hours=1)
    assert cpd_create(by=isac, done_on=TODAY(), kind="other", title="x", hours=100).pk


# Changing and deleting ---------------------------------------------------------------------


def test_staff_change_their_own_entry(client, isac):
    entry = CPDEntryFactory(user=isac, title="Webinar")
    client.force_login(isac)
    url = reverse("training:cpd_edit", args=[entry.pk])
    assert "Webinar" in client.get(url).content.decode()
    response = client.post(url, _entry_data(title="Webinar on cyberstalking", version=1))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Webinar on cyberstalking" and entry.version == 2
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ALTERATION, object_id=str(entry.pk)
    ).exists()


def test_a_stale_change_is_refused_and_the_input_kept(client, isac):
    entry = CPDEntryFactory(user=isac, title="Webinar")
    cpd_update(
        entry=entry,
        by=isac,
        version=1,
        done_on=entry.done_on,
        kind=entry.kind,
        title="Changed in another tab",
        hours=entry.hours,
    )
    client.force_login(isac)
    response = client.post(
        reverse("training:cpd_edit", args=[entry.pk]), _entry_data(title="My edit", version=1)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed (perhaps in another tab)" in page and "My edit" in page
    entry.refresh_from_db()
    assert entry.title == "Changed in another tab"


def test_nobody_changes_or_deletes_someone_elses_entry(client, isac, coordinator, solicitor):
    entry = CPDEntryFactory(user=isac)
    for name in ("training:cpd_edit", "training:cpd_delete"):
        url = reverse(name, args=[entry.pk])
        client.force_login(coordinator)  # sees everyone's entries, writes none of them
        assert client.get(url).status_code == 403
        assert client.post(url, _entry_data(version=1)).status_code == 403
        client.force_login(solicitor)  # may not know the entry exists
        assert client.get(url).status_code == 404
        assert client.post(url, _entry_data(version=1)).status_code == 404
    entry.refresh_from_db()
    assert entry.version == 1


def test_staff_delete_their_own_entry_after_confirming(client, isac):
    entry = CPDEntryFactory(user=isac, title="Duplicate entry")
    client.force_login(isac)
    url = reverse("training:cpd_delete", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "Delete this CPD entry?" in page and "Duplicate entry" in page
    assert CPDEntry.objects.filter(pk=entry.pk).exists()

    response = client.post(url, {"version": entry.version})

    assert response.status_code == 302 and response["Location"] == reverse("training:cpd")
    assert not CPDEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ERASURE, object_id=str(entry.pk), actor=isac
    ).exists()


def test_deleting_a_changed_entry_asks_again(client, isac):
    entry = CPDEntryFactory(user=isac)
    CPDEntry.objects.filter(pk=entry.pk).update(version=2)
    client.force_login(isac)
    response = client.post(reverse("training:cpd_delete", args=[entry.pk]), {"version": 1})
    assert response.status_code == 200
    assert "changed (perhaps in another tab)" in response.content.decode()
    assert CPDEntry.objects.filter(pk=entry.pk).exists()
