from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stalking_clinic.demo"
    label = "demo"
    verbose_name = "Demo data and local set-up"
