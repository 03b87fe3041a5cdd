"""The referrals app; once loaded it registers its case timeline sources, home page work and
reminders (its emails)."""

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and cases"

    def ready(self):
        # Registers with the case timeline, the home page and the reminders job.
        from . import break_glass, reminders, timeline_sources, work  # noqa: F401
