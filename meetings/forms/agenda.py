"""Forms of a meeting's agenda: putting an open case on it, and recording what the meeting made
of the case (the discussion, which carries the ``version`` the user saw, so a save made after
someone else's is refused rather than silently overwriting it)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from referrals.models import RiskLevel
from stalking_clinic.accounts.models import User
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import AgendaItem
from .fields import CaseChoiceField, UserChoiceField, open_cases, solicitors, text_box


class AgendaAddForm(ServiceForm):
    """``meetings.services.agenda.agenda_add``'s arguments."""

    case = CaseChoiceField(
        label="Case",
        empty_label="Choose an open case",
        error_messages={"required": "Choose the case to discuss."},
    )
    reason = forms.CharField(
        label="Why it is on the agenda (optional)",
        max_length=200,
        required=False,
        help_text="For example, new incidents since the last meeting.",
    )

    submit_label = "Add to the agenda"

    def __init__(self, *args, leave_out=frozenset(), **kwargs):
        """``leave_out``: the cases not to offer (those already on the agenda)."""
        self._init_kwargs = {"leave_out": leave_out}
        super().__init__(*args, **kwargs)
        cases = open_cases()
        self.fields["case"].queryset = cases.exclude(pk__in=leave_out) if leave_out else cases

    def layout_fields(self):
        return ["case", Field.text("reason", field_width=Fluid.TWO_THIRDS)]


class DiscussionForm(ServiceForm):
    """``meetings.services.agenda.discussion_record``'s arguments."""

    behaviours = text_box(
        "Behaviours",
        "What the suspect has been doing: fixated, obsessive, unwanted and repeated (FOUR).",
    )
    motivation = text_box(
        "The stalker's motivation",
        "For example, rejected, resentful, intimacy seeking, incompetent suitor, predatory.",
    )
    history = text_box("History", "Previous stalking, violence, orders and convictions.")
    mental_health = text_box("Mental health")
    agency_information = text_box(
        "What each agency knows",
        "What police, CPS, probation, mental health, the ISAC and others told the meeting.",
        rows=6,
    )
    risk_agreed = forms.ChoiceField(
        label="Risk agreed by the meeting",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decisions = text_box("Decisions", "Each decision can create actions for an agency.")
    consider_spo = forms.BooleanField(
        label="Consider a Stalking Protection Order",
        required=False,
        help_text="Opens SPO work for the solicitor.",
    )
    spo_solicitor = UserChoiceField(
        label="Solicitor to consider the order",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    version = VersionField()

    submit_label = "Save the discussion"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spo_solicitor"].queryset = solicitors()

    def layout_fields(self):
        return [
            "behaviours",
            "motivation",
            "history",
            "mental_health",
            "agency_information",
            Field.radios("risk_agreed", inline=True),
            "decisions",
            "consider_spo",
            "spo_solicitor",
            "version",
        ]

    @staticmethod
    def initial_for(item: AgendaItem) -> dict:
        return {
            "behaviours": item.behaviours,
            "motivation": item.motivation,
            "history": item.history,
            "mental_health": item.mental_health,
            "agency_information": item.agency_information,
            "risk_agreed": item.risk_agreed or item.case.risk_level,
            "decisions": item.decisions,
            "consider_spo": item.consider_spo,
            "version": item.version,
        }
