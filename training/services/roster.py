"""Importing the force's officer list (a CSV file) into the trainees.

``officer_list_import`` reads the whole file, checks every row, then writes set by set, not row by
row (``bulk_create`` in batches of 1,000, one UPDATE joined with all the changes): 5,000 officers
import in well under a second.

1. The file must be UTF-8 text (a byte order mark is fine) with a header naming the columns
   collar number, name, team, area, role and supervisor (and, if the force has them, email), in
   any order, case, spacing or underscores ("Collar number", "collar_number"). A file that is not
   text, is empty, lacks one of those columns or has no rows is refused as a whole: nothing is
   written and the message says why (``ServiceError`` on the field "file").
2. Each row is checked on its own. A bad row is reported with its line number in the file (the
   header is line 1; a quoted value running over several lines counts them all, as
   ``csv.reader.line_num`` does) and what is wrong; the good rows are still loaded.
3. A supervisor is named by collar number. They may be listed after their reports, and may be
   someone already on the officer list but not in this file; a report whose supervisor is
   nowhere (or only on a row that was not loaded, and not known before) is itself not loaded.
4. Areas, teams (unique within their area) and job roles are created as they first appear,
   matched to existing ones regardless of case.
5. Trainees are matched on the normalised collar number: a new one is created, a known one is
   updated (name, email, team, role, supervisor; back to active if they had left), and one whose
   row says nothing new is left alone, so importing the same file twice changes nothing.
6. With ``full_list`` ("this file is the whole officer list"), active trainees not in the file
   are marked inactive, keeping their training history; their places on sessions still to come
   are cancelled (each going to the first person waiting) and they leave waiting lists. A collar
   number on a row that was not loaded still counts as in the file: a typo in someone's email
   must not mark them as gone. No one is marked inactive when no row could be loaded.

Imports run one at a time (a transaction-level advisory lock), so two uploads at once cannot
create the same area or trainee twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.locks import Lock, hold_for_transaction
from stalking_clinic.services import ServiceError

from ..models import (
    Area,
    Booking,
    JobRole,
    OfficerImport,
    Session,
    Team,
    Trainee,
    normalise_collar_number,
)
from .bookings import booking_cancel

# Column -> header names accepted for it (after ``_header_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "collar_number": ("collar_number", "collar_no", "collar", "staff_number"),
    "name": ("name", "full_name", "officer_name"),
    "team": ("team", "team_name"),
    "area": ("area", "area_name"),
    "role": ("role", "job_role", "job_title"),
    "supervisor": (
        "supervisor",
        "supervisor_collar_number",
        "supervisor_collar_no",
        "supervisor_collar",
    ),
    "email": ("email", "email_address", "e_mail"),
}
REQUIRED = ("collar_number", "name", "team", "area", "role", "supervisor")
LABELS = {
    "collar_number": "collar number",
    "name": "name",
    "team": "team",
    "area": "area",
    "role": "role",
    "supervisor": "supervisor",
    "email": "email",
}


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


MAX_LENGTHS = {
    "collar_number": _max_length(Trainee, "collar_number"),
    "name": _max_length(Trainee, "name"),
    "email": _max_length(Trainee, "email"),
    "team": _max_length(Team, "name"),
    "area": _max_length(Area, "name"),
    "role": _max_length(JobRole, "name"),
}

NOT_CSV = (
    "The selected file is not a CSV file. Save the officer list from your spreadsheet as "
    "“CSV UTF-8 (comma delimited)” and upload that."
)
NOT_UTF8 = (
    "The selected file is not UTF-8 text. Save the officer list from your spreadsheet as "
    "“CSV UTF-8 (comma delimited)” and upload that."
)
EMPTY = "The selected file is empty."
# Signatures of spreadsheet files (xlsx is a zip; xls an OLE compound file).
_BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
BULK_BATCH = 1000


@dataclass
class _Row:
    line: int
    collar_number: str
    name: str
    email: str
    area: str
    team: str
    role: str
    supervisor: str


@dataclass
class _Parsed:
    rows_read: int
    good: dict[str, _Row]  # collar number -> row, in file order
    errors: dict[int, list[str]]  # line -> problems
    first_line: dict[str, int]  # collar number -> the line it is first on
    has_email: bool


@transaction.atomic
def officer_list_import(*, file, filename: str, by, full_list: bool = False) -> OfficerImport:
    """Import the officer list in ``file`` (a binary or text stream) and return the saved
    OfficerImport with its counts and the rows not loaded. Raises ServiceError (field "file")
    for a file that cannot be imported at all; nothing is written then."""
    parsed = _parse(_read_text(file))
    hold_for_transaction(Lock.OFFICER_LIST_IMPORT)

    # (pk, name, email, team_id, job_role_id, supervisor_id, active) of every known trainee:
    # a few columns of each, not model instances, so a force of thousands costs little.
    known = {
        row[0]: row[1:]
        for row in Trainee.objects.values_list(
            "collar_number",
            "pk",
            "name",
            "email",
            "team_id",
            "job_role_id",
            "supervisor_id",
            "active",
        )
    }
    _check_supervisors(parsed, known)
    good = list(parsed.good.values())
    now = timezone.now()
    team_ids, role_ids = _places_and_roles(good)

    new = [row for row in good if row.collar_number not in known]
    pk_of = {collar: values[0] for collar, values in known.items()}
    pk_of.update(zip((row.collar_number for row in new), _new_ids(len(new)), strict=True))

    # Everyone's supervisor is known before anything is written (new trainees' ids come from
    # the sequence above), so a supervisor listed after their reports needs no second write.
    # Trainee.supervisor's foreign key is checked at commit (deferred), when all rows exist.
    def wanted(row: _Row, email: str) -> tuple:
        return (
            row.name,
            email,
            team_ids[(row.area.casefold(), row.team.casefold())],
            role_ids[row.role.casefold()],
            pk_of[row.supervisor] if row.supervisor else None,
            True,
        )

    created = []
    for row in new:
        name, email, team_id, job_role_id, supervisor_id, _ = wanted(row, row.email)
        created.append(
            Trainee(
                pk=pk_of[row.collar_number],
                collar_number=row.collar_number,
                name=name,
                email=email,
                team_id=team_id,
                job_role_id=job_role_id,
                supervisor_id=supervisor_id,
                created_at=now,
                updated_at=now,
            )
        )
    Trainee.objects.bulk_create(created, batch_size=BULK_BATCH)

    changed: list[tuple] = []
    unchanged = 0
    for row in good:
        current = known.get(row.collar_number)
        if current is None:
            continue
        # Without an email column the emails already known are kept.
        values = wanted(row, row.email if parsed.has_email else current[2])
        if values == tuple(current[1:]):
            unchanged += 1
        else:
            changed.append((current[0], *values))
    _update_trainees(changed, now)

    deactivated = 0
    if full_list and good:
        gone = [
            values[0]
            for collar, values in known.items()
            if values[6] and collar not in parsed.first_line
        ]
        deactivated = Trainee.objects.filter(pk__in=gone).update(active=False, updated_at=now)
        _cancel_upcoming_bookings(gone, by=by, now=now)

    officer_import = OfficerImport.objects.create(
        uploaded_by=by,
        uploaded_at=now,
        filename=(filename or "")[: _max_length(OfficerImport, "filename")],
        rows=parsed.rows_read,
        created=len(new),
        updated=len(changed),
        unchanged=unchanged,
        deactivated=deactivated,
        errors=[
            {"line": line, "message": " ".join(problems)}
            for line, problems in sorted(parsed.errors.items())
        ],
    )
    record(
        actor=by,
        action=AuditEvent.Action.COLLECTION,
        obj=officer_import,
        justification=(
            f"Officer list: {parsed.rows_read} rows, {len(new)} created, {len(changed)} updated, "
            f"{unchanged} unchanged, {deactivated} marked inactive, "
            f"{len(parsed.errors)} not loaded"
        ),
    )
    return officer_import


def _cancel_upcoming_bookings(trainee_ids: list[int], *, by, now) -> None:
    """Officers who left give up their places on sessions still to come (each place going to
    the first person waiting) and leave the waiting lists."""
    upcoming = (
        Booking.objects.filter(
            trainee_id__in=trainee_ids,
            status__in=[Booking.Status.BOOKED, Booking.Status.WAITING],
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now,
        )
        .select_related("session")
        .order_by("session__starts_at", "id")
    )
    for booking in upcoming:
        booking_cancel(booking=booking, by=by, reason="No longer on the officer list")


# --- Reading the file ----------------------------------------------------------------------------


def _read_text(file) -> str:
    data = file.read()
    if isinstance(data, bytes):
        if not data.strip():
            raise ServiceError(EMPTY, "file")
        if b"\x00" in data or data.startswith(_BINARY_STARTS):
            raise ServiceError(NOT_CSV, "file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(NOT_UTF8, "file") from None
    else:
        text = data.removeprefix("\ufeff")
        if "\x00" in text:
            raise ServiceError(NOT_CSV, "file")
    if not text.strip():
        raise ServiceError(EMPTY, "file")
    return text


def _header_key(name: str) -> str:
    """ "Collar number", "collar_number", " COLLAR-NUMBER " -> "collar_number"."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _columns(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _header_key(name)
        for column, accepted in COLUMNS.items():
            if key in accepted and column not in positions:
                positions[column] = index
    missing = [LABELS[column] for column in REQUIRED if column not in positions]
    if missing:
        which = "column" if len(missing) == 1 else "columns"
        message = f"The file has no {_and_list(missing)} {which}."
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            message += " Its values seem to be separated by semicolons or tabs, not commas."
        else:
            message += (
                " The first line must name the columns: collar number, name, team, area, role, "
                "supervisor and, if you have it, email."
            )
        raise ServiceError(message, "file")
    return positions


