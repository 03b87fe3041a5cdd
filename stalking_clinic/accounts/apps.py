from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stalking_clinic.accounts"
    label = "accounts"
    verbose_name = "Users, roles and agencies"
