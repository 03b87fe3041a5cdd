"""Give the application's database role (DATABASE_URL's) exactly its rights, as the owner role
(DATABASE_OWNER_URL's). `manage.py migrate` runs this after every migration."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from stalking_clinic.audit.roles import RoleError, grant_app_role


class Command(BaseCommand):
    help = (
        "Grant the application role (DATABASE_URL) read and write on the tables, only SELECT and "
        "INSERT on the audit log, and no schema changes; run as the owner (DATABASE_OWNER_URL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default="owner", help="The alias connecting as the owner (owner)."
        )

    def handle(self, *args, **options):
        app_role = settings.DATABASES[DEFAULT_DB_ALIAS]["USER"]
        try:
            with connections[options["database"]].cursor() as cursor:
                for line in grant_app_role(cursor, app_role):
                    self.stdout.write(line)
        except RoleError as error:
            raise CommandError(str(error)) from None