def _tidy(value: str) -> str:
    return " ".join(value.split())


def _parse(text: str) -> _Parsed:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        while not any(value.strip() for value in header):  # blank lines before the header
            header = next(reader)
    except StopIteration:
        raise ServiceError(EMPTY, "file") from None
    except csv.Error:
        raise ServiceError(NOT_CSV, "file") from None
    positions = _columns(header)
    width = len(header)
    email_at = positions.get("email")

    rows_read = 0
    good: dict[str, _Row] = {}
    errors: dict[int, list[str]] = {}
    first_line: dict[str, int] = {}
    last_line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ServiceError(
                f"Line {reader.line_num} cannot be read as CSV ({error}); nothing was imported.",
                "file",
            ) from None
        line = last_line + 1  # where the row starts: a quoted value may run over lines
        last_line = reader.line_num
        if not any(value.strip() for value in values):
            continue  # a blank line
        rows_read += 1

        def get(column: str, values=values) -> str:
            at = positions.get(column)
            return values[at] if at is not None and at < len(values) else ""

        problems = []
        if len(values) > width and any(value.strip() for value in values[width:]):
            problems.append(
                f"The row has {len(values)} values but the header has {width}: check for a "
                "comma in a value that is not in quotes."
            )
        collar = normalise_collar_number(get("collar_number"))
        if not collar:
            problems.append("The collar number is missing.")
        elif len(collar) > MAX_LENGTHS["collar_number"]:
            problems.append(
                f"The collar number is longer than {MAX_LENGTHS['collar_number']} characters."
            )
            collar = ""
        elif collar in first_line:
            problems.append(
                f"Collar number {collar} is repeated in the file: it is already on line "
                f"{first_line[collar]}."
            )
            collar = ""  # the row on that line stands for this officer
        else:
            first_line[collar] = line

        fields = {column: _tidy(get(column)) for column in ("name", "team", "area", "role")}
        for column, value in fields.items():
            if not value:
                problems.append(f"The {LABELS[column]} is missing.")
            elif len(value) > MAX_LENGTHS[column]:
                problems.append(
                    f"The {LABELS[column]} is longer than {MAX_LENGTHS[column]} characters."
                )

        email = get("email").strip()
        if email:
            if len(email) > MAX_LENGTHS["email"]:
                problems.append(
                    f"The email address is longer than {MAX_LENGTHS['email']} characters."
                )
            else:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append("The email address is not valid.")

        supervisor = normalise_collar_number(get("supervisor"))
        if len(supervisor) > MAX_LENGTHS["collar_number"]:
            problems.append(
                "The supervisor's collar number is longer than "
                f"{MAX_LENGTHS['collar_number']} characters."
            )
        elif supervisor and supervisor == collar:
            problems.append("An officer cannot be their own supervisor.")

        if problems:
            errors[line] = problems
            continue
        good[collar] = _Row(
            line=line,
            collar_number=collar,
            email=email,
            supervisor=supervisor,
            **fields,
        )
    if not rows_read:
        raise ServiceError("The file has a header line but no officers in it.", "file")
    return _Parsed(rows_read, good, errors, first_line, has_email=email_at is not None)


