"""The coordinator's forms: the triage queue's filters and search, the triage decision, and
assigning a referral to someone to triage."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    Button,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Layout,
    Size,
)
from django import forms

from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.filter_forms import FilterForm

from ..models import Area, Referral, RiskLevel, TriageDecision
from ..selectors.referrals import triage_staff
from .allocation import advocate_field, isac_service_or_none

Outcome = TriageDecision.Outcome


class QueueFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[*Referral.Status.choices, ("all", "All")],
    )
    risk = forms.ChoiceField(
        label="Risk",
        required=False,
        choices=[("", "Any"), *RiskLevel.choices, ("none", "Not yet assessed")],
    )
    area = forms.ChoiceField(label="Area", required=False, choices=[("", "Any"), *Area.choices])
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any"), *Referral.Source.choices]
    )
    assigned_to = forms.ModelChoiceField(
        label="Assigned to", required=False, queryset=User.objects.none(), empty_label="Anyone"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = triage_staff()
        self.fields["assigned_to"].label_from_instance = lambda user: user.display_name


class QueueSearchForm(forms.Form):
    """Posted, never put in the URL: a victim's or suspect's name must not end up in logs."""

    search = forms.CharField(
        label="Search by reference or name",
        max_length=100,
        help_text="A referral (R-000123) or case (C-00042) reference, a person reference or a name",
    )


class TriageForm(forms.Form):
    """The decision on a referral, for ``referral_triage`` (which checks that the outcome chosen
    has what it needs: advice, an agency, a force and contact, or a reason). Advice to the
    officer goes with any decision (accepting a case and advising at once); referring to the ISAC
    service names an advocate or leaves it to the service."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(
        label="Risk level", choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    risk_reasons = forms.CharField(
        label="Reasons for this risk level", widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=None, empty_label="Choose who owns the case"
    )
    outcome = forms.ChoiceField(label="Decision", choices=Outcome.choices, widget=forms.RadioSelect)
    advice = forms.CharField(
        label="Advice to the officer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='Needed for the decision "Advice to the officer"; with any other decision, '
        "optional. The officer sees it on their referral and is emailed a link to it.",
    )
    partner_agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=None, empty_label="Choose an agency"
    )
    other_force = forms.CharField(label="Force", required=False, max_length=120)
    other_force_contact = forms.CharField(
        label="Contact at that force",
        required=False,
        max_length=200,
        help_text="Name, role and phone or email of the person who accepted the handover",
    )
    nfa_reason = forms.CharField(
        label="Reason for no further action",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = triage_staff()
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        self.fields["partner_agency"].queryset = Agency.objects.filter(is_partner=True)
        self.fields["advocate"] = advocate_field(isac_service_or_none())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "version",
            Field.radios("risk_level", legend_size=Size.MEDIUM, inline=True),
            "risk_reasons",
            "owner",
            ConditionalRadios(
                "outcome",
                Outcome.ADVICE.label,
                Outcome.ACCEPT.label,
                ConditionalQuestion(
                    Outcome.REFER_ISAC.label, Field.radios("advocate", legend_size=Size.SMALL)
                ),
                ConditionalQuestion(Outcome.REFER_PARTNER.label, "partner_agency"),
                ConditionalQuestion(
                    Outcome.CROSS_BORDER.label, "other_force", "other_force_contact"
                ),
                ConditionalQuestion(Outcome.NO_FURTHER_ACTION.label, "nfa_reason"),
            ),
            "advice",
            Button("submit", "Save decision"),
        )


class AssignForm(forms.Form):
    """Whom to give a referral to, for ``referral_assign``."""

    prefix = "assign"  # shown on the triage page beside the triage form, which has a version too
    version = forms.IntegerField(widget=forms.HiddenInput)
    assigned_to = forms.ModelChoiceField(label="Assign to", queryset=None, empty_label="Nobody")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = triage_staff()
        self.fields["assigned_to"].required = False
        self.fields["assigned_to"].label_from_instance = lambda user: user.display_name
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page wraps it in a form posting to the assign view
        self.helper.layout = Layout("version", "assigned_to", Button.secondary("assign", "Assign"))

    def service_kwargs(self) -> dict:
        return {"version": self.cleaned_data["version"], "to": self.cleaned_data["assigned_to"]}
