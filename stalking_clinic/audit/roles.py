"""The application's database role and what it may do (README, "Database roles").

The application connects as a role of its own (``DATABASE_URL``) that may read and write the
tables, but only ``SELECT`` and ``INSERT`` the append-only ones (the audit log), and may change no
schema: no ``CREATE`` in the schema, no ``TRUNCATE``, no ``ALTER``/``DISABLE TRIGGER`` (only a
table's owner may), no ``SET session_replication_role`` (a superuser's setting). The owner role
(``DATABASE_OWNER_URL``) owns the database and every table, and runs migrations.

``grant_app_role`` runs on a connection as the owner, after every migration (``manage.py migrate``
calls it; ``manage.py grant_app_role`` runs it alone). It is idempotent, and it checks the result:
an application role that could change the audit log stops it with an error.
"""

from contextlib import contextmanager

from django.apps import apps
from django.db import connections
from psycopg2 import sql

# Tables the application may only read and add to. A model's table, so that a rename follows.
APPEND_ONLY_MODELS = ("audit.AuditEvent",)

TABLE_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY_RIGHTS = ("SELECT", "INSERT")


class RoleError(Exception):
    """The application role is missing, or could do more than it may."""


@contextmanager
def as_owner(connection):
    """Within the block ``connection`` (the default alias, say) connects as the owner role
    (the ``owner`` alias's user and password) to its own database. Migrations run on the default
    alias so that data migrations, which write through it, see their schema changes."""
    owner = connections.settings["owner"]
    credentials = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(credentials)


def append_only_tables():
    return [apps.get_model(label)._meta.db_table for label in APPEND_ONLY_MODELS]


def grant_app_role(cursor, app_role: str) -> list[str]:
    """Give ``app_role`` exactly its rights on the current database, as its owner: ``cursor`` is
    the owner's. Returns what it did, line by line."""
    cursor.execute("SELECT current_user, current_database()")
    owner_role, database = cursor.fetchone()
    if app_role == owner_role:
        raise RoleError(
            f"DATABASE_URL and DATABASE_OWNER_URL both connect as {owner_role}: the application "
            "needs a role of its own (README, 'Database roles')."
        )
    cursor.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication"
        " FROM pg_roles WHERE rolname = %s",
        [app_role],
    )
    found = cursor.fetchone()
    if found is None:
        raise RoleError(
            f"The application role {app_role} does not exist: create it first "
            "(`manage.py ensure_database` does, as a superuser; README, 'Database roles')."
        )
    if any(found):
        raise RoleError(
            f"The application role {app_role} must be NOSUPERUSER NOCREATEDB NOCREATEROLE "
            "NOBYPASSRLS NOREPLICATION."
        )
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app_role, owner_role])
    if cursor.fetchone()[0]:
        raise RoleError(f"The application role {app_role} must not be a member of {owner_role}.")

    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')"
        " AND NOT pg_has_role(c.relowner, 'USAGE') ORDER BY 1"
    )
    others = [name for (name,) in cursor.fetchall()]
    if others:
        raise RoleError(
            f"{owner_role} does not own {', '.join(others[:5])}{'…' if len(others) > 5 else ''}: "
            "`manage.py ensure_database` hands an older database over to it."
        )

    app = sql.Identifier(app_role)
    owner = sql.Identifier(owner_role)
    append_only = append_only_tables()
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(database), app
        ),
        # Nobody but the owner creates anything in the schema (PostgreSQL before 15 let PUBLIC).
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(app),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"),
        sql.SQL(
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}"
        ).format(app),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(
            sql.SQL(", ").join(map(sql.SQL, TABLE_RIGHTS)), app
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(app),
        # Tables that later migrations create get the same, before this runs again.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}"
        ).format(owner, sql.SQL(", ").join(map(sql.SQL, TABLE_RIGHTS)), app),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public"
            " GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(owner, app),
    ]
    for table in append_only:
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(
                sql.Identifier(table), app
            )
        )
    for statement in statements:
        cursor.execute(statement)
    problems = check_app_role(cursor, app_role)
    if problems:
        raise RoleError(f"The application role {app_role} " + "; ".join(problems) + ".")
    return [
        f"{app_role} may read and write the tables of {database}, "
        f"only read and add to {', '.join(append_only)}, and change no schema."
    ]


def check_app_role(cursor, app_role: str) -> list[str]:
    """What ``app_role`` could do that it must not, in words: empty when all is well."""
    problems = []
    cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [app_role])
    if cursor.fetchone()[0]:
        problems.append("may create objects in the schema public (who owns it?)")
    for table in append_only_tables():
        for right in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app_role, table, right])
            if cursor.fetchone()[0]:
                problems.append(f"may {right} {table}")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')"
        " AND pg_has_role(%s, c.relowner, 'USAGE') ORDER BY 1",
        [app_role],
    )
    owned = [name for (name,) in cursor.fetchall()]
    if owned:
        problems.append(f"owns {', '.join(owned[:5])}{'…' if len(owned) > 5 else ''}")
    return problems
