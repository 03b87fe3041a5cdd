class TrainingError(Exception):
    """Refused input: ``message`` is shown next to ``field`` (None: at the top of the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ChangedByAnotherUser(TrainingError):
    """The record changed since the user opened it: nothing was written."""


class SessionFull(TrainingError):
    """No place left for everyone asked for, and the waiting list was not chosen: nothing was
    booked. ``places_left`` says how many places there were when the booking was refused."""

    def __init__(self, message: str, field: str | None = None, *, places_left: int = 0):
        super().__init__(message, field)
        self.places_left = places_left
