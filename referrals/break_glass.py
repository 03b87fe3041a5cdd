"""Break-glass: opening a case or person outside one's own work (``access.in_own_work``) asks
for a reason first. The reason is logged with the consultation (``AuditEvent.break_glass``) and
remembered in the session for that record, so the rest of the session asks no more and every
later view of it is logged with the same reason."""

from __future__ import annotations

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
