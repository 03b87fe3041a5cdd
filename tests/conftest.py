"""Shared fixtures: one persona per role, plus an outsider with no role at all; a fake PDF
renderer; each test process's own folders for police log files; the test database, kept between
runs."""

import hashlib
import io
import os
import re
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.client import ClientMixin

from stalking_clinic import pdf
from stalking_clinic.accounts.models import Role

from .factories import UserFactory, authenticator_for

ALL_ROLES = list(Role.values)


# The second factor ------------------------------------------------------------------------------
# Every page needs a session that has passed the second factor. A test client's force_login gives
# one: it signs in as Django's does, then marks the session verified with the user's authenticator
# app (tests/factories.py, made if missing), as entering its code would. No setting is involved:
# the application itself never skips the second factor here. A test of the code page itself signs
# in with `sign_in_without_second_factor`.
_django_login = ClientMixin._login


def _login_with_second_factor(self, user, backend=None):
    from django_otp import DEVICE_ID_SESSION_KEY

    _django_login(self, user, backend)
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


def sign_in_without_second_factor(client, user):
    """Signed in with a password only: the session has not passed the second factor yet."""
    _django_login(client, user, client._get_backend())


@pytest.fixture(scope="session", autouse=True)
def _force_login_passes_second_factor():
    with mock.patch.object(ClientMixin, "_login", _login_with_second_factor):
        yield


def pytest_collection_modifyitems(items):
    """A test that commits (``django_db(transaction=True)``) may use the owner alias too: the
    police log importer's threaded sessions connect as the owner role (README, "Database
    roles"), and Django refuses an alias a test has not declared."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "databases" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(
                    *marker.args, **marker.kwargs, databases=["default", "owner"]
                ),
                append=False,
            )


@pytest.fixture
def make_user(db):
    def make(*roles, **kwargs):
        return UserFactory(roles=[str(role) for role in roles], **kwargs)

    return make


@pytest.fixture
def persona(make_user):
    """``persona("coordinator")``: a signed-in-able user holding exactly that role."""

    def get(role):
        return make_user(role, username=f"persona_{role}")

    return get


@pytest.fixture
def coordinator(persona):
    return persona(Role.COORDINATOR)


@pytest.fixture
def administrator(persona):
    return persona(Role.ADMINISTRATOR)


@pytest.fixture
def officer(persona):
    return persona(Role.OFFICER)


@pytest.fixture
def partner(persona):
    return persona(Role.PARTNER)


@pytest.fixture
def outsider(make_user):
    """Signed in, but holds no role: must be able to use nothing but a bare home page."""
    return make_user(username="outsider")


@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip WeasyPrint (about a second a PDF) and keep the HTML it would have drawn:
    ``fake_pdf["html"]`` and ``fake_pdf["context"]`` of the latest PDF, ``fake_pdf["every_html"]``
    of each in turn. The one test drawing a real PDF is in tests/core/test_pdf.py."""
    rendered = {"every_html": []}

    def render(template_name, context, *, request=None):
        html = render_to_string(template_name, context, request=request)
        rendered.update(html=html, context=context)
        rendered["every_html"].append(html)
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "render_pdf", render)
    return rendered


@pytest.fixture
def lock_held_elsewhere(db):
    """``with lock_held_elsewhere(Lock.X):`` another database session (another worker, say)
    holds that advisory lock until the block ends."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def hold(lock):
        other = psycopg2.connect(**connection.get_connection_params())
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [int(lock)])
            yield other
        finally:
            # Released here, not by closing: the server ends a closed session a moment later,
            # and a test going on at once would still find the lock held.
            if not other.closed:
                with other.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_all()")
            other.close()

    return hold


@pytest.fixture(scope="session", autouse=True)
def _police_log_folders(tmp_path_factory):
    """Police log uploads and the inbox in this test process's own temporary folder: never in the
    checkout's var/, which `make run` uses, nor shared with another test process."""
    folder = tmp_path_factory.mktemp("police-logs")
    with override_settings(
        POLICE_LOG_UPLOAD_DIR=folder / "uploads", POLICE_LOG_INBOX=folder / "inbox"
    ):
        yield


# The test database -------------------------------------------------------------------------------
# pytest runs with --reuse-db (pyproject.toml): each worker keeps its test database for the next
# run instead of migrating a new one. A kept database must never make a run pass or fail wrongly:
# - it is named after a hash of every migration file (and Django's version), so a checkout with
#   other migrations gets a database of its own; those of other hashes are dropped when unused;
# - it is emptied when a run starts, in case an earlier run stopped half-way through a test that
#   commits;
# - a run that finds it in use by another run on this machine (each run holds a lock on its
#   databases' names) makes a new database of its own, and drops it at the end.
# --create-db makes a new one anyway.
# The two database roles (README, "Database roles"): the owner role (DATABASE_OWNER_URL) makes,
# migrates, empties and drops the test database; the tests run as the application role
# (DATABASE_URL), so code that needs more than the application may do fails here first. The
# "owner" alias points at the same test database, as the owner.


