from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        # Registers what this area adds elsewhere: the reminders before sessions
        # (stalking_clinic.reminders) and the home page's "My work" (stalking_clinic.home.work).
        from . import reminders, work  # noqa: F401
