from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        # Registers what this area adds to the home page's "My work" (stalking_clinic.home.work).
        from . import work  # noqa: F401
