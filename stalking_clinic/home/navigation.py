"""The areas in the navigation bar, each shown only to roles that may use it."""

from dataclasses import dataclass

from django.urls import reverse

from stalking_clinic.access import Perm, can


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    perm: str
    description: str
    # Not shown to users who have this permission (they get another entry for the same area).
    unless: str = ""


AREAS = [
    Area("Home", "home:index", Perm.HOME, "What is waiting for you."),
    Area(
        "Referrals and cases",
        "referrals:index",
        Perm.REFERRALS,
        "Referrals, triage, cases, risk assessments and safety plans.",
    ),
    Area(
        "Meetings",
        "meetings:index",
        Perm.MEETINGS,
        "Multi-agency clinic meetings, case discussions, drop-ins and actions.",
    ),
    Area(
        "Protection orders",
        "spo:index",
        Perm.SPO,
        "Stalking Protection Order applications, hearings and deadlines.",
    ),
    Area(
        "Protection orders",
        "spo:orders",
        Perm.SPO_ORDERS_VIEW,
        "The Stalking Protection Orders on your cases.",
        unless=Perm.SPO,
    ),
    Area(
        "Training",
        "training:index",
        Perm.TRAINING,
        "Courses, sessions, bookings and who is still untrained.",
    ),
    Area("Audit log", "audit:search", Perm.AUDIT_VIEW, "Who saw or changed what, and when."),
]


def areas_for(user) -> list[dict]:
    return [
        {
            "label": area.label,
            "url": reverse(area.url_name),
            "url_name": area.url_name,
            "description": area.description,
        }
        for area in AREAS
        if can(user, area.perm) and not (area.unless and can(user, area.unless))
    ]


def subnav(request, label: str, items) -> dict:
    """The context of an area's MoJ sub-navigation (``includes/subnav.html``), named ``label``:
    the ``items`` the user may use, each ``(label, url name, permission)`` with, optionally, a
    fourth member: a further test of the user (``also(user) -> bool``)."""
    current = request.resolver_match.view_name if request.resolver_match else ""
    shown = []
    for item_label, name, perm, *also in items:
        if not can(request.user, perm) or (also and not also[0](request.user)):
            continue
        shown.append({"label": item_label, "url": reverse(name), "current": name == current})
    return {"label": label, "items": shown}
