"""Make the database roles and the database that DATABASE_URL and DATABASE_OWNER_URL name, where
they are missing (README, "Database roles"), for `make run` and `make test` on a developer's
machine.

- the owner role (DATABASE_OWNER_URL's user): LOGIN CREATEDB (pytest makes its test databases
  as the owner), owning the database and everything in it;
- the application role (DATABASE_URL's user): LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
  NOBYPASSRLS NOREPLICATION; its rights on the tables are `manage.py grant_app_role`'s;
- the database, owned by the owner role. A database from before the two roles (owned by
  ``postgres``, say) is handed over to the owner role, every table in it too.

When all is in place it only looks, as the owner. Otherwise it connects as a superuser
(``--superuser``, default DATABASE_SUPERUSER or ``postgres``; PGPASSWORD if it needs a password),
on the same server, to make what is missing. A password in a URL becomes the role's password.
"""

import os

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg2 import sql


def _connect(db, *, user, password, dbname):
    return psycopg2.connect(
        dbname=dbname,
        user=user or None,
        password=password or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


class Command(BaseCommand):
    help = "Create the database roles and the database if they are missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--superuser",
            default=os.environ.get("DATABASE_SUPERUSER", "postgres"),
            help="A superuser role to create what is missing (default postgres).",
        )
        parser.add_argument(
            "--roles-only",
            action="store_true",
            help="Make the roles only, not the database (make test: pytest makes its own).",
        )

    def handle(self, *args, **options):
        self.db = settings.DATABASES["default"]
        self.owner = settings.DATABASES["owner"]
        self.roles_only = options["roles_only"]
        name = self.db["NAME"]
        if self.owner["USER"] == self.db["USER"]:
            self.stderr.write(
                f"DATABASE_URL and DATABASE_OWNER_URL both connect as {self.db['USER']}: the "
                "application runs as the database's owner (README, 'Database roles')."
            )
            if not self.roles_only:
                self._single_role_database(name)
            return
        missing = self._missing()
        if not missing:
            self.stdout.write(
                f"Roles {self.owner['USER']} (owner) and {self.db['USER']} (application) exist"
                + ("." if self.roles_only else f"; {self.owner['USER']} owns database {name}.")
            )
            return
        self.stdout.write(f"To do: {', '.join(missing)}.")
        try:
            conn = _connect(
                self.db,
                user=options["superuser"],
                password=os.environ.get("PGPASSWORD"),
                dbname="postgres",
            )
        except psycopg2.OperationalError as exc:
            raise CommandError(
                f"Cannot connect as the superuser {options['superuser']} to make "
                f"{', '.join(missing)}: {exc}".strip()
                + "\nMake them yourself (README, 'Database roles'), or set DATABASE_SUPERUSER."
            ) from exc
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                self._make_roles(cursor)
                if not self.roles_only:
                    self._make_database(cursor, name)
        finally:
            conn.close()
        if not self.roles_only:
            self._hand_over(name, options["superuser"])

    def _missing(self):
        """What is not in place yet, looked at as the owner role (if it can connect at all)."""
        try:
            conn = _connect(
                self.owner,
                user=self.owner["USER"],
                password=self.owner["PASSWORD"],
                dbname="postgres",
            )
        except psycopg2.OperationalError:
            return ["the roles", "the database"]
        missing = []
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT rolname, rolcreatedb, rolsuper OR rolcreatedb OR rolcreaterole"
                    " OR rolbypassrls OR rolreplication FROM pg_roles WHERE rolname IN (%s, %s)",
                    [self.owner["USER"], self.db["USER"]],
                )
                roles = {name: (createdb, powers) for name, createdb, powers in cursor.fetchall()}
                if not roles.get(self.owner["USER"], (False,))[0]:
                    missing.append(f"CREATEDB for {self.owner['USER']}")
                if self.db["USER"] not in roles:
                    missing.append(f"the role {self.db['USER']}")
                elif roles[self.db["USER"]][1]:
                    missing.append(f"taking powers from {self.db['USER']}")
                if not self.roles_only:
                    cursor.execute(
                        "SELECT pg_has_role(datdba, 'USAGE') FROM pg_database WHERE datname = %s",
                        [self.db["NAME"]],
                    )
                    owned = cursor.fetchone()
                    if owned is None:
                        missing.append(f"the database {self.db['NAME']}")
                    elif not owned[0] or not self._owns_everything():
                        missing.append(f"handing {self.db['NAME']} over to {self.owner['USER']}")
        finally:
            conn.close()
        return missing

    def _owns_everything(self):
        conn = _connect(
            self.owner,
            user=self.owner["USER"],
            password=self.owner["PASSWORD"],
            dbname=self.db["NAME"],
        )
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n"
                    " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                    " AND c.relkind IN ('r', 'p', 'S', 'v', 'm')"
                    " AND NOT pg_has_role(c.relowner, 'USAGE'))"
                    " AND pg_has_role((SELECT nspowner FROM pg_namespace"
                    " WHERE nspname = 'public'), 'USAGE')"
                )
                return cursor.fetchone()[0]
        finally:
            conn.close()

    def _make_roles(self, cursor):
        for role, password, options in (
            (self.owner["USER"], self.owner["PASSWORD"], "LOGIN CREATEDB"),
            (
                self.db["USER"],
                self.db["PASSWORD"],
                "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION",
            ),
        ):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone()
            statement = sql.SQL("{} ROLE {} {}").format(
                sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role), sql.SQL(options)
            )
            if password and not exists:
                statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
            cursor.execute(statement)
            if not exists:
                self.stdout.write(self.style.SUCCESS(f"Created role {role}."))

    def _make_database(self, cursor, name):
        owner = sql.Identifier(self.owner["USER"])
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            cursor.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name), owner)
            )
        else:
            cursor.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), owner)
            )
            self.stdout.write(self.style.SUCCESS(f"Created database {name}."))

    def _hand_over(self, name, superuser):
        """Make the owner role own the schema and everything in it: a database migrated before
        the two roles has its tables owned by whoever migrated it."""
        conn = _connect(self.db, user=superuser, password=os.environ.get("PGPASSWORD"), dbname=name)
        conn.autocommit = True
        owner = sql.Identifier(self.owner["USER"])
        moved = 0
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
                # Tables first: their identity and serial sequences follow them.
                for kinds, keyword in (
                    (("r", "p"), "TABLE"),
                    (("v",), "VIEW"),
                    (("m",), "MATERIALIZED VIEW"),
                    (("S",), "SEQUENCE"),
                ):
                    cursor.execute(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                        " ON n.oid = c.relnamespace JOIN pg_roles r ON r.oid = c.relowner"
                        " WHERE n.nspname = 'public' AND c.relkind = ANY(%s) AND r.rolname <> %s",
                        [list(kinds), self.owner["USER"]],
                    )
                    for (relation,) in cursor.fetchall():
                        cursor.execute(
                            sql.SQL("ALTER {} {} OWNER TO {}").format(
                                sql.SQL(keyword), sql.Identifier(relation), owner
                            )
                        )
                        moved += 1
                # Functions of our own (the audit trigger's), not an extension's.
                cursor.execute(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
                    " ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner"
                    " WHERE n.nspname = 'public' AND r.rolname <> %s AND NOT EXISTS ("
                    " SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass"
                    " AND d.objid = p.oid AND d.deptype = 'e')",
                    [self.owner["USER"]],
                )
                for (function,) in cursor.fetchall():
                    # regprocedure's text is PostgreSQL's own quoting of the name and arguments.
                    cursor.execute(
                        sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(function), owner)
                    )
                    moved += 1
        finally:
            conn.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{self.owner['USER']} owns database {name} ({moved} objects moved)."
            )
        )

    def _single_role_database(self, name):
        try:
            conn = _connect(
                self.db, user=self.db["USER"], password=self.db["PASSWORD"], dbname="postgres"
            )
        except psycopg2.OperationalError as exc:
            raise CommandError(f"Cannot reach PostgreSQL as {self.db['USER']}: {exc}") from exc
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if not cursor.fetchone():
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(self.style.SUCCESS(f"Created database {name}."))
        finally:
            conn.close()
