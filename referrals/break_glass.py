"""Break-glass: opening a case or person outside one's own work (``access.in_own_work``) asks
for a reason first. The reason is logged with the consultation (``AuditEvent.break_glass``) and
remembered in the session for that record, so the rest of the session asks no more and every
later view of it is logged with the same reason."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from stalking_clinic.audit.middleware import consultation_gate
from stalking_clinic.audit.services import reference

from .access import in_own_work, needs_break_glass, person_in_own_work
from .models import Case, Person

SESSION_KEY = "break_glass"


def reason_given(request, obj) -> str | None:
    """The reason the user gave this session for opening ``obj``, or None."""
    return request.session.get(SESSION_KEY, {}).get(reference(obj))


def remember(request, obj, reason: str) -> None:
    reasons = dict(request.session.get(SESSION_KEY, {}))
    reasons[reference(obj)] = reason
    request.session[SESSION_KEY] = reasons


def must_give_reason(request, obj: Case | Person) -> bool:
    """Whether the user must say why before ``obj``'s page opens: outside their own work and no
    reason given this session. Those who do not see every case never do."""
    user = request.user
    if not needs_break_glass(user) or reason_given(request, obj) is not None:
        return False
    if isinstance(obj, Case):
        return not in_own_work(user, obj)
    return not person_in_own_work(user, obj)


def consultation_kwargs(request, obj) -> dict:
    """``request.audit.consulted``'s break-glass arguments for a view of ``obj``."""
    reason = reason_given(request, obj)
    return {} if reason is None else {"break_glass": True, "justification": reason}


def _record_opened(obj) -> Case | Person | None:
    """The case or person a consulted ``obj`` belongs to: the record itself, or the case of an
    assessment, safety action, agenda item, SPO application and the like."""
    if isinstance(obj, Case | Person):
        return obj
    if obj._meta.app_label != "referrals":
        return None  # another area's record: its own rules say who opens it
    case = getattr(obj, "case", None)
    return case if isinstance(case, Case) else None


@consultation_gate
def ask_for_a_reason(request, obj):
    """Any page of a case or person (the case page, its risk, assessments, safety plan, a note
    or a person's details) opened outside the user's own work, with no reason given this
    session: to the reason page first, and back to that page after."""
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    record = _record_opened(obj)
    if record is None or not must_give_reason(request, record):
        return None
    kind = "case" if isinstance(record, Case) else "person"
    url = reverse(f"referrals:{kind}_break_glass", args=[record.pk])
    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def safe_next(request) -> str | None:
    """The page to go back to after the reason, if it is one of this site's."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
