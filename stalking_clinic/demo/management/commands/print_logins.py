"""Print the address and the demo logins, for the end of `make run`."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from stalking_clinic.demo.users import USERS

from .seed_demo import DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "Print where the running system is and how to sign in to it."

    def handle(self, *args, **options):
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Stalking Clinic ({settings.FORCE_NAME})"))
        self.stdout.write(f"  Open http://{host}:{port}/ in a browser.")
        self.stdout.write(f"  Demo logins (password: {password}):")
        for username, _first, _last, roles, _agency, _title in USERS:
            labels = ", ".join(role.label for role in roles)
            self.stdout.write(f"    {username:<18} {labels}")
        self.stdout.write("  Ctrl-C stops the web server, the worker and beat together.")
        self.stdout.write("")
