"""Reminders: one model, one beat job and one rule for a failed send, fed by every app.

``models.py`` holds ``Reminder``; ``registry.py`` the ``@reminder_source`` functions the apps
register from their ``AppConfig.ready`` (this package never imports them); ``services.py``
creates what is due and emails it; ``selectors.py`` reads a user's open reminders; ``tasks.py``
is the beat job's entry point. Email texts are templates: ``templates/<app>/email/<kind>.txt``.
"""
