"""Django's admin site, opened to the administrator role (not to is_staff) so that who may manage
accounts is decided by the same rules as everything else."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from stalking_clinic.access import Perm, can


class ClinicAdminSite(admin.AdminSite):
    site_header = "Stalking Clinic administration"
    site_title = "Stalking Clinic administration"

    def has_permission(self, request):
        return can(request.user, Perm.USERS_MANAGE)


class ClinicAdminConfig(AdminConfig):
    default_site = "stalking_clinic.accounts.admin_site.ClinicAdminSite"


class RoleGuardedAdmin:
    """Model admins that administrators may use in full, and nobody else at all."""

    def has_module_permission(self, request):
        return can(request.user, Perm.USERS_MANAGE)

    def has_view_permission(self, request, obj=None):
        return can(request.user, Perm.USERS_MANAGE)

    def has_add_permission(self, request):
        return can(request.user, Perm.USERS_MANAGE)

    def has_change_permission(self, request, obj=None):
        return can(request.user, Perm.USERS_MANAGE)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, Perm.USERS_MANAGE)
