"""The fields the meetings forms share: people picked by name, open cases picked by reference,
and a plain text box; with the lists they choose from (who may chair, officers, solicitors, open
cases)."""

from __future__ import annotations

from django import forms

from referrals.models import Case
from stalking_clinic.accounts.models import Role, User

_BY_NAME = ("first_name", "last_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    """A user, by the name the system shows for them."""

    def label_from_instance(self, obj):
        return obj.display_name


class CaseChoiceField(forms.ModelChoiceField):
    """Open cases, by reference, victim and risk: the pages using it are for the clinic staff who
    see every case (``Perm.MEETINGS_MANAGE``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Case.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        risk = obj.get_risk_level_display() or "Not assessed"
        return f"{obj.reference}: {obj.victim.full_name} ({risk} risk)"


def text_box(label, help_text="", rows=4):
    """An optional box of free text."""
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def chairs():
    # Clinic meetings are chaired by the tactical lead; the coordinator chairs the smaller ones.
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.TACTICAL_LEAD, Role.COORDINATOR]
    ).order_by(*_BY_NAME)


def officers():
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.OFFICER, Role.CHAMPION]
    ).order_by(*_BY_NAME)


def solicitors():
    return User.objects.filter(is_active=True, roles__contains=[Role.SOLICITOR]).order_by(*_BY_NAME)


def open_cases():
    return (
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("victim")
        .order_by("-risk_level", "-created_at")
    )
