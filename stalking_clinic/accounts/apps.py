from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stalking_clinic.accounts"
    label = "accounts"
    verbose_name = "Users, roles and agencies"

    def ready(self):
        # Connects the signal that starts a session's clocks at sign-in.
        from . import sessions  # noqa: F401