def _migrations_hash(owner_role):
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    # A database made by another role (before the two roles, say) is not this one's to reuse.
    digest.update(f"{owner_role}\0".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.rglob("*.py")):
            digest.update(f"{config.label}/{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _lock_key(name):
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _drop_unused_test_databases(cursor, base, current_hash):
    """Drop the test databases of ``base`` made for other migrations (or before test databases
    had a hash), and those a run made for itself and left, if no run uses them."""
    ours = re.compile(rf"^test_{re.escape(base)}(?:_([0-9a-f]{{12}}))?(?:_gw\d+)?(_p\d+)?$")
    cursor.execute(
        "SELECT datname FROM pg_database d WHERE datname LIKE %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)",
        ["test\\_%"],
    )
    for (name,) in cursor.fetchall():
        match = ours.match(name)
        if not match or (match[1] == current_hash and not match[2]):
            continue
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(name)])
        if cursor.fetchone()[0]:
            try:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            except psycopg2.Error:
                pass  # someone connected in the meantime: a later run will drop it
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(name)])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """Name the test database ``test_<database>_<migrations hash>[_gw<n>]``, and hold a lock on
    that name for the run. Returns whether the database may be kept (no other run is using it)."""
    from django.db import connection, connections

    settings_dict = connection.settings_dict
    owner = connections.settings["owner"]
    base = settings_dict["NAME"]
    current_hash = _migrations_hash(owner["USER"])
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    name = "_".join(part for part in ("test", base, current_hash, worker) if part)
    # The server's maintenance database: a lock taken here covers every database on the server.
    server = psycopg2.connect(
        dbname="postgres",
        user=owner["USER"] or None,
        password=owner["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    server.autocommit = True
    request.addfinalizer(server.close)  # after the test database is dropped or kept
    with server.cursor() as cursor:
        _drop_unused_test_databases(cursor, base, current_hash)
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(name)])
        free = cursor.fetchone()[0]
        if not free:
            name = f"{name}_p{os.getpid()}"
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key(name)])
    settings_dict["TEST"]["NAME"] = name
    owner["TEST"]["NAME"] = name
    # Django makes and migrates the test database on the default alias: as the owner, until
    # django_db_setup below hands the default alias back to the application role.
    _APP_CREDENTIALS.update(USER=settings_dict["USER"], PASSWORD=settings_dict["PASSWORD"])
    settings_dict.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
    return free


_APP_CREDENTIALS = {}


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    return bool(request.config.getvalue("reuse_db")) and django_db_modify_db_settings


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup, django_db_keepdb, django_db_blocker, _empty_only_the_tables_in_use
):
    """Hand the default alias to the application role and point the owner alias at the test
    database; grant the application role its rights there. Empty a kept database before the
    first test: what a stopped run left must not count. (Its sequences go on: no test may count
    on the numbers a database gives.)"""
    from django.db import connections

    default = connections.settings["default"]
    owner = connections.settings["owner"]
    owner_credentials = {"USER": owner["USER"], "PASSWORD": owner["PASSWORD"]}
    owner_name = owner["NAME"]
    connections["default"].close()
    default.update(_APP_CREDENTIALS)
    # Django may have made the owner alias a mirror of the default one (same dictionary).
    connections["owner"].close()
    connections["owner"].settings_dict = owner
    owner["NAME"] = default["NAME"]
    with django_db_blocker.unblock():
        if default["USER"] != owner["USER"]:
            call_command("grant_app_role", database="owner", stdout=io.StringIO())
        # else a .env from before the two roles: test_database_roles.py fails, saying so.
        if django_db_keepdb:
            call_command(
                "flush", database="owner", interactive=False, verbosity=0, reset_sequences=False
            )
    yield
    # Django drops a test database that is not kept through the default alias: as the owner.
    connections["owner"].close()
    owner["NAME"] = owner_name
    connections["default"].close()
    default.update(owner_credentials)


@pytest.fixture(scope="session", autouse=True)
def _empty_only_the_tables_in_use():
    """After each test that commits (transaction=True, the browser tests), Django empties every
    table with one TRUNCATE: on PostgreSQL about two seconds for our ~60 tables, as each is
    given new files. Such a test writes to a handful of them: delete the rows of those instead,
    in the same transaction (foreign keys are checked at commit); TRUNCATE stays for tables with
    a trigger refusing deletes (the append-only audit log), and for flushes that also reset
    sequences or cascade. The application role may not TRUNCATE (nor DELETE from) the audit log:
    those tables are emptied as the owner, first."""
    from django.db import connections
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate_all = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate_all(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(  # the table names are Django's own, quoted
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT FROM {quote(table)})"  # noqa: S608
                    for table in tables
                ),
                list(tables),
            )
            in_use = [table for (table,) in cursor.fetchall()]
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                " WHERE event_manipulation = 'DELETE'"
            )
            refusing = {table for (table,) in cursor.fetchall()}
        if self.connection.alias != "owner":
            # A session of its own: a test that did not ask for the owner alias may not use it.
            owner = psycopg2.connect(**connections["owner"].get_connection_params())
            owner.autocommit = True
            try:
                with owner.cursor() as cursor:
                    for table in in_use:
                        if table in refusing:
                            cursor.execute(f"TRUNCATE {quote(table)}")
            finally:
                owner.close()
            return [
                f"DELETE FROM {quote(table)};"  # noqa: S608 (Django's own table names, quoted)
                for table in in_use
                if table not in refusing
            ]
        return [
            f"{'TRUNCATE' if table in refusing else 'DELETE FROM'} {quote(table)};"
            for table in in_use
        ]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield
