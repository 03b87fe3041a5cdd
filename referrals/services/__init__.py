"""Writes in the referrals area: one named operation per act, one transaction, one audit entry."""


class ReferralsError(Exception):
    """A rule of the clinic refused the operation; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ChangedByAnotherUser(ReferralsError):
    """Someone else saved a change first; nothing was overwritten."""
