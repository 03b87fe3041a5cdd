"""Forms for risk assessments, built from the current wording of each instrument.

The forms only collect what was typed; the rules (every question answered, judgement no lower
than the count, reasons when higher, SRP rationale) live in ``services.assessments`` and come
back as errors on the named field.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape

from ..models import QuestionSet, RiskAssessment, RiskLevel, SRPLevel
from ..models.assessments import SRP_DOMAINS
from ..services.assessments import answer_field

Answer = RiskAssessment.Answer


class _AssessmentForm(forms.Form):
    """Shared by both forms: the amendment reason and the button."""

    def __init__(self, *args, question_set: QuestionSet, amending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        self.amending = amending
        self.add_fields()
        if amending:
            self.fields["amendment_reason"] = forms.CharField(
                label="Why are you amending the assessment?",
                help_text="The earlier assessment is kept as it was; this reason is shown with "
                "the new one.",
                widget=forms.Textarea,
                error_messages={"required": "Give the reason for the amendment."},
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.attrs = {"novalidate": ""}  # the server's messages, not the browser's
        self.helper.layout = Layout(*self.layout_items(), *self._amendment_layout())

    def add_fields(self) -> None:
        raise NotImplementedError

    def layout_items(self) -> list:
        raise NotImplementedError

    def _amendment_layout(self) -> list:
        items = []
        if self.amending:
            items.append(Field.textarea("amendment_reason", label_size=Size.MEDIUM, rows=3))
        items.append(Button("submit", "Save assessment"))
        return items

    def _amendment_kwargs(self) -> dict:
        if not self.amending:
            return {}
        return {"amendment_reason": self.cleaned_data["amendment_reason"]}


def _radios(choices, *, label: str, help_text: str = "", required_message: str):
    return forms.ChoiceField(
        label=escape(label),  # the GDS radios template marks the label safe
        help_text=escape(help_text),
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class ScreeningForm(_AssessmentForm):
    """S-DASH or DASH: yes / no / not known for each question, then the assessor's judgement."""

    def add_fields(self) -> None:
        thresholds = self.question_set.thresholds
        for number, question in enumerate(self.question_set.questions, start=1):
            self.fields[answer_field(question["key"])] = _radios(
                Answer.choices,
                label=f"{number}. {question['text']}",
                help_text=question.get("hint", ""),
                required_message=f"Select yes, no or not known for question {number}.",
            )
        self.fields["risk_level"] = _radios(
            RiskLevel.choices,
            label="What level of risk do you judge?",
            help_text=f"{thresholds.get('medium')} or more yes answers indicate medium risk, "
            f"{thresholds.get('high')} or more high risk. You may judge the risk higher than "
            "the count suggests, giving your reasons, but not lower.",
            required_message="Select the risk level you judge.",
        )
        self.fields["judgement_reasons"] = forms.CharField(
            label="Reasons for your judgement",
            help_text="Needed if you judge the risk higher than the count of yes answers "
            "suggests: for example, what the victim told you or what the pattern shows.",
            widget=forms.Textarea,
            required=False,
        )

    def layout_items(self) -> list:
        answers = [
            Field.radios(answer_field(q["key"]), legend_size=Size.SMALL, inline=True)
            for q in self.question_set.questions
        ]
        return [
            Fieldset(*answers, legend="Questions", legend_size=Size.MEDIUM),
            Fieldset(
                Field.radios("risk_level", legend_size=Size.SMALL, inline=True),
                Field.textarea("judgement_reasons", label_size=Size.SMALL, rows=4),
                legend="Your judgement",
                legend_size=Size.MEDIUM,
            ),
        ]

    @classmethod
    def initial_from(cls, assessment: RiskAssessment) -> dict:
        """Prefill an amendment with what the earlier assessment said."""
        initial = {answer_field(key): value for key, value in assessment.answers.items()}
        initial.update(
            risk_level=assessment.risk_level, judgement_reasons=assessment.judgement_reasons
        )
        return initial

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": {
                q["key"]: data[answer_field(q["key"])] for q in self.question_set.questions
            },
            "risk_level": data["risk_level"],
            "judgement_reasons": data["judgement_reasons"],
            **self._amendment_kwargs(),
        }


class SRPForm(_AssessmentForm):
    """Stalking Risk Profile: relationship, motivation, and each domain judged with reasons."""

    def add_fields(self) -> None:
        self.fields["prior_relationship"] = forms.CharField(
            label="Prior relationship between the stalker and the victim",
            help_text="For example: ex-partner of 4 years; former colleague; none (stranger).",
            max_length=200,
            error_messages={
                "required": "Describe the prior relationship between the stalker and the victim."
            },
        )
        self.fields["motivation"] = _radios(
            RiskAssessment.Motivation.choices,
            label="Motivation type",
            required_message="Select the stalker's motivation type.",
        )
        for question in self.question_set.questions:
            key = question["key"]
            self.fields[key] = _radios(
                SRPLevel.choices,
                label=question["text"],
                help_text=question.get("hint", ""),
                required_message=f"Select low, moderate or high for {key.replace('_', ' ')}.",
            )
            self.fields[f"{key}_rationale"] = forms.CharField(
                label="Rationale for this judgement",
                widget=forms.Textarea,
                error_messages={
                    "required": f"Give the rationale for the {key.replace('_', ' ')} judgement."
                },
            )
        self.fields["recommended_management"] = forms.CharField(
            label="Recommended management",
            help_text="What should be done to manage the risk: for the victim, the stalker and "
            "the agencies involved.",
            widget=forms.Textarea,
            error_messages={"required": "Give the recommended management."},
        )

    def layout_items(self) -> list:
        domains = []
        for question in self.question_set.questions:
            key = question["key"]
            domains += [
                Field.radios(key, legend_size=Size.MEDIUM, inline=True),
                Field.textarea(f"{key}_rationale", label_size=Size.SMALL, rows=4),
            ]
        return [
            Field.text("prior_relationship", label_size=Size.SMALL),
            Field.radios("motivation", legend_size=Size.SMALL),
            *domains,
            Field.textarea("recommended_management", label_size=Size.MEDIUM, rows=5),
        ]

    @classmethod
    def initial_from(cls, assessment: RiskAssessment) -> dict:
        names = ["prior_relationship", "motivation", "recommended_management"]
        for domain in SRP_DOMAINS:
            names += [domain, f"{domain}_rationale"]
        return {name: getattr(assessment, name) for name in names}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            name: data.get(name, "")
            for name in ("prior_relationship", "motivation", "recommended_management")
        }
        for domain in SRP_DOMAINS:
            kwargs[domain] = data.get(domain, "")
            kwargs[f"{domain}_rationale"] = data.get(f"{domain}_rationale", "")
        return {**kwargs, **self._amendment_kwargs()}


def assessment_form(question_set: QuestionSet, *, amending: bool = False, **kwargs):
    """The form for ``question_set``'s instrument."""
    form_class = SRPForm if question_set.instrument == "srp" else ScreeningForm
    return form_class(question_set=question_set, amending=amending, **kwargs)


def initial_from(assessment: RiskAssessment) -> dict:
    form_class = SRPForm if assessment.instrument == "srp" else ScreeningForm
    return form_class.initial_from(assessment)
