from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "stalking_clinic.home"
    label = "home"
    verbose_name = "Home and navigation"

    def ready(self):
        from . import work  # noqa: F401  (built-in work providers)
