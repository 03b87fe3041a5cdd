"""Forms of the police log pages: uploading an export, and reviewing a finding of the stalking scan
(the findings list's filters, linking a finding to a case, dismissing it)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.conf import settings

from stalking_clinic.filter_forms import FilterForm

from ..models import Case, Finding


class LogUploadForm(forms.Form):
    export = forms.FileField(
        label="Police log export",
        help_text="A CSV export from the records system. Large files import in the background.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form carries enctype for the file
        self.helper.layout = Layout("export", Button("upload", "Upload and import"))

    def clean_export(self):
        export = self.cleaned_data["export"]
        if not export.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV export (.csv).")
        if export.size == 0:
            raise forms.ValidationError("The selected file is empty.")
        limit = settings.POLICE_LOG_MAX_UPLOAD_MB
        if export.size > limit * 1024 * 1024:
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB.")
        return export


class FindingFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[*Finding.Status.choices, ("all", "All")]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *Finding.Kind.choices]
    )
    serial = forms.BooleanField(label="Possible serial stalkers only", required=False)


class FindingLinkForm(forms.Form):
    """Which case to link a finding to, for ``finding_link_case``."""

    prefix = "link"  # the finding's page shows both review forms, each with a version
    version = forms.IntegerField(widget=forms.HiddenInput)
    case_reference = forms.CharField(
        label="Case reference", max_length=20, help_text="For example, C-00042"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version", "case_reference", Button.secondary("link", "Link to case")
        )

    def clean_case_reference(self) -> Case:
        raw = self.cleaned_data["case_reference"].strip().upper().removeprefix("C-").lstrip("0")
        if not raw.isdigit():
            raise forms.ValidationError("Enter a case reference like C-00042.")
        case = Case.objects.filter(pk=int(raw)).first()
        if case is None:
            raise forms.ValidationError("There is no case with that reference.")
        return case

    def service_kwargs(self) -> dict:
        return {
            "version": self.cleaned_data["version"],
            "case": self.cleaned_data["case_reference"],
        }


class FindingDismissForm(forms.Form):
    """Why a finding is not a matter for the clinic, for ``finding_dismiss``."""

    prefix = "dismiss"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is this not a matter for the clinic?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version", "reason", Button.warning("dismiss", "Dismiss finding")
        )
