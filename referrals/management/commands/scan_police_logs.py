"""Scan the police log entries for stalking: tagged entries and untagged patterns.

    manage.py scan_police_logs

The same scan runs after every import (on the pairs the import touched) and on the beat
schedule; this runs it in full. Running it again without new log entries changes nothing.
"""

from django.core.management.base import BaseCommand

from referrals.logs.scan import scan_police_logs


class Command(BaseCommand):
    help = "Scan all police log entries and create or update the findings."

    def handle(self, *args, **options):
        result = scan_police_logs()
        self.stdout.write(str(result))