def _check_supervisors(parsed: _Parsed, known: dict[str, tuple]) -> None:
    """Drop (and report) the rows whose supervisor will not exist: not loaded from this file
    and not already known. Repeated until stable, as dropping a row can orphan its reports."""
    while True:
        orphans = [
            row
            for row in parsed.good.values()
            if row.supervisor and row.supervisor not in parsed.good and row.supervisor not in known
        ]
        if not orphans:
            return
        for row in orphans:
            del parsed.good[row.collar_number]
            on_line = parsed.first_line.get(row.supervisor)
            if on_line is None:
                message = (
                    f"The supervisor's collar number {row.supervisor} is neither in this file "
                    "nor already on the officer list."
                )
            else:
                message = (
                    f"The supervisor {row.supervisor} is on line {on_line}, which was not loaded."
                )
            parsed.errors[row.line] = [message]


# --- Writing -------------------------------------------------------------------------------------


def _ids_by_name(model: type[Area] | type[JobRole], names: Iterable[str]) -> dict[str, int]:
    """Ids of the areas or job roles (``model``) by casefolded name, creating those of ``names``
    not known yet with the spelling they first have."""
    ids = {name.casefold(): pk for pk, name in model.objects.values_list("pk", "name")}
    new: dict[str, str] = {}
    for name in names:
        if name.casefold() not in ids:
            new.setdefault(name.casefold(), name)
    for created in model.objects.bulk_create([model(name=name) for name in new.values()]):
        ids[created.name.casefold()] = created.pk
    return ids


