"""Victims and suspects: finding or creating a person by force reference, and changing their
recorded details."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.services import ChangedByAnotherUser, ServiceError

from ..models import Person


def person_find_or_create(
    *,
    by,
    person_ref: str = "",
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None = None,
) -> Person:
    """The one Person for a force reference, created the first time it is seen.

    A person already known keeps their recorded details: a different spelling in a new referral
    becomes an alias rather than silently renaming them.
    """
    person_ref = person_ref.strip().upper()
    person = (
        Person.objects.select_for_update().filter(person_ref=person_ref).first()
        if person_ref
        else None
    )
    if person is None:
        person = Person.objects.create(
            person_ref=person_ref or None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
        )
        record(actor=by, action=AuditEvent.Action.COLLECTION, obj=person)
        return person
    changed = []
    name = f"{first_name.strip()} {last_name.strip()}".strip()
    if name and name.lower() != person.full_name.lower() and name not in person.aliases:
        person.aliases = [*person.aliases, name]
        changed.append("aliases")
    if date_of_birth and not person.date_of_birth:
        person.date_of_birth = date_of_birth
        changed.append("date_of_birth")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        record(actor=by, action=AuditEvent.Action.ALTERATION, obj=person, changed_fields=changed)
    return person


def person_record_typed(
    *,
    by,
    person_ref: str = "",
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None = None,
) -> Person:
    """A new person holding what a referrer typed, matched to nobody and changing nobody.

    A referrer may type any reference with any name, so what they type never reaches a person
    already known, nor tells them whom a reference belongs to: the coordinator matches at
    triage (``referral_match_person``). The reference is kept only while no one holds it.
    """
    person_ref = person_ref.strip().upper()
    details = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth,
    }
    person = None
    if person_ref and not Person.objects.filter(person_ref=person_ref).exists():
        try:
            with transaction.atomic():  # a savepoint: someone may take the reference meanwhile
                person = Person.objects.create(person_ref=person_ref, **details)
        except IntegrityError:
            person = None
    if person is None:
        person = Person.objects.create(person_ref=None, **details)
    record(actor=by, action=AuditEvent.Action.COLLECTION, obj=person)
    return person


def possible_matches(person: Person, typed: dict | None):
    """People already known who may be the one typed (``typed``) and recorded as ``person``: the
    same force reference, or the same name and date of birth."""
    if not typed:
        return Person.objects.none()
    match = Q(pk__in=[])
    ref = (typed.get("person_ref") or "").strip().upper()
    if ref:
        match |= Q(person_ref=ref)
    if typed.get("date_of_birth") and typed.get("first_name") and typed.get("last_name"):
        match |= Q(
            first_name__iexact=typed["first_name"].strip(),
            last_name__iexact=typed["last_name"].strip(),
            date_of_birth=typed["date_of_birth"],
        )
    return Person.objects.filter(match).exclude(pk=person.pk).order_by("last_name", "pk")


# The details a person page may change. ``person_find_or_create`` owns creation and matching.
PERSON_EDITABLE_FIELDS = (
    "person_ref",
    "first_name",
    "last_name",
    "date_of_birth",
    "aliases",
    "address",
    "safe_contact",
    "interpreter_language",
    "communication_needs",
)


@transaction.atomic
def person_update(
    *, person: Person, expected_updated_at: datetime.datetime, by, request=None, **fields
) -> Person:
    """Change a victim's or suspect's recorded details, as seen at ``expected_updated_at``.

    ``updated_at`` is the version: the row is locked and compared, and if anyone saved the person
    since the user opened the form, nothing is written and the user is told who and when, so a
    new address or safe contact time is never silently replaced by an older one. The change
    (names and aliases among them) is logged with the page and address of ``request``.
    """
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update cannot change {', '.join(sorted(unknown))}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.updated_at != expected_updated_at:
        raise ChangedByAnotherUser(_changed_message(current))

    new = {name: _clean(name, value) for name, value in fields.items()}
    if "first_name" in new and not new["first_name"]:
        raise ServiceError("Enter the first name.", field="first_name")
    if "last_name" in new and not new["last_name"]:
        raise ServiceError("Enter the last name.", field="last_name")
    if new.get("date_of_birth") and new["date_of_birth"] > timezone.localdate():
        raise ServiceError("The date of birth must be in the past.", field="date_of_birth")
    if (
        new.get("person_ref")
        and Person.objects.filter(person_ref=new["person_ref"]).exclude(pk=current.pk).exists()
    ):
        raise ServiceError(
            f"Another person already has the reference {new['person_ref']}. If they are the "
            "same person, ask an administrator to merge the records.",
            field="person_ref",
        )

    changed = [name for name, value in new.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, new[name])
    current.save(update_fields=[*changed, "updated_at"])
    record(
        actor=by,
        action=AuditEvent.Action.ALTERATION,
        obj=current,
        changed_fields=changed,
        request=request,
    )
    return current


def _clean(name: str, value):
    if name == "person_ref":
        return (value or "").strip().upper() or None
    if name == "aliases":
        return list(dict.fromkeys(alias.strip() for alias in value if alias.strip()))
    if isinstance(value, str):
        return value.strip()
    return value


def _changed_message(current: Person) -> str:
    # Who changed a person is kept only in the audit log (the person row names no editor).
    last = (
        AuditEvent.objects.filter(
            object_type=Person._meta.label_lower,
            object_id=str(current.pk),
            action__in=[AuditEvent.Action.ALTERATION, AuditEvent.Action.COLLECTION],
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    when = timezone.localtime(current.updated_at)
    who = last.actor.display_name if last and last.actor else "Someone else"
    return (
        f"{who} changed these details at {when:%H:%M on %d/%m/%Y}, after you opened this page. "
        "Your changes were not saved: the details as they are now are shown below. Check them, "
        "then save again if your changes are still needed."
    )
