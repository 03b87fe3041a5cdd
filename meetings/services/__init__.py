"""Writes of the meetings area: ``meetings.services.meetings`` (meetings, attendance, agenda,
discussions, drop-in advice) and ``meetings.services.actions`` (actions and their reminders)."""
