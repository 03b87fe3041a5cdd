"""Accounts in Django's admin. Every change to what an account may do (roles, agency, active,
staff, superuser) is audited with its old and new values, and no administrator may give their own
account access to cases: another administrator must (issue 14, item 13)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stalking_clinic.access import Perm
from stalking_clinic.access.rules import ROLE_PERMISSIONS
from stalking_clinic.audit.admin_mixins import AuditedModelAdmin

from .admin_site import RoleGuardedAdmin
from .models import Agency, User
from .services.second_factor import second_factor_reset

# django-otp's own admins show an authenticator's secret: an administrator resets a user's second
# factor with the action below instead, which never shows one.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# What an account may do: each change to these is audited with its old and new value.
ACCESS_FIELDS = ("roles", "agency", "is_active", "is_staff", "is_superuser")


def gives_case_access(old_roles, new_roles) -> bool:
    """Whether going from ``old_roles`` to ``new_roles`` gives access to cases it lacked."""
    case_roles = ROLE_PERMISSIONS[Perm.CASES_VIEW]
    return bool(set(new_roles) & case_roles) and not set(old_roles) & case_roles


def access_values(user: User) -> dict:
    """The account's ``ACCESS_FIELDS``, as the audit log keeps them (JSON, no one's details)."""
    return {
        "roles": sorted(user.roles),
        "agency": str(user.agency) if user.agency_id else None,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def _refusing_self_grant(form_class, *, editor, account):
    """``form_class``, refusing to give ``editor``'s own ``account`` access to cases."""
    old_roles = list(account.roles) if account is not None else []
    own = account is not None and account.pk == editor.pk

    class Form(form_class):
        def clean_roles(self):
            roles = self.cleaned_data["roles"]
            if own and gives_case_access(old_roles, roles):
                raise forms.ValidationError(
                    "You cannot give your own account access to cases. Ask another "
                    "administrator to do it."
                )
            return roles

    Form.__name__ = form_class.__name__
    return Form


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "roles" not in form.base_fields:
            return form
        return _refusing_self_grant(form, editor=request.user, account=obj)

    def save_model(self, request, obj, form, change):
        before = access_values(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            after = access_values(obj)
            obj._audit_changes = {
                name: {"old": before[name], "new": after[name]}
                for name in ACCESS_FIELDS
                if before[name] != after[name]
            }

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
