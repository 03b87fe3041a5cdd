"""Create the first administrator (or give an existing account the administrator role).

Administrators sign in at /sign-in/ and manage every other account at /admin/.
"""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stalking_clinic.accounts.models import Role, User
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record


class Command(BaseCommand):
    help = "Create an administrator account, or give an existing account the administrator role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            password = self._ask_password(User(username=username, email=email))
        with transaction.atomic():
            if user is None:
                user = User(username=username, email=email, roles=[Role.ADMINISTRATOR.value])
                user.set_password(password)
                user.save()
                record(actor=None, action=AuditEvent.Action.COLLECTION, obj=user)
                self.stdout.write(self.style.SUCCESS(f"Created administrator {username}."))
            elif Role.ADMINISTRATOR in user.roles:
                self.stdout.write(f"{username} is already an administrator.")
            else:
                user.roles = [*user.roles, Role.ADMINISTRATOR.value]
                user.save(update_fields=["roles"])
                record(
                    actor=None,
                    action=AuditEvent.Action.ALTERATION,
                    obj=user,
                    changed_fields=["roles"],
                )
                self.stdout.write(self.style.SUCCESS(f"{username} is now an administrator."))

    def _ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return password
        raise CommandError("No acceptable password given.")
