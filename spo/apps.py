from django.apps import AppConfig


class SpoConfig(AppConfig):
    name = "spo"
    verbose_name = "Protection orders"
