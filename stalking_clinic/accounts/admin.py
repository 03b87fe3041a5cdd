from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalking_clinic.audit.admin_mixins import AuditedModelAdmin

from .admin_site import RoleGuardedAdmin
from .models import Agency, User
from .services.second_factor import second_factor_reset

# django-otp's own admins show an authenticator's secret: an administrator resets a user's second
# factor with the action below instead, which never shows one.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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

    actions = ["reset_second_factor"]

    @admin.action(description="Reset the second factor (lost authenticator app)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(user, by=request.user, request=request)
        self.message_user(
            request,
            f"Reset the second factor of {queryset.count()} account(s): each sets up a new "
            "authenticator app at its next sign-in.",
            messages.SUCCESS,
        )

    @admin.display(description="Roles")
    def role_list(self, obj):
        return ", ".join(obj.role_labels)


@admin.register(Agency)
class AgencyAdmin(RoleGuardedAdmin, AuditedModelAdmin, admin.ModelAdmin):
    list_display = ("name", "kind", "is_partner")
