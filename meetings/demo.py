"""Demo data for the meetings area: two past clinic meetings with their minutes (attendees,
confidentiality recorded, full discussions of high-risk cases, actions open, overdue and done), a
clinic meeting next week with its agenda, and a past drop-in session with the advice given.
Everything is relative to today, so the demo always has overdue and upcoming actions.

Rows are created directly with the models, kept to the area's rules: actions are on cases the
meeting discussed; each action's owner belongs to its owning agency; a partner agency's actions
are on cases shared with that agency (so its members see them). Seeding again changes nothing: if
the demo meetings are there, this does nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from referrals.models import Case, RiskAssessment, RiskDecision, RiskLevel, Share
from referrals.services.risk import default_review_on, risk_record
from stalking_clinic.accounts.models import Agency, User
from stalking_clinic.demo.users import demo_agency

from .models import Action, ActionUpdate, AgendaItem, Attendee, DropInAdvice, Meeting

DEMO_NOTE = "Demo meeting (fictional)."
PLACE = "Clinic room, Demonshire Police HQ (demo)"
LINK = "https://meet.example.invalid/stalking-clinic-demo"
USERNAMES = [
    "coordinator",
    "tactical_lead",
    "solicitor",
    "isac",
    "partner_probation",
    "partner_cps",
    "officer",
    "champion",
]

DISCUSSIONS = [
    {
        "behaviours": "Daily messages from new social media accounts after each block; waited "
        "outside the victim's workplace twice last week; left a letter on her car.",
        "motivation": "Rejected ex-partner seeking reconciliation, turning to resentment since "
        "the victim started a new relationship.",
        "history": "Two previous partners reported harassment (2019, 2022); a police warning "
        "last year was followed within days by renewed contact.",
        "mental_health": "Reports low mood and poor sleep; not known to secondary mental "
        "health services. GP referral suggested by probation.",
        "agency_information": "Police: three incidents this month. Probation: on licence until "
        "next spring, has missed one appointment. ISAC: the victim is frightened and has moved "
        "in with family.",
        "decisions": "Risk agreed high. Probation to raise licence conditions and consider "
        "recall. Police to review the victim's safety plan and fit a doorbell camera.",
    },
    {
        "behaviours": "Repeated calls to the victim's family; turned up at a family birthday "
        "party; posts about the victim online under a pseudonym.",
        "motivation": "Infatuation with a former colleague; believes the victim returns the "
        "feelings despite clear refusals.",
        "history": "No previous convictions. Dismissed from the shared workplace after a "
        "grievance; contact escalated afterwards.",
        "mental_health": "Possible fixated beliefs; the mental health trust will check records "
        "and advise on an assessment.",
        "agency_information": "Police: charged with s.2A stalking, on bail. CPS: charging file "
        "received; first hearing next month. ISAC: victim supports prosecution.",
        "decisions": "Risk agreed high. CPS to seek a bail condition not to contact the "
        "victim's family. Police to gather the online posts as evidence.",
    },
    {
        "behaviours": "Sends gifts to the victim's home; follows her on the school run; has "
        "been seen photographing the house.",
        "motivation": "Unclear: no prior relationship; possibly an intimacy-seeking stranger.",
        "history": "Neighbour of the victim's parents; one earlier report from another woman "
        "in the street.",
        "mental_health": "Not known to services.",
        "agency_information": "Police: two logs, no arrest yet. ISAC: safety planning under way.",
        "decisions": "Risk agreed high. Police to arrest and interview; consider an application "
        "for a stalking protection order at the next meeting.",
    },
]


class _Seeder:
    def __init__(self, users, agencies):
        self.users, self.agencies = users, agencies
        self.now = timezone.now()
        self.today = timezone.localdate()

    def at(self, days: int, hour: int = 10) -> datetime.datetime:
        day = self.today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def meeting(self, kind, days, *, status, chair="tactical_lead", online=False):
        return Meeting.objects.create(
            kind=kind,
            starts_at=self.at(days),
            place=PLACE,
            online_link=LINK if online else "",
            chair=self.users[chair],
            convened_by=self.users["coordinator"],
            status=status,
            notes=DEMO_NOTE,
            created_at=self.at(days - 14, 9),
        )

    def attend(self, meeting, usernames, *, attendance, agreed=True, apologies=()):
        held = meeting.status == Meeting.Status.HELD
        for username in usernames:
            user = self.users[username]
            sent_apologies = username in apologies
            Attendee.objects.create(
                meeting=meeting,
                user=user,
                agency=user.agency,
                attendance=Attendee.Attendance.APOLOGIES if sent_apologies else attendance,
                confidentiality_agreed_at=(
                    meeting.starts_at - datetime.timedelta(minutes=10)
                    if agreed and not sent_apologies
                    else None
                ),
                confidentiality_recorded_by=(
                    self.users["coordinator"] if agreed and not sent_apologies else None
                ),
            )
        if held:
            Attendee.objects.create(
                meeting=meeting,
                name="Dr Demo Psychiatrist",
                agency=self.agencies["mental_health"],
                attendance=attendance,
                confidentiality_agreed_at=meeting.starts_at - datetime.timedelta(minutes=10),
                confidentiality_recorded_by=self.users["coordinator"],
            )

    def agenda(self, meeting, cases, *, discussions=None, reason="High risk: for review"):
        items = []
        for position, case in enumerate(cases, start=1):
            item = AgendaItem(
                meeting=meeting,
                case=case,
                position=position,
                reason=reason,
                risk_at_agenda=case.risk_level,
                added_by=self.users["coordinator"],
            )
            if discussions:
                for field, text in discussions[(position - 1) % len(discussions)].items():
                    setattr(item, field, text)
                item.risk_agreed = RiskLevel.HIGH
                item.discussed_at = meeting.starts_at + datetime.timedelta(minutes=20 * position)
                item.discussed_by = meeting.chair
            item.save()
            if discussions:
                self.agree_risk(item)
            items.append(item)
        return items

    def agree_risk(self, item):
        """The risk the meeting agreed becomes the case's, as the meeting's decision, as
        ``discussion_record`` makes it; not over a decision taken since, nor over a lower level
        an assessment proposed (the referrals demo keeps one waiting for its owner)."""
        case = Case.objects.get(pk=item.case_id)
        later = case.risk_decisions.filter(decided_at__gt=item.discussed_at).exists()
        waiting = case.assessments.filter(proposal=RiskAssessment.Proposal.PENDING).exists()
        if later or waiting or item.discussed_at > timezone.now():
            return
        day = timezone.localdate(item.meeting.starts_at)
        decision = risk_record(
            case,
            level=item.risk_agreed,
            reasons=f"Agreed at the {item.meeting.get_kind_display().lower()} "
            f"{item.meeting.reference} on {date_format(day, 'j F Y')}.",
            by=item.meeting.chair,
            source=RiskDecision.Source.MEETING,
            review_on=default_review_on(item.risk_agreed, from_day=day),
        )
        RiskDecision.objects.filter(pk=decision.pk).update(decided_at=item.discussed_at)
        Case.objects.filter(pk=case.pk).update(risk_decided_at=item.discussed_at)

    def action(self, item, agency_key, owner, description, *, due, status=Action.Status.OPEN):
        created_at = item.discussed_at + datetime.timedelta(minutes=5)
        action = Action.objects.create(
            case=item.case,
            agenda_item=item,
            description=description,
            owner_agency=self.agencies[agency_key],
            owner=self.users[owner] if owner else None,
            due_on=self.today + datetime.timedelta(days=due),
            status=status,
            created_by=item.meeting.chair,
            created_at=created_at,
        )
        if status == Action.Status.DONE:
            done_at = self.at(due - 2, 15)
            Action.objects.filter(pk=action.pk).update(completed_at=done_at)
            ActionUpdate.objects.create(
                action=action,
                by=self.users[owner] if owner else item.meeting.chair,
                at=done_at,
                note="Done: see the case notes.",
                status_from=Action.Status.OPEN,
                status_to=Action.Status.DONE,
            )
        elif status == Action.Status.IN_PROGRESS:
            ActionUpdate.objects.create(
                action=action,
                by=self.users[owner] if owner else item.meeting.chair,
                at=created_at + datetime.timedelta(days=3),
                note="Started; waiting to hear back.",
                status_from=Action.Status.OPEN,
                status_to=Action.Status.IN_PROGRESS,
            )
        return action


def _high_risk_cases():
    return list(
        Case.objects.filter(risk_level=RiskLevel.HIGH, status=Case.Status.OPEN).order_by("pk")
    )


def _shared(cases, agency):
    shared = set(Share.objects.filter(agency=agency).values_list("case_id", flat=True))
    return [case for case in cases if case.pk in shared]


def _pick(first_choice, cases, taken):
    for case in [*first_choice, *cases]:
        if case.pk not in taken:
            taken.add(case.pk)
            return case
    return None


def seed(command) -> None:
    if Meeting.objects.filter(notes=DEMO_NOTE).exists():
        command.stdout.write("Meetings demo data already present.")
        return
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    kinds = {
        "police": Agency.Kind.POLICE,
        "probation": Agency.Kind.PROBATION,
        "cps": Agency.Kind.CPS,
        "mental_health": Agency.Kind.MENTAL_HEALTH,
    }
    agencies = {
        key: Agency.objects.filter(name=demo_agency(kind)).first() for key, kind in kinds.items()
    }
    cases = _high_risk_cases()
    if len(users) < len(USERNAMES) or not all(agencies.values()) or len(cases) < 3:
        command.stdout.write("Meetings demo data: no demo users, agencies or high-risk cases.")
        return

    s = _Seeder(users, agencies)
    taken: set[int] = set()
    # Probation's and CPS's actions are on cases shared with them, so their members see them.
    probation_case = _pick(_shared(cases, agencies["probation"]), cases, taken)
    cps_case = _pick(_shared(cases, agencies["cps"]), cases, taken)
    police_case = _pick([], cases, taken)
    another_case = _pick([], cases, taken) or police_case
    for case, agency in ((probation_case, "probation"), (cps_case, "cps")):
        if not Share.objects.filter(case=case, agency=agencies[agency]).exists():
            Share.objects.create(
                case=case,
                agency=agencies[agency],
                sections=[Share.Section.SUMMARY, Share.Section.TIMELINE],
                reason="Discussed at the clinic meeting (demo).",
                shared_by=users["coordinator"],
            )
    everyone = ["coordinator", "tactical_lead", "solicitor", "isac"]
    partners = ["partner_probation", "partner_cps"]
    attended = Attendee.Attendance.ATTENDED
    Held, Planned = Meeting.Status.HELD, Meeting.Status.PLANNED

    # Six weeks ago: three cases discussed; probation's action overdue, CPS's done.
    first = s.meeting(Meeting.Kind.CLINIC, -42, status=Held)
    s.attend(first, everyone + partners, attendance=attended)
    p_item, c_item, x_item = s.agenda(
        first, [probation_case, cps_case, police_case], discussions=DISCUSSIONS
    )
    s.action(
        p_item,
        "probation",
        "partner_probation",
        "Review the licence conditions and consider recall.",
        due=-28,
    )
    s.action(
        c_item,
        "cps",
        "partner_cps",
        "Seek a bail condition not to contact the victim's family.",
        due=-30,
        status=Action.Status.DONE,
    )
    s.action(
        x_item,
        "police",
        "officer",
        "Arrest and interview the suspect.",
        due=-21,
        status=Action.Status.DONE,
    )
    s.action(x_item, "police", "officer", "Fit a doorbell camera at the victim's home.", due=-10)

    # Two weeks ago: probation's case again with another; CPS sent apologies.
    second = s.meeting(Meeting.Kind.CLINIC, -14, status=Held, online=True)
    s.attend(second, everyone + partners, attendance=attended, apologies={"partner_cps"})
    p_again, y_item = s.agenda(
        second,
        [probation_case, another_case],
        discussions=[DISCUSSIONS[0], DISCUSSIONS[2]],
        reason="Risk rose since last discussed",
    )
    s.action(
        p_again,
        "probation",
        "partner_probation",
        "Refer the suspect to the GP for a mental health review.",
        due=7,
    )
    s.action(
        p_again,
        "probation",
        None,
        "Share the suspect's licence address with the police.",
        due=-3,
        status=Action.Status.IN_PROGRESS,
    )
    s.action(y_item, "police", "officer", "Gather the online posts as evidence.", due=5)

    # Next week: the agenda set, invitations out, nothing discussed yet.
    upcoming = s.meeting(Meeting.Kind.CLINIC, 7, status=Planned)
    s.attend(upcoming, everyone + partners, attendance=Attendee.Attendance.INVITED, agreed=False)
    s.agenda(upcoming, [probation_case, cps_case, another_case], reason="High risk: for review")

    # Ten days ago: officers' drop-in session.
    drop_in = s.meeting(Meeting.Kind.DROP_IN, -10, status=Held, chair="coordinator")
    s.attend(drop_in, ["coordinator", "officer", "champion"], attendance=attended)
    DropInAdvice.objects.create(
        meeting=drop_in,
        officer=users["officer"],
        case=police_case,
        question="The suspect has started contacting the victim's sister. Is that stalking?",
        advice="Yes if it is part of the course of conduct aimed at the victim: record it as "
        "s.2A, add it to the timeline and update the safety plan.",
        recorded_by=users["coordinator"],
        recorded_at=drop_in.starts_at + datetime.timedelta(minutes=15),
    )
    DropInAdvice.objects.create(
        meeting=drop_in,
        officer_name="PC Demo Visitor",
        question="When should I complete the S-DASH?",
        advice="At the first contact with the victim, and again whenever the risk changes.",
        recorded_by=users["coordinator"],
        recorded_at=drop_in.starts_at + datetime.timedelta(minutes=40),
    )

    today = timezone.localdate()
    open_actions = Action.objects.exclude(status__in=Action.CLOSED)
    command.stdout.write(
        "Meetings demo data: "
        f"{Meeting.objects.filter(notes=DEMO_NOTE).count()} meetings, "
        f"{open_actions.count()} open actions "
        f"({open_actions.filter(due_on__lt=today).count()} overdue)."
    )
