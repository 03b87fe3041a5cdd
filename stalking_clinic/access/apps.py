from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "stalking_clinic.access"
    label = "access"
    verbose_name = "Access control"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system check)
