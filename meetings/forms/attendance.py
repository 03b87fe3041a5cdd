"""Forms of who comes to a meeting: inviting someone (a user of the system, or a named person
from an agency who has no account), and the attendance that can be recorded for them."""

from __future__ import annotations

from itertools import groupby

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.service_forms import ServiceForm

from ..models import Attendee


def _invitable_users():
    """Active users holding at least one role, grouped by agency (no agency: the clinic)."""
    users = (
        User.objects.filter(is_active=True)
        .exclude(roles=[])
        .select_related("agency")
        .order_by("agency__name", "first_name", "last_name", "username")
    )
    choices = [("", "Choose")]
    for agency, members in groupby(users, key=lambda u: u.agency):
        label = agency.name if agency else "No agency (clinic staff)"
        choices.append((label, [(str(u.pk), _user_label(u)) for u in members]))
    return choices


def _user_label(user) -> str:
    title = f", {user.job_title}" if user.job_title else ""
    return f"{user.display_name}{title}"


class AttendeeForm(ServiceForm):
    """Invite a user of the system, or name someone from an agency who has no account
    (``meetings.services.attendance.attendee_invite``)."""

    user = forms.TypedChoiceField(
        label="Someone with an account",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Grouped by agency.",
    )
    name = forms.CharField(
        label="Or the name of someone without an account",
        max_length=150,
        required=False,
    )
    agency = forms.ModelChoiceField(
        label="Their agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Choose",
        help_text="Needed for someone without an account.",
    )

    submit_label = "Invite"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = _invitable_users()

    def layout_fields(self):
        return ["user", Field.text("name", field_width=Fluid.TWO_THIRDS), "agency"]

    def clean(self):
        cleaned = super().clean()
        user_pk, name = cleaned.get("user"), cleaned.get("name")
        if user_pk:
            cleaned["user"] = User.objects.select_related("agency").filter(pk=user_pk).first()
            if cleaned["user"] is None:
                self.add_error("user", "Choose someone from the list.")
        elif not name and "name" not in self._errors:
            self.add_error("user", "Choose someone with an account, or enter a name.")
        return cleaned


class AttendanceForm(forms.Form):
    """What can be recorded of an invited person: everything but "invited" itself."""

    attendance = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in Attendee.Attendance.choices
            if value != Attendee.Attendance.INVITED
        ]
    )
