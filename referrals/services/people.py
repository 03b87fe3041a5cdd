from __future__ import annotations

import datetime

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record

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
