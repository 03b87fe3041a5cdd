from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "stalking_clinic.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in and sign-out events)
