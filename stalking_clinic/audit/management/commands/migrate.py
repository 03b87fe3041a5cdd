"""Django's `migrate`, run as the owner role, then `grant_app_role`.

The application's role (DATABASE_URL) may change no schema, so migrating the default database
connects as DATABASE_OWNER_URL's role instead, and gives the application role its rights on
whatever the migrations made. With no separate owner role (DATABASE_OWNER_URL unset) it is
Django's `migrate` as it was.
"""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from stalking_clinic.audit.roles import RoleError, as_owner, grant_app_role


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Connects as the owner role, then grants the application role."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        owner = connections.settings["owner"]
        app_role = connection.settings_dict["USER"]
        if options["database"] != DEFAULT_DB_ALIAS or owner["USER"] == app_role:
            return super().handle(*args, **options)
        try:
            with as_owner(connection):
                super().handle(*args, **options)
                with connection.cursor() as cursor:
                    lines = grant_app_role(cursor, app_role)
        except RoleError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            for line in lines:
                self.stdout.write(line)
