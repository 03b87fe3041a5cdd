"""Load fictional demo data: one login per role, plus each app's own demo records.

Safe to run again: everything is matched on a natural key and updated, never duplicated.
Apps add their own data by providing ``<app>/demo.py`` with ``seed(command)``.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stalking_clinic.demo.users import seed_users

DEFAULT_PASSWORD = "demo-clinic-2026"  # noqa: S105  (fictional demo logins only)


class Command(BaseCommand):
    help = "Create or refresh fictional demo data and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo login (default: DEMO_PASSWORD, else a fixed demo one).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known logins and refuses to run in production.")
        import os

        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with transaction.atomic():
            users = seed_users(password)
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                module = importlib.import_module(module_name)
                if hasattr(module, "seed"):
                    module.seed(self)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} demo logins."))
