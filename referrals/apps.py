"""The referrals app; once loaded it registers its case timeline sources and home page work."""

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and cases"

    def ready(self):
        from . import timeline_sources, work  # noqa: F401  (register with timeline and home)
