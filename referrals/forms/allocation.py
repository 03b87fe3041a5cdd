"""Forms giving a case to someone: the choice of a named advocate (when referring to the ISAC
service, at triage or on the case page), allocating an advocate, and changing the case's owner."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..selectors.allocation import isac_advocates
from ..selectors.referrals import triage_staff

LEAVE_TO_SERVICE = "Leave it to the ISAC service to allocate"


def isac_service_or_none() -> Agency | None:
    return Agency.objects.filter(kind=Agency.Kind.ISAC_SERVICE).order_by("pk").first()


def advocate_field(agency: Agency | None, *, required: bool = False) -> forms.ModelChoiceField:
    """A choice of ``agency``'s named advocates, as radios; unless ``required``, with the choice
    of leaving it to the service to allocate."""
    field = forms.ModelChoiceField(
        label="Which advocate",
        queryset=isac_advocates(agency),
        required=required,
        widget=forms.RadioSelect,
        blank=not required,
        empty_label=None if required else LEAVE_TO_SERVICE,
    )
    field.label_from_instance = lambda user: user.display_name
    return field


class AdvocateForm(ServiceForm):
    """Allocate (or reallocate) a case referred to the ISAC service to one of its advocates, for
    ``case_allocate_advocate``. ``previous_advocate`` is the advocate the user saw."""

    submit_label = "Allocate"

    reason = forms.CharField(
        label="Reason for reallocating",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the case already has an advocate.",
    )
    previous_advocate = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agency: Agency | None = None, **kwargs):
        self._init_kwargs = {"agency": agency}
        super().__init__(*args, **kwargs)
        self.fields = {"advocate": advocate_field(agency, required=True), **self.fields}

    def layout_fields(self):
        return [Field.radios("advocate", legend_size=Size.SMALL), "reason", "previous_advocate"]


class OwnerForm(ServiceForm):
    """Give the case to another of the clinic's staff, for ``case_owner_change``."""

    submit_label = "Change owner"

    version = VersionField()
    owner = forms.ModelChoiceField(
        label="New owner", queryset=User.objects.none(), empty_label="Choose who owns the case"
    )
    reason = forms.CharField(
        label="Reason for changing the owner", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = triage_staff()
        self.fields["owner"].label_from_instance = lambda user: user.display_name
