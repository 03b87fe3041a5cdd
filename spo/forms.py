"""Forms of the protection orders area. Each form parses what one service takes; the service
decides. Forms that change an existing record carry the ``version`` the user saw, so a save made
after someone else's is refused rather than silently overwriting it.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from referrals.models import Person
from stalking_clinic.accounts.models import Role, User
from stalking_clinic.date_fields import (
    DayMonthYearField,
    StartsAtMixin,
    TwentyFourHourTimeField,
)
from stalking_clinic.service_forms import ServiceForm, VersionField

from .models import Application, Breach, Condition, Hearing, Notification, Order


def _officers():
    return User.objects.filter(
        is_active=True, roles__overlap=[Role.OFFICER, Role.CHAMPION]
    ).order_by("first_name", "last_name", "username")


class _OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.person_ref})" if obj.person_ref else obj.full_name


class _PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.person_ref})" if obj.person_ref else obj.full_name


def _protected_people(case):
    # Protection is for the case's victim; a suspect is never among the people protected.
    return Person.objects.filter(pk=case.victim_id).exclude(pk__in=case.suspects.values("pk"))


class ApplicationFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any"), *Application.Stage.choices]
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *Application.Kind.choices]
    )
    court = forms.CharField(label="Court", required=False, max_length=120)
    mine = forms.BooleanField(label="My applications", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.fields, Button("apply", "Apply filters"))


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
    officer_in_case = _OfficerChoiceField(
        label="Officer in the case (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="None",
    )
    protected_people = _PeopleChoiceField(
        label="People the order would protect",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to protect."},
    )
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


class ConditionAddForm(ServiceForm):
    kind = forms.ChoiceField(
        label="Prohibition or requirement",
        choices=Condition.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose prohibition or requirement."},
    )
    text = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As it should read in the order, for example: Not to contact Jane Smith "
        "directly or indirectly.",
        error_messages={"required": "Enter the wording of the condition."},
    )

    submit_label = "Add"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)

    def layout_fields(self):
        return [Field.radios("kind", inline=True), "text"]


class ConditionEditForm(ServiceForm):
    text = ConditionAddForm.base_fields["text"]
    version = VersionField()

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)


class OrderForm(ServiceForm):
    kind = forms.ChoiceField(
        label="Order made",
        choices=Order.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose interim or full order."},
    )
    made_on = DayMonthYearField(
        label="Date made", error_messages={"required": "Enter the date the order was made."}
    )
    ends_on = DayMonthYearField(label="End date", required=False)
    until_further_order = forms.BooleanField(
        label="Until further order (full orders only)", required=False
    )

    submit_label = "Record the order"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)

    def layout_fields(self):
        return [Field.radios("kind", inline=True), "made_on", "ends_on", "until_further_order"]


class OrderServedForm(ServiceForm):
    served_on = DayMonthYearField(
        label="Date served on the defendant",
        error_messages={"required": "Enter the date the order was served."},
    )

    submit_label = "Record service"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)


class NotificationAddForm(ServiceForm):
    kind = forms.ChoiceField(
        label="What the defendant must notify",
        choices=Notification.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the defendant must notify."},
    )
    starts_on = DayMonthYearField(
        label="The day the 3 days begin",
        help_text="The day of service, or the day the name or address changed. "
        "For example, 27/3/2027",
        error_messages={"required": "Enter the day the 3 days begin."},
    )

    submit_label = "Add the notification"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)

    def layout_fields(self):
        return [Field.radios("kind"), "starts_on"]


class NotificationRecordForm(ServiceForm):
    received_on = DayMonthYearField(label="Date received", required=False)
    details = forms.CharField(
        label="What the defendant notified",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acknowledged_on = DayMonthYearField(label="Date acknowledged in writing", required=False)
    version = VersionField()

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(notification: Notification) -> dict:
        return {
            "received_on": notification.received_on,
            "details": notification.details,
            "acknowledged_on": notification.acknowledged_on,
            "version": notification.version,
        }


class HearingForm(StartsAtMixin, ServiceForm):
    kind = forms.ChoiceField(
        label="Hearing",
        choices=[("", "Choose"), *Hearing.Kind.choices],
        error_messages={"required": "Choose the kind of hearing."},
    )
    court = forms.CharField(
        label="Court",
        max_length=120,
        error_messages={"required": "Enter the court."},
    )
    date = DayMonthYearField(
        label="Date", error_messages={"required": "Enter the date of the hearing."}
    )
    time = TwentyFourHourTimeField(
        label="Time",
        error_messages={"required": "Enter the time of the hearing."},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    submit_label = "Add the hearing"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)

    def layout_fields(self):
        return [
            "kind",
            Field.text("court", field_width=Fluid.TWO_THIRDS),
            *self._middle(),
            "date",
            "time",
            "notes",
            *self._end(),
        ]

    def _middle(self):
        return []

    def _end(self):
        return []


class HearingEditForm(HearingForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Hearing.Outcome.choices, required=False)
    version = VersionField()

    submit_label = "Save the hearing"

    def _end(self):
        return ["outcome", "version"]

    @staticmethod
    def initial_for(hearing: Hearing) -> dict:
        return {
            "kind": hearing.kind,
            "court": hearing.court,
            **StartsAtMixin.initial_date_and_time(hearing.starts_at),
            "outcome": hearing.outcome,
            "notes": hearing.notes,
            "version": hearing.version,
        }


class BreachForm(ServiceForm):
    occurred_on = DayMonthYearField(
        label="Date of the breach", error_messages={"required": "Enter the date of the breach."}
    )
    description = forms.CharField(
        label=Breach._meta.get_field("description").verbose_name,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened."},
    )
    log_ref = forms.CharField(
        label="Log or crime reference (optional)", max_length=40, required=False
    )
    action_taken = forms.CharField(
        label="Action taken (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    submit_label = "Record the breach"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)


class BreachOutcomeForm(ServiceForm):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, charged; convicted; no further action and why.",
        error_messages={"required": "Enter the outcome."},
    )
    outcome_recorded_on = DayMonthYearField(
        label="Date of the outcome", error_messages={"required": "Enter the date of the outcome."}
    )
    version = VersionField()

    submit_label = "Save the outcome"

    def __init__(self, *args, **kwargs):
        self._init_kwargs = {}
        super().__init__(*args, **kwargs)
