from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        # Registers what this area adds elsewhere: the case timeline's entries
        # (referrals.timeline), the reminders of overdue actions (stalking_clinic.reminders) and
        # the home page's "My actions" (stalking_clinic.home.work).
        from . import own_work, reminders, retention, timeline, work  # noqa: F401
