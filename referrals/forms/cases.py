"""Forms of the case pages: the case list's filters, a case note, sharing with a partner agency and
referral to the ISAC service."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.filter_forms import FilterForm

from ..models import Area, Case, RiskLevel, Share
from ..selectors.allocation import all_isac_advocates
from ..selectors.cases import NO_ADVOCATE
from ..selectors.referrals import triage_staff
from .allocation import advocate_field, isac_service_or_none


class CaseFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[*Case.Status.choices, ("all", "All")]
    )
    risk = forms.ChoiceField(
        label="Risk", required=False, choices=[("", "Any"), *RiskLevel.choices]
    )
    area = forms.ChoiceField(label="Area", required=False, choices=[("", "Any"), *Area.choices])
    unassessed = forms.BooleanField(label="No risk assessment yet", required=False)
    no_isac = forms.BooleanField(label="Not referred to the ISAC service", required=False)
    owner = forms.ModelChoiceField(
        label="Owner", required=False, queryset=User.objects.none(), empty_label="Anyone"
    )
    advocate = forms.ChoiceField(label="ISAC advocate", required=False)
    new = forms.BooleanField(label="Not yet opened by its advocate", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = triage_staff()
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        self.fields["advocate"].choices = [
            ("", "Any"),
            (NO_ADVOCATE, "Waiting for an advocate"),
            *((str(user.pk), user.display_name) for user in all_isac_advocates()),
        ]


class CaseNoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("text", Button("save", "Add note"))


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Partner agency",
        queryset=Agency.objects.filter(is_partner=True),
        empty_label="Choose",
    )
    sections = forms.MultipleChoiceField(
        label="What to share",
        required=False,
        choices=Share.Section.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick everything to stop sharing with this agency.",
    )
    reason = forms.CharField(
        label="Reason for sharing",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the disclosure, for example: probation manage the suspect",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "agency",
            Field.checkboxes("sections", legend_size=Size.SMALL),
            "reason",
            Button("share", "Save sharing"),
        )


class IsacReferralForm(forms.Form):
    reason = forms.CharField(
        label="Reason for referring to the ISAC service", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advocate"] = advocate_field(isac_service_or_none())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason",
            Field.radios("advocate", legend_size=Size.SMALL),
            Button("refer", "Refer to the ISAC service"),
        )