def _places_and_roles(
    rows: list[_Row],
) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Ids of the teams ((area, team) casefolded) and job roles (casefolded) the rows name,
    creating those not known yet with the spelling of their first row."""
    areas = _ids_by_name(Area, (row.area for row in rows))
    teams = {
        (area_id, name.casefold()): pk
        for pk, area_id, name in Team.objects.values_list("pk", "area_id", "name")
    }
    new_teams: dict[tuple[int, str], Team] = {}
    for row in rows:
        key = (areas[row.area.casefold()], row.team.casefold())
        if key not in teams and key not in new_teams:
            new_teams[key] = Team(area_id=key[0], name=row.team)
    for key, team in zip(new_teams, Team.objects.bulk_create(new_teams.values()), strict=True):
        teams[key] = team.pk

    roles = _ids_by_name(JobRole, (row.role for row in rows))
    team_ids = {
        (row.area.casefold(), row.team.casefold()): teams[
            (areas[row.area.casefold()], row.team.casefold())
        ]
        for row in rows
    }
    return team_ids, roles


def _update_trainees(changed: list[tuple], now) -> None:
    """Write (pk, name, email, team_id, job_role_id, supervisor_id, active) to each trainee in
    one statement. ``bulk_update``'s CASE per row and column takes seconds for thousands of
    rows (a team reorganised, a new email domain); a join with the arrays unnested does not."""
    if not changed:
        return
    columns = list(zip(*changed, strict=True))
    table = Trainee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS trainee
            SET name = new.name, email = new.email, team_id = new.team_id,
                job_role_id = new.job_role_id, supervisor_id = new.supervisor_id,
                active = new.active, updated_at = %s
            FROM unnest(
                %s::bigint[], %s::text[], %s::text[], %s::bigint[], %s::bigint[],
                %s::bigint[], %s::boolean[]
            ) AS new(id, name, email, team_id, job_role_id, supervisor_id, active)
            WHERE trainee.id = new.id
            """,  # noqa: S608 - the table name is the model's, not input
            [now, *(list(column) for column in columns)],
        )


def _new_ids(count: int) -> list[int]:
    """``count`` ids for new trainees, taken from their table's sequence."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Trainee._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]
