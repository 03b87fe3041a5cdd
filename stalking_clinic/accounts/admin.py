from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from stalking_clinic.audit.admin_mixins import AuditedModelAdmin

from .admin_site import RoleGuardedAdmin
from .models import Agency, User


@admin.register(User)
class UserAdmin(RoleGuardedAdmin, AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role_list", "agency", "is_active")
    list_filter = ("is_active", "agency")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Clinic", {"fields": ("roles", "agency", "job_title", "collar_number")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ("first_name", "last_name", "email", "roles", "agency")}),
    )

    @admin.display(description="Roles")
    def role_list(self, obj):
        return ", ".join(obj.role_labels)


@admin.register(Agency)
class AgencyAdmin(RoleGuardedAdmin, AuditedModelAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "is_partner")
