from django.apps import AppConfig


class SpoConfig(AppConfig):
    name = "spo"
    verbose_name = "Protection orders"

    def ready(self):
        # Registers what this area adds elsewhere: the panel on the case page
        # (referrals.case_panels), the case timeline's entries (referrals.timeline), what the
        # reminders job makes (stalking_clinic.reminders) and the home page's reminders
        # (stalking_clinic.home.work).
        from . import case_page, own_work, reminders, retention, timeline, work  # noqa: F401
