"""Who sees which referral, case, assessment, person and finding: the record rules of the
referrals area.

- Coordinator, tactical lead and solicitor see every case.
- ISACs see the cases referred to their ISAC service.
- Partner agency members see only the cases shared with their agency, and only the shared sections.
- Officers, champions and anyone else who referred see their own referrals and the advice given.
- An assessment is seen with its case's "assessments" section; ISACs and coordinators with the
  whole of an open case record and amend them.
- Person pages are for those who see every case (they list a person's cases across the clinic);
  police log findings, for the coordinator and tactical lead, who review them.
- Those who see every case open a case (or person) outside their own work (``in_own_work``) only
  after giving a reason (break-glass), remembered for the rest of their session.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from stalking_clinic.access import Perm, can
from stalking_clinic.access.rules import record_rule
from stalking_clinic.accounts.models import Agency, Role

from . import own_work
from .models import (
    AgencyReferral,
    Case,
    Finding,
    Person,
    Referral,
    RiskAssessment,
    RiskDecision,
    RiskLevel,
    Share,
    TriageDecision,
)

_SEE_ALL_CASES = {Role.COORDINATOR, Role.TACTICAL_LEAD, Role.SOLICITOR}
ALL_SECTIONS = frozenset(Share.Section.values)


class CaseSections(frozenset):
    """The sections of a case a user sees, and whether they see it as clinic staff (``whole``).

    ``whole`` comes from the user's role (a clinic role that sees every case, or an ISAC whose
    service the case is referred to), never from how many sections a share names: a partner
    agency shared every section still sees the case as a partner, with no clinic staff rights.
    """

    whole: bool

    def __new__(cls, sections=(), *, whole: bool = False):
        self = super().__new__(cls, sections)
        self.whole = whole
        return self


def cases_visible_to(user, *, disposed: bool = False) -> QuerySet[Case]:
    """The cases the user may see. A case whose record was disposed of has no personal data
    left and is in no list: only its own page, saying so, asks for it (``disposed=True``)."""
    cases = _cases_visible_to(user)
    return cases if disposed else cases.exclude(status=Case.Status.DISPOSED)


def _cases_visible_to(user) -> QuerySet[Case]:
    if not can(user, Perm.CASES_VIEW):
        return Case.objects.none()
    roles = set(user.roles)
    if roles & _SEE_ALL_CASES:
        return Case.objects.all()
    allowed = Q(pk__in=[])
    if Role.ISAC in roles and user.agency_id and user.agency.kind == Agency.Kind.ISAC_SERVICE:
        allowed |= Q(
            Exists(AgencyReferral.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id))
        )
    if Role.PARTNER in roles and user.agency_id:
        allowed |= Q(Exists(Share.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id)))
    return Case.objects.filter(allowed)


def case_sections_for(user, case: Case) -> CaseSections:
    """The parts of a case this user may see: everything, as clinic staff (``.whole``), for the
    roles that see every case and the ISACs of the service it is referred to; for a partner
    agency, the sections shared with it."""
    roles = set(user.roles)
    if roles & _SEE_ALL_CASES or (
        Role.ISAC in roles
        and AgencyReferral.objects.filter(case=case, agency_id=user.agency_id).exists()
    ):
        return CaseSections(ALL_SECTIONS, whole=True)
    share = Share.objects.filter(case=case, agency_id=user.agency_id).first()
    return CaseSections(share.sections if share else ())


def case_sections_for_cases(user, case_ids) -> dict[int, CaseSections]:
    """``case_sections_for`` for many cases at once (two queries at most): the cases the user
    sees nothing of are left out."""
    case_ids = set(case_ids)
    roles = set(user.roles)
    if roles & _SEE_ALL_CASES:
        return {pk: CaseSections(ALL_SECTIONS, whole=True) for pk in case_ids}
    found: dict[int, CaseSections] = {}
    if user.agency_id:
        for share in Share.objects.filter(case_id__in=case_ids, agency_id=user.agency_id):
            found[share.case_id] = CaseSections(share.sections)
        if Role.ISAC in roles:
            referred = AgencyReferral.objects.filter(
                case_id__in=case_ids, agency_id=user.agency_id
            ).values_list("case_id", flat=True)
            for pk in referred:
                found[pk] = CaseSections(ALL_SECTIONS, whole=True)
    return found


def get_case_for_user(user, pk, *, write: bool = False, perm: str = Perm.CASES_VIEW) -> Case:
    """The case, if the user may see it (else 404); ``write`` also requires ``perm`` (else 403)."""
    case = (
        cases_visible_to(user)
        .select_related("victim", "owner")
        .prefetch_related("suspects")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    if write and (not can(user, perm) or not case_sections_for(user, case).whole):
        raise PermissionDenied
    return case


def get_assessment_for_user(
    user, pk, *, write: bool = False
) -> tuple[RiskAssessment, frozenset[str]]:
    """The assessment and the case sections the user sees, if they may see the assessment
    (else 404); ``write`` also requires that they may assess on the case (else 403)."""
    assessment = (
        RiskAssessment.objects.select_related(
            "question_set", "assessed_by", "amends", "amended_by__assessed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    case = get_case_for_user(user, assessment.case_id, write=write, perm=Perm.ASSESS)
    sections = case_sections_for(user, case)
    if Share.Section.ASSESSMENTS not in sections:
        raise Http404("No such assessment")
    assessment.case = case
    return assessment, sections


def may_assess(user, case: Case, sections: CaseSections) -> bool:
    """Whether ``user``, who sees ``sections`` of ``case``, may record or amend an assessment on
    it: an assessor with the whole case, while it is open."""
    return can(user, Perm.ASSESS) and sections.whole and case.status == Case.Status.OPEN


def referrals_visible_to(user) -> QuerySet[Referral]:
    if can(user, Perm.TRIAGE):
        return Referral.objects.all()
    if can(user, Perm.REFERRAL_CREATE):
        return Referral.objects.filter(referred_by=user)
    return Referral.objects.none()


def get_referral_for_user(user, pk, *, write: bool = False) -> Referral:
    referral = (
        referrals_visible_to(user)
        .select_related("victim", "suspect", "referred_by", "assigned_to", "linked_case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    if write and not can(user, Perm.TRIAGE):
        raise PermissionDenied
    return referral


def get_person_for_user(user, pk) -> Person:
    """People pages list every case a person is in, so they are for those who see all cases."""
    if not can(user, Perm.PEOPLE_VIEW):
        raise Http404("No such person")
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def get_finding_for_user(user, pk) -> Finding:
    """A finding of the police log scan, for those who review findings (else 404), with the
    case, referral and reviewer it names and the people it is about."""
    finding = (
        Finding.objects.select_related("case", "referral", "reviewed_by")
        .prefetch_related("victim", "suspect")
        .filter(pk=pk)
        .first()
        if can(user, Perm.FINDINGS_REVIEW)
        else None
    )
    if finding is None:
        raise Http404("No such finding")
    return finding


@record_rule(Perm.CASES_VIEW)
def _may_see_case(user, case: Case) -> bool:
    """``can(user, Perm.CASES_VIEW, case)``, for other apps asking about one case."""
    return cases_visible_to(user).filter(pk=case.pk).exists()


_DECIDE_ON_ANY_CASE = {Role.COORDINATOR, Role.TACTICAL_LEAD}


@record_rule(Perm.CASE_DECIDE)
def may_decide_on_case(user, case: Case) -> bool:
    """The case's owner, the coordinator and the tactical lead decide its risk, close and reopen
    it and record its outcomes: ``can(user, Perm.CASE_DECIDE, case)``."""
    return bool(set(user.roles) & _DECIDE_ON_ANY_CASE) or case.owner_id == user.pk


def cases_decided_by(user) -> QuerySet[Case]:
    """The cases ``user`` decides on (``may_decide_on_case``), as a query: every case for the
    coordinator and tactical lead, their own for another owner."""
    if not can(user, Perm.CASE_DECIDE):
        return Case.objects.none()
    if set(user.roles) & _DECIDE_ON_ANY_CASE:
        return Case.objects.all()
    return Case.objects.filter(owner=user)


@record_rule(Perm.CASE_ALLOCATE)
def may_allocate_case(user, case: Case) -> bool:
    """The coordinator and the tactical lead allocate any case; an ISAC allocates the cases
    referred to their own ISAC service, among its advocates: ``can(user, Perm.CASE_ALLOCATE,
    case)``. (Giving a case a new owner is for the coordinator and tactical lead alone.)"""
    roles = set(user.roles)
    if roles & _DECIDE_ON_ANY_CASE:
        return True
    return bool(
        Role.ISAC in roles
        and user.agency_id
        and user.agency.kind == Agency.Kind.ISAC_SERVICE
        and AgencyReferral.objects.filter(case=case, agency_id=user.agency_id).exists()
    )


def needs_break_glass(user) -> bool:
    """Whether ``user`` must give a reason to open a case or person outside their own work: the
    roles that see every case. ISACs and partners see only their own cases already."""
    return bool(set(user.roles) & _SEE_ALL_CASES)


def own_work_condition(user, now=None) -> Q:
    """The cases in ``user``'s own work, as a condition on ``Case`` rows (see ``in_own_work``)."""
    now = now or timezone.now()
    roles = set(user.roles)
    mine = (
        Q(owner=user)
        | Q(risk_decided_by=user)
        | Q(Exists(RiskDecision.objects.filter(case=OuterRef("pk"), decided_by=user)))
        | Q(
            Exists(
                TriageDecision.objects.filter(case=OuterRef("pk")).filter(
                    Q(decided_by=user) | Q(referral__assigned_to=user)
                )
            )
        )
        | Q(Exists(Referral.objects.filter(linked_case=OuterRef("pk"), assigned_to=user)))
        | Q(Exists(AgencyReferral.objects.filter(case=OuterRef("pk"), advocate=user)))
        | own_work.registered_for(user, now)
    )
    if Role.COORDINATOR in roles:
        mine |= Q(status=Case.Status.OPEN)
    if roles & {Role.TACTICAL_LEAD, Role.SOLICITOR}:
        mine |= Q(status=Case.Status.OPEN, risk_level=RiskLevel.HIGH)
    if roles & {Role.COORDINATOR, Role.TACTICAL_LEAD}:
        # Records review (Management of Police Information): closed cases due for review.
        mine |= Q(status=Case.Status.CLOSED, review_due_since__isnull=False)
    return mine


