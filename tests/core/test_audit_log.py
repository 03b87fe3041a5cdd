"""The audit log: append-only in the database, written for sign-ins, consultations and admin
changes, and searchable by administrators."""

import datetime
import html

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from stalking_clinic.access import Perm, require
from stalking_clinic.audit.middleware import RequestAudit
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


# The application's role may not UPDATE or DELETE the log at all; the trigger refusing the owner
# too is in test_database_roles.py.
def test_database_refuses_to_change_an_audit_event(coordinator):
    event = record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
    with (
        pytest.raises(DatabaseError, match="permission denied for table audit_auditevent"),
        transaction.atomic(),
    ):
        AuditEvent.objects.filter(pk=event.pk).update(justification="covering tracks")
    event.refresh_from_db()
    assert event.justification == ""


def test_database_refuses_to_delete_an_audit_event_even_in_raw_sql(coordinator):
    event = record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
    with (
        pytest.raises(DatabaseError, match="permission denied for table audit_auditevent"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_disclosure_must_name_its_recipient(coordinator):
    with pytest.raises(ValueError, match="recipient"):
        record(actor=coordinator, action=AuditEvent.Action.DISCLOSURE, obj=coordinator)


def test_signing_in_and_out_is_recorded(client, coordinator):
    client.post(reverse("login"), {"username": coordinator.username, "password": TEST_PASSWORD})
    client.post(reverse("logout"))
    actions = list(
        AuditEvent.objects.filter(actor=coordinator).order_by("id").values_list("action", flat=True)
    )
    assert actions == [AuditEvent.Action.SIGN_IN, AuditEvent.Action.SIGN_OUT]


def test_failed_sign_in_is_recorded_without_what_was_typed(client, coordinator):
    response = client.post(reverse("login"), {"username": "P@ssw0rd-typed-here", "password": "x"})
    assert "Enter a correct username and password." in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert "P@ssw0rd" not in f"{event.object_label} {event.object_id} {event.justification}"


def _personal_view(*, logs):
    @require(Perm.HOME, shows_personal_data=True)
    def view(request):
        if logs:
            request.audit.consulted(request.user, justification="Case review")
        return HttpResponse("details")

    return view


def _request(user):
    request = RequestFactory().get("/somewhere/42/")
    request.user = user
    request.audit = RequestAudit(request)
    return request


def test_a_page_showing_personal_data_logs_who_consulted_what(coordinator):
    response = _personal_view(logs=True)(_request(coordinator))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONSULTATION)
    assert (event.actor, event.object_id, event.path) == (
        coordinator,
        str(coordinator.pk),
        "/somewhere/42/",
    )
    assert event.justification == "Case review"


def test_a_page_showing_personal_data_that_forgets_the_audit_fails_loudly(coordinator):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="logged no consultation"):
        _personal_view(logs=False)(_request(coordinator))


def test_admin_site_changes_are_audited_with_the_fields_changed(client, administrator, officer):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "first_name": "Renamed",
            "roles": "officer,champion",
            "date_joined_0": officer.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
            "agency": "",
            "groups": [],
            "user_permissions": [],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditEvent.Action.ALTERATION)
    assert event.actor == administrator
    assert event.object_label == f"User {officer.username}"
    assert "first_name" in " ".join(event.changed_fields).lower().replace(" ", "_")


class TestAuditSearch:
    def test_administrator_filters_by_user_and_action(self, client, administrator, coordinator):
        record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
        record(actor=administrator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
        client.force_login(administrator)
        response = client.get(
            reverse("audit:search"), {"user": coordinator.username, "action": "consultation"}
        )
        events = response.context["events"]
        assert [e.actor for e in events] == [coordinator]

    def test_filters_by_record_and_dates(self, client, administrator, coordinator, officer):
        old = record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=officer)
        # The trigger forbids UPDATE, so make the old event old by inserting it that way.
        AuditEvent.objects.create(
            actor=coordinator,
            action=AuditEvent.Action.CONSULTATION,
            object_type=old.object_type,
            object_id=old.object_id,
            at=timezone.now() - datetime.timedelta(days=10),
        )
        client.force_login(administrator)
        today = timezone.localdate().strftime("%d/%m/%Y")
        response = client.get(
            reverse("audit:search"),
            {"record_type": "accounts.user", "record_id": str(officer.pk), "date_from": today},
        )
        assert [e.pk for e in response.context["events"]] == [old.pk]

    def test_bad_dates_are_explained_next_to_the_field(self, client, administrator):
        client.force_login(administrator)
        response = client.get(
            reverse("audit:search"), {"date_from": "31/02/2026", "date_to": "01/01/2026"}
        )
        page = response.content.decode()
        assert "There is a problem" in page
        assert "Enter a real date as day/month/year" in page
        assert response.context["events"] == []

    def test_end_before_start_is_refused(self, client, administrator):
        client.force_login(administrator)
        response = client.get(
            reverse("audit:search"), {"date_from": "10/01/2026", "date_to": "01/01/2026"}
        )
        assert response.context["form"].errors["date_to"] == [
            "The end date must be the same as or after the start date."
        ]

    def test_unknown_user_is_explained(self, client, administrator):
        client.force_login(administrator)
        response = client.get(reverse("audit:search"), {"user": "nobody-here"})
        assert "There is no user called 'nobody-here'." in html.unescape(response.content.decode())

    def test_pages_run_back_through_history_with_constant_queries(
        self, client, administrator, coordinator, django_assert_max_num_queries
    ):
        AuditEvent.objects.bulk_create(
            AuditEvent(actor=coordinator, action=AuditEvent.Action.CONSULTATION, object_id=str(i))
            for i in range(120)
        )
        client.force_login(administrator)
        seen = []
        url = reverse("audit:search") + "?user=" + coordinator.username
        while url:
            with django_assert_max_num_queries(8):
                response = client.get(url)
            seen.extend(e.pk for e in response.context["events"])
            next_link = response.context["page"].next_link
            url = reverse("audit:search") + next_link if next_link else None
        assert len(seen) == 120 == len(set(seen))
        assert seen == sorted(seen, reverse=True)
