class MeetingsError(Exception):
    """Refused input: ``message`` is shown next to ``field`` (None: at the top of the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ChangedByAnotherUser(MeetingsError):
    """The record changed since the user opened it: nothing was written."""

    def __init__(self, message: str, field: str | None = None, *, by: str = ""):
        super().__init__(message, field)
        self.by = by