def in_own_work(user, case: Case) -> bool:
    """Whether ``case`` is in ``user``'s own work, so opening it asks no reason (one query).

    For those who see every case (coordinator, tactical lead, solicitor) a case is their own work
    when they own it, decided its risk (now or before), triaged it, were assigned its referral,
    are its named advocate, it is on the agenda of a meeting not yet held or held in the last 90
    days (registered by meetings), or it has an SPO application (registered by protection
    orders: every application for the solicitor, their own for anyone else). Besides:

    - the coordinator triages every referral and runs the clinic's open caseload: every open case
      is theirs;
    - the tactical lead oversees the high-risk cases, and the solicitor considers them for an SPO:
      every open high-risk case is theirs;
    - both review closed records when their review is due: a closed case due for review is theirs.

    Anything else (a closed case they had no part in; for the tactical lead and the solicitor, a
    case not high risk that is none of the above) asks for a reason first. Everyone else (ISACs,
    partners, referrers) already sees only their own cases: everything they see is their work.
    """
    if not needs_break_glass(user):
        return True
    return Case.objects.filter(own_work_condition(user), pk=case.pk).exists()


def person_in_own_work(user, person: Person) -> bool:
    """Whether ``person`` is in ``user``'s own work (one query): the victim or a suspect of a case
    in their work (``in_own_work``), or of a referral assigned to them or, for the triage roles,
    waiting for triage."""
    if not needs_break_glass(user):
        return True
    own_cases = Case.objects.filter(own_work_condition(user))
    referrals = Referral.objects.filter(assigned_to=user)
    if can(user, Perm.TRIAGE):
        referrals = Referral.objects.filter(Q(assigned_to=user) | Q(status=Referral.Status.WAITING))
    return Person.objects.filter(
        Q(Exists(own_cases.filter(victim=OuterRef("pk"))))
        | Q(Exists(own_cases.filter(suspects=OuterRef("pk"))))
        | Q(Exists(referrals.filter(Q(victim=OuterRef("pk")) | Q(suspect=OuterRef("pk"))))),
        pk=person.pk,
    ).exists()
