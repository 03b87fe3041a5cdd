"""Changes made through Django's admin site go to the audit log like any other."""

from .models import AuditEvent
from .services import record


class AuditedModelAdmin:
    def log_addition(self, request, obj, message):
        record(actor=request.user, action=AuditEvent.Action.COLLECTION, obj=obj, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = []
        for entry in message or []:
            fields.extend(entry.get("changed", {}).get("fields", []))
        record(
            actor=request.user,
            action=AuditEvent.Action.ALTERATION,
            obj=obj,
            changed_fields=fields,
            request=request,
            # Old and new values, where the admin says what they were (``UserAdmin.save_model``).
            changes=getattr(obj, "_audit_changes", None),
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record(actor=request.user, action=AuditEvent.Action.ERASURE, obj=obj, request=request)
        return super().log_deletions(request, queryset)
