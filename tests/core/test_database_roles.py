"""The two database roles (README, "Database roles"): the application's role may read and add to
the audit log and nothing more on it, and may change no schema; the owner role runs migrations,
and even it cannot change or delete an audit event while the trigger stands."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

pytestmark = pytest.mark.django_db(databases=["default", "owner"])

TRIGGER = "audit_event_append_only"


def _trigger_enabled():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = %s"
            " AND tgrelid = 'audit_auditevent'::regclass",
            [TRIGGER],
        )
        return cursor.fetchone()[0] == "O"


def test_the_application_connects_as_a_role_of_its_own_without_powers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls"
            " FROM pg_roles WHERE rolname = current_user"
        )
        user, *powers = cursor.fetchone()
    with connections["owner"].cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
    assert user != owner, (
        "DATABASE_URL connects as the owner: the tests must run as the application role "
        "(README, 'Database roles')"
    )
    assert powers == [False, False, False, False]
    assert database == connection.settings_dict["NAME"]  # the same (test) database


def test_the_application_role_can_add_to_and_read_the_audit_log(coordinator):
    event = record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
    assert AuditEvent.objects.get(pk=event.pk).actor == coordinator


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        (
            "UPDATE audit_auditevent SET justification = 'covering tracks' WHERE id = %(id)s",
            "permission denied for table audit_auditevent",
        ),
        ("DELETE FROM audit_auditevent WHERE id = %(id)s", "permission denied for table"),
        ("TRUNCATE audit_auditevent", "permission denied for table audit_auditevent"),
        (f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}", "must be owner of table"),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner of table"),
        (f"DROP TRIGGER {TRIGGER} ON audit_auditevent", "must be owner of"),
        ("ALTER TABLE audit_auditevent ADD COLUMN note text", "must be owner of table"),
        ("DROP TABLE audit_auditevent", "must be owner of table"),
        (
            "CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger"
            " AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
            "permission denied for schema public|must be owner of function",
        ),
        ("SET session_replication_role = replica", "permission denied to set parameter"),
        ("SET LOCAL session_replication_role = replica", "permission denied to set parameter"),
        ("CREATE TABLE public.audit_copy (id integer)", "permission denied for schema public"),
    ],
)
def test_the_application_role_cannot_change_the_audit_log(coordinator, statement, refusal):
    event = record(actor=coordinator, action=AuditEvent.Action.CONSULTATION, obj=coordinator)
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, {"id": event.pk})
    event.refresh_from_db()
    assert event.justification == ""
    assert _trigger_enabled()


def test_the_application_role_may_make_temporary_tables():
    # The police log importer stages rows, and the scan its working sets, in TEMP tables.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE staging (id integer) ON COMMIT DROP")
        cursor.execute("INSERT INTO staging VALUES (1)")
        cursor.execute("TRUNCATE staging")
        cursor.execute("ANALYZE staging")


def test_even_the_owner_cannot_change_or_delete_an_audit_event():
    owner_log = AuditEvent.objects.using("owner")
    event = owner_log.create(action=AuditEvent.Action.CONSULTATION, object_label="Case C-1")
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(using="owner"),
    ):
        owner_log.filter(pk=event.pk).update(justification="covering tracks")
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(using="owner"),
    ):
        owner_log.filter(pk=event.pk).delete()
    assert owner_log.get(pk=event.pk).justification == ""


def test_granting_again_changes_nothing_and_reaches_tables_made_later():
    call_command("grant_app_role", stdout=None)
    call_command("grant_app_role", stdout=None)
    app = connection.settings_dict["USER"]
    with connections["owner"].cursor() as cursor:
        cursor.execute("CREATE TABLE made_by_a_later_migration (id integer)")
        cursor.execute(
            "SELECT has_table_privilege(%s, 'made_by_a_later_migration', 'INSERT'),"
            " has_table_privilege(%s, 'made_by_a_later_migration', 'TRUNCATE'),"
            " has_table_privilege(%s, 'audit_auditevent', 'UPDATE')",
            [app, app, app],
        )
        assert cursor.fetchone() == (True, False, False)


def test_granting_refuses_an_application_role_that_is_the_owner(monkeypatch):
    owner = connections["owner"].settings_dict["USER"]
    monkeypatch.setitem(connections.settings["default"], "USER", owner)
    with pytest.raises(CommandError, match="both connect as"):
        call_command("grant_app_role")
