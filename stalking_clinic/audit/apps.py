from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "stalking_clinic.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        # Sign-in and sign-out events; the tactical lead's "Unusual access to review".
        from . import signals, work  # noqa: F401
