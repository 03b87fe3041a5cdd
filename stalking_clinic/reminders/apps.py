"""The reminders app: the one place reminders are made, emailed and dismissed."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "stalking_clinic.reminders"
    label = "reminders"
    verbose_name = "Reminders"
