"""Opening a record outside one's own work in a test, as a person would: by giving a reason
first (referrals/break_glass.py). For tests about something else that open an arbitrary case or
person as the tactical lead or solicitor (the coordinator's own work is every open case)."""

from django.urls import reverse

from referrals.models import Case


def give_reason(client, record, reason: str = "Covering for a colleague") -> None:
    """Give ``reason`` for opening ``record`` (a case or person) as the signed-in user: it is
    remembered for the rest of the session, as after the reason page."""
    kind = "case" if isinstance(record, Case) else "person"
    response = client.post(
        reverse(f"referrals:{kind}_break_glass", args=[record.pk]), {"reason": reason}
    )
    assert response.status_code in {302, 403, 404}, response.status_code
