"""Forms about applications: the solicitor's list filters, starting an application (for an order,
or to vary, renew, discharge or appeal one), its details and evidence, and moving its stage."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from referrals.models import Person
from stalking_clinic.accounts.models import Role, User
from stalking_clinic.filter_forms import FilterForm
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Application


def _officers():
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.OFFICER, Role.CHAMPION]
    ).order_by("first_name", "last_name", "username")


class _OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.person_ref})" if person.person_ref else person.full_name


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class _PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


def _protected_people(case):
    # Protection is for the case's victim; a suspect is never among the people protected.
    return Person.objects.filter(pk=case.victim_id).exclude(pk__in=case.suspects.values("pk"))


class ApplicationFilterForm(FilterForm):
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any"), *Application.Stage.choices]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *Application.Kind.choices]
    )
    court = forms.CharField(label="Court", required=False, max_length=120)
    mine = forms.BooleanField(label="My applications", required=False)


class ApplicationStartForm(ServiceForm):
    defendant = _PersonChoiceField(
        label="Defendant",
        queryset=Person.objects.none(),
        empty_label="Choose",
        help_text="One of the case's suspects.",
        error_messages={"required": "Choose the defendant."},
    )
    protected_people = _PeopleChoiceField(
        label="People the order would protect",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to protect."},
    )
    court = forms.CharField(
        label="Magistrates' court",
        max_length=120,
        required=False,
        help_text="For example, Gloucestershire Magistrates' Court",
    )
    officer_in_case = _OfficerChoiceField(
        label="Officer in the case (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
    )

    submit_label = "Start the application"

    def __init__(self, *args, case, **kwargs):
        self._init_kwargs = {"case": case}
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = case.suspects.all()
        self.fields["protected_people"].queryset = _protected_people(case)
        self.fields["officer_in_case"].queryset = _officers()

    def layout_fields(self):
        return [
            "defendant",
            Field.checkboxes("protected_people"),
            Field.text("court", field_width=Fluid.TWO_THIRDS),
            "officer_in_case",
        ]

    @staticmethod
    def initial_for(case) -> dict:
        return {"protected_people": [case.victim_id], "court": ""}


class FollowOnForm(ApplicationStartForm):
    kind = forms.ChoiceField(
        label="What is applied for",
        choices=[(k, label) for k, label in Application.Kind.choices if k != "order"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is applied for."},
    )
    applicant = forms.ChoiceField(
        label="Who applies",
        choices=Application.Applicant.choices,
        initial=Application.Applicant.POLICE,
        widget=forms.RadioSelect,
    )

    submit_label = "Start the application"

    def layout_fields(self):
        return [
            Field.radios("kind"),
            Field.radios("applicant"),
            *super().layout_fields(),
        ]

    @staticmethod
    def initial_for(application: Application) -> dict:
        """The application the order was made on: the same defendant, people, court and
        officer, to change where the new application differs."""
        return {
            "defendant": application.defendant_id,
            "protected_people": [p.pk for p in application.protected_people.all()],
            "court": application.court,
            "officer_in_case": application.officer_in_case_id,
        }


class ApplicationEditForm(ServiceForm):
    court = forms.CharField(label="Magistrates' court", max_length=120, required=False)
    acts_evidence = forms.CharField(
        label=Application._meta.get_field("acts_evidence").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Section 1(1)(a) Stalking Protection Act 2019.",
    )
    risk_evidence = forms.CharField(
        label=Application._meta.get_field("risk_evidence").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Section 1(1)(b).",
    )
    necessity_evidence = forms.CharField(
        label=Application._meta.get_field("necessity_evidence").verbose_name,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Section 1(1)(c).",
    )
    officer_in_case = ApplicationStartForm.base_fields["officer_in_case"]
    protected_people = ApplicationStartForm.base_fields["protected_people"]
    version = VersionField()

    submit_label = "Save the application"

    def __init__(self, *args, application, **kwargs):
        self._init_kwargs = {"application": application}
        super().__init__(*args, **kwargs)
        self.fields["officer_in_case"].queryset = _officers()
        self.fields["protected_people"].queryset = _protected_people(application.case)

    def layout_fields(self):
        return [
            Field.text("court", field_width=Fluid.TWO_THIRDS),
            "acts_evidence",
            "risk_evidence",
            "necessity_evidence",
            "officer_in_case",
            Field.checkboxes("protected_people"),
            "version",
        ]

    @staticmethod
    def initial_for(application: Application) -> dict:
        return {
            "court": application.court,
            "acts_evidence": application.acts_evidence,
            "risk_evidence": application.risk_evidence,
            "necessity_evidence": application.necessity_evidence,
            "officer_in_case": application.officer_in_case_id,
            "protected_people": [p.pk for p in application.protected_people.all()],
            "version": application.version,
        }


class StageMoveForm(ServiceForm):
    to_stage = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the stage to move the application to."},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the application moves to this stage."},
    )
    version = VersionField()

    submit_label = "Move the application"

    def __init__(self, *args, application, allowed, **kwargs):
        self._init_kwargs = {"application": application, "allowed": allowed}
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (value, label) for value, label in Application.Stage.choices if value in allowed
        ]

    def layout_fields(self):
        return [Field.radios("to_stage"), "reason", "version"]
