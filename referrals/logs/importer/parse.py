"""Reading a police log export and checking its rows, for the loader (``load``) to write.

``Parser`` reads the file once, as a stream, and hands on ``Chunk``s: the good rows as lines of
``COPY`` data (``sql.ENTRY_COLUMNS`` and ``sql.PERSON_COLUMNS``, already encoded) and the rows it
rejected, each with its physical line number and the reason the coordinator sees. A file that is
not an export at all raises ``NotAnExport``.

Also here: the export's columns (``COLUMNS``) and the checks of a value (``RowError``,
``split_name``, recorded_at's ISO 8601 forms, dates of birth, flags) and its escaping for
``COPY``.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.db import models
from django.utils import timezone

from ...models import LogEntry, Person, RejectedRow
from .sql import SEP

# Export columns the clinic uses, in the order the parser hands them on.
COLUMNS = (
    "log_ref",
    "crime_ref",
    "recorded_at",
    "offence_code",
    "offence",
    "flags",
    "victim_ref",
    "victim_name",
    "victim_dob",
    "suspect_ref",
    "suspect_name",
    "suspect_dob",
    "relationship",
    "officer",
    "area",
    "summary",
)
REQUIRED = ("log_ref", "recorded_at", "victim_ref")


def _size(model: type[models.Model], name: str) -> int:
    """How many characters ``model``'s field ``name`` holds. A reference holds what the field it
    refers to holds: LogEntry.victim is sized by Person.person_ref."""
    field = model._meta.get_field(name)
    return (field.target_field if field.is_relation else field).max_length


# The sizes of the model fields that keep the values, read from the models so that changing a
# field's max_length cannot leave the importer out of step. A longer value is refused rather
# than cut short, naming the column and the size.
MAX_LENGTHS = {
    "log_ref": _size(LogEntry, "log_ref"),
    "crime_ref": _size(LogEntry, "crime_ref"),
    "offence_code": _size(LogEntry, "offence_code"),
    "offence": _size(LogEntry, "offence"),
    "victim_ref": _size(LogEntry, "victim"),
    "suspect_ref": _size(LogEntry, "suspect"),
    "relationship": _size(LogEntry, "relationship"),
    "officer": _size(LogEntry, "officer"),
    "area": _size(LogEntry, "area"),
}
MAX_FLAG_LENGTH = LogEntry._meta.get_field("flags").base_field.max_length
# A longer name is cut to Person's field, not refused.
MAX_FIRST_NAME = _size(Person, "first_name")
MAX_LAST_NAME = _size(Person, "last_name")
MAX_REASON = _size(RejectedRow, "reason")  # the reason a row was rejected, cut to fit
CHUNK_ROWS = 20_000
# Bounds on what one row may hold, so that a hostile file cannot make the reader build a huge row
# in memory (a 30 MB file of one 10-million-column line took 732 MB before these). A physical
# line longer than MAX_LINE_CHARS is skipped unread and its row rejected; a row spread over
# several lines (a quoted value with line breaks) is rejected once it passes MAX_ROW_CHARS; a
# header of more than MAX_COLUMNS columns refuses the file. An export's row of 16 columns is
# a few hundred characters; its longest value, the summary, a few thousand.
MAX_LINE_CHARS = 100_000
MAX_ROW_CHARS = 200_000
MAX_COLUMNS = 100


class NotAnExport(Exception):
    """The file is not a police log export: it is refused and nothing from it is kept."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Chunk:
    """Some rows of the file, read and checked, for the loader to write."""

    # COPY data, encoded by the reading thread: the loading thread then spends next to no time
    # holding Python's interpreter lock, which the reading thread needs.
    entries: bytes
    entry_count: int
    people: bytes
    rejected: list[RejectedRow]
    rows_read: int
    bytes_done: int


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def split_name(name: str) -> tuple[str, str]:
    """("Mary Ann", "Smith") from "Mary Ann Smith" or "SMITH, Mary Ann"; one word: a first name."""
    if "," in name:
        last, _, first = name.partition(",")
    else:
        first, _, last = name.rpartition(" ")
        if not first:
            first, last = last, ""
    return first.strip()[:MAX_FIRST_NAME], last.strip()[:MAX_LAST_NAME]


def _escape(value: str) -> str:
    """One value in COPY text format (delimiter SEP)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace(SEP, "\\x1f")
    )


def _array_literal(items: list[str]) -> str:
    quoted = []
    for item in items:
        if item and not any(c in item for c in ' ,{}"\\'):
            quoted.append(item)
        else:
            quoted.append('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(quoted) + "}"


class RowError(Exception):
    """The row cannot be imported; the message is the reason the coordinator sees."""


# Lengths of "2024-06-30T10:19+01:00" and "2024-06-30T10:19:00+01:00": the shapes exports use,
# which PostgreSQL reads as they are (checked in the parser's loop).
_OFFSET_LENGTHS = frozenset((22, 25))
_MAX_OFFSET = datetime.timedelta(hours=15)  # PostgreSQL refuses larger UTC offsets


def _recorded_at(value: str) -> str:
    """``value`` as PostgreSQL should read it, or RowError: for the shapes the loop does not
    pass straight through."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"recorded_at is not an ISO 8601 date and time: {value[:40]!r}.") from None
    if "T" not in value.upper() and " " not in value:
        raise RowError(f"recorded_at has no time of day: {value[:40]!r}.")
    if moment.tzinfo is None:
        # No offset: UK local time, which PostgreSQL turns into an instant. In the hour the
        # clocks go back it reads the time as GMT (the later one); in the hour they skip, as GMT.
        return moment.isoformat() + " Europe/London"
    if abs(moment.utcoffset()) >= _MAX_OFFSET:
        raise RowError(f"recorded_at has no such UTC offset: {value[:40]!r}.")
    return moment.isoformat()


class _Lines:
    """The file's physical lines for ``csv.reader``, none longer than MAX_LINE_CHARS and no row
    longer than MAX_ROW_CHARS: what exceeds them is replaced by a line the reader turns into a
    row of the wrong width (ending a quoted value it may be inside), and ``too_long`` says why,
    for the parser to reject that row with a clear reason."""

    def __init__(self, text: io.TextIOBase):
        self.text = text
        self.too_long = ""  # the reason, while the row it spoils waits to be rejected
        self.row_chars = 0  # characters of the row being read (the parser resets it per row)
        self.marker = "\x00\n"  # before the header; then one that ends any row (``width``)

    def width(self, width: int) -> None:
        # A NUL and a quote end a quoted value; width + 1 separators make the row too wide
        # whether or not it was inside quotes, so it reaches the parser's ``_fit``.
        self.marker = '\x00"' + "," * (width + 1) + "\n"

    def __iter__(self):
        readline = self.text.readline
        while True:
            line = readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            if len(line) > MAX_LINE_CHARS and line[-1] not in "\r\n":
                # Skip the rest of the line without holding it.
                while (rest := readline(MAX_LINE_CHARS)) and rest[-1] not in "\r\n":
                    pass
                self.too_long = f"The line is longer than {MAX_LINE_CHARS:,} characters."
                self.row_chars = 0
                yield self.marker
                continue
            self.row_chars += len(line)
            if self.row_chars > MAX_ROW_CHARS:
                self.too_long = f"The row is longer than {MAX_ROW_CHARS:,} characters."
                self.row_chars = 0
                yield self.marker
                continue
            yield line


class Parser:
    """Reads the export row by row and hands on chunks of COPY lines and rejected rows."""

    def __init__(self, text: io.TextIOBase, raw, *, import_id: int):
        self.text = text
        self.raw = raw  # the binary file under ``text``: its position is the progress
        self.import_id = import_id
        self.lines = _Lines(text)
        self.reader = csv.reader(self.lines)
        # Constant end of every entry line: updated_at, first_import_id, last_import_id.
        self.tail = f"{SEP}{timezone.now().isoformat()}{SEP}{import_id}{SEP}{import_id}\n"
        self.flags_cache: dict[str, str] = {}
        self.good_dobs: set[str] = set()
        self.people_seen: set[str] = set()

    def _header(self) -> list[str]:
        try:
            header = next(self.reader)
        except StopIteration:
            raise NotAnExport("The file is empty: it is not a police log export.") from None
        except (UnicodeDecodeError, csv.Error):
            raise NotAnExport(
                "This is not a police log export: it is not CSV text (UTF-8). Export the log "
                "again as CSV."
            ) from None
        if self.lines.too_long:
            raise NotAnExport(
                f"This is not a police log export: its first line is longer than "
                f"{MAX_LINE_CHARS:,} characters."
            )
        if len(header) > MAX_COLUMNS:
            raise NotAnExport(
                f"This is not a police log export: its header has {len(header):,} columns "
                f"(an export has at most {MAX_COLUMNS})."
            )
        names = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            columns = "column" if len(missing) == 1 else "columns"
            verb = "is" if len(missing) == 1 else "are"
            message = (
                f"This is not a police log export: the {columns} {_and_list(missing)} "
                f"{verb} missing."
            )
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                message += " The values seem to be separated by semicolons or tabs, not commas."
            raise NotAnExport(message)
        return names

    def chunks(self) -> Iterator[Chunk]:
        """Chunks of at most CHUNK_ROWS entries, none with the same log_ref twice."""
        names = self._header()
        width = len(names)
        lines = self.lines
        lines.width(width)
        # Columns absent from this export read as the empty value appended to each row.
        positions = [names.index(c) if c in names else width for c in COLUMNS]
        pad = width in positions
        get = itemgetter(*positions)
        reader = self.reader
        fromisoformat = datetime.datetime.fromisoformat
        tail = self.tail
        flags_cache = self.flags_cache
        good_dobs = self.good_dobs
        people_seen = self.people_seen
        # The column sizes as locals, which the loop reads fastest.
        max_log_ref = MAX_LENGTHS["log_ref"]
        max_crime_ref = MAX_LENGTHS["crime_ref"]
        max_offence_code = MAX_LENGTHS["offence_code"]
        max_offence = MAX_LENGTHS["offence"]
        max_victim_ref = MAX_LENGTHS["victim_ref"]
        max_suspect_ref = MAX_LENGTHS["suspect_ref"]
        max_relationship = MAX_LENGTHS["relationship"]
        max_officer = MAX_LENGTHS["officer"]
        max_area = MAX_LENGTHS["area"]
        self.chunk_start()
        entries, refs = self.entries, self.refs
        last_line = reader.line_num
        while True:
            # The loop is the import's hot path: a million rows take it a million times, so the
            # checks of a typical row are written out here and the rare cases go to methods.
            try:
                for row in reader:
                    line_number = last_line + 1
                    last_line = reader.line_num
                    lines.row_chars = 0
                    if len(row) != width:
                        if not row:
                            continue  # a blank line
                        row = self._fit(row, width, line_number)
                        if row is None:
                            continue
                    if pad:
                        row.append("")
                    try:
                        (
                            log_ref,
                            crime_ref,
                            recorded_at,
                            offence_code,
                            offence,
                            flags,
                            victim_ref,
                            victim_name,
                            victim_dob,
                            suspect_ref,
                            suspect_name,
                            suspect_dob,
                            relationship,
                            officer,
                            area,
                            summary,
                        ) = get(row)
                        log_ref = log_ref.strip()
                        recorded_at = recorded_at.strip()
                        victim_ref = victim_ref.strip()
                        if not (log_ref and recorded_at and victim_ref):
                            self._missing(log_ref, recorded_at, victim_ref)
                        suspect_ref = suspect_ref.strip()
                        crime_ref = crime_ref.strip()
                        offence_code = offence_code.strip()
                        offence = offence.strip()
                        relationship = relationship.strip()
                        officer = officer.strip()
                        area = area.strip()
                        summary = summary.strip()
                        if (
                            len(log_ref) > max_log_ref
                            or len(victim_ref) > max_victim_ref
                            or len(suspect_ref) > max_suspect_ref
                            or len(crime_ref) > max_crime_ref
                            or len(offence_code) > max_offence_code
                            or len(offence) > max_offence
                            or len(relationship) > max_relationship
                            or len(officer) > max_officer
                            or len(area) > max_area
                        ):
                            self._too_long(get(row))
                        # recorded_at as PostgreSQL should read it: most pass as they are.
                        try:
                            moment = fromisoformat(recorded_at)
                        except ValueError:
                            moment = None
                        if (
                            moment is not None
                            and len(recorded_at) in _OFFSET_LENGTHS
                            and recorded_at[10] == "T"
                            and recorded_at[-3] == ":"
                            and recorded_at[-5:-3] < "15"
                            and moment.tzinfo is not None
                        ):
                            recorded = recorded_at
                        else:
                            recorded = _recorded_at(recorded_at)
                        flags = (flags_cache.get(flags) or self._flags(flags)) if flags else "{}"
                        if victim_dob and victim_dob not in good_dobs:
                            victim_dob = self._dob("victim_dob", victim_dob)
                        if suspect_dob and suspect_dob not in good_dobs:
                            suspect_dob = self._dob("suspect_dob", suspect_dob)
                        # The first twelve of sql.ENTRY_COLUMNS, in their order.
                        values = (
                            log_ref,
                            crime_ref,
                            recorded,
                            offence_code,
                            offence,
                            flags,
                            victim_ref,
                            relationship,
                            officer,
                            area,
                            summary,
                            suspect_ref,
                        )
                        line = SEP.join(values)
                        # Few rows need escaping for COPY: look for what does, all at once.
                        if (
                            "\\" in line
                            or "\n" in line
                            or "\r" in line
                            or "\x00" in line
                            or line.count(SEP) != 11
                        ):
                            line = _escaped_line(line, values)
                    except RowError as error:
                        self.rejected.append(self._reject(line_number, str(error)))
                        continue
                    if not suspect_ref:
                        line += "\\N"  # NULL: LogEntry.suspect is a nullable reference
                    if log_ref in refs:
                        # The same entry again: load what came before first, so that the rows
                        # apply in file order (one statement cannot change a row twice).
                        yield self.chunk()
                        entries, refs = self.entries, self.refs
                    refs.add(log_ref)
                    entries.append(line + tail)
                    if victim_ref not in people_seen:
                        self._person(victim_ref, victim_name, victim_dob)
                    if suspect_ref and suspect_ref not in people_seen:
                        self._person(suspect_ref, suspect_name, suspect_dob)
                    if len(entries) >= CHUNK_ROWS:
                        yield self.chunk()
                        entries, refs = self.entries, self.refs
            except UnicodeDecodeError:
                raise NotAnExport(
                    "The file is not UTF-8 text: the bytes after line "
                    f"{last_line} cannot be read. Export the log again as CSV (UTF-8). Nothing "
                    "from this file was imported."
                ) from None
            except csv.Error as error:
                # The reader starts afresh on the next line.
                self.rejected.append(self._reject(last_line + 1, f"Unreadable CSV: {error}."))
                last_line = reader.line_num
                continue
            break
        yield self.chunk()

    def chunk_start(self) -> None:
        self.entries: list[str] = []
        self.people: list[str] = []
        self.rejected: list[RejectedRow] = []
        self.refs: set[str] = set()

    def chunk(self) -> Chunk:
        chunk = Chunk(
            entries="".join(self.entries).encode(),
            entry_count=len(self.entries),
            people="".join(self.people).encode(),
            rejected=self.rejected,
            rows_read=len(self.entries) + len(self.rejected),  # every row is one or the other
            bytes_done=self.raw.tell(),
        )
        self.chunk_start()
        return chunk

    def _fit(self, row: list[str], width: int, line_number: int) -> list[str] | None:
        if self.lines.too_long:
            reason, self.lines.too_long = self.lines.too_long, ""
            self.rejected.append(self._reject(line_number, reason))
            return None
        if len(row) > width and not any(v.strip() for v in row[width:]):
            del row[width:]  # empty values after the last column
            return row
        self.rejected.append(
            self._reject(line_number, f"The row has {len(row)} values; the header has {width}.")
        )
        return None

    def _reject(self, line_number: int, reason: str) -> RejectedRow:
        """What the coordinator is shown of a rejected row, and all that is kept of it: the
        line number and the reason. The row itself (names, dates of birth, what happened) is
        not kept: it stays in the force's records system, where it is corrected."""
        return RejectedRow(
            log_import_id=self.import_id,
            line_number=line_number,
            # PostgreSQL cannot store NUL.
            reason=reason[:MAX_REASON].replace("\x00", "\u2400"),
        )

    @staticmethod
    def _missing(log_ref: str, recorded_at: str, victim_ref: str) -> None:
        missing = [
            name
            for name, value in (
                ("log_ref", log_ref),
                ("recorded_at", recorded_at),
                ("victim_ref", victim_ref),
            )
            if not value
        ]
        raise RowError(f"No value for {_and_list(missing)}.")

    @staticmethod
    def _too_long(values: tuple[str, ...]) -> None:
        for name, value in zip(COLUMNS, values, strict=True):
            limit = MAX_LENGTHS.get(name)
            if limit and len(value.strip()) > limit:
                raise RowError(f"{name} is longer than {limit} characters.")

    def _flags(self, raw: str) -> str:
        items = []
        for item in raw.split(";"):
            item = item.strip().upper()
            if not item:
                continue
            if len(item) > MAX_FLAG_LENGTH:
                raise RowError(
                    f"The flag {item[:50]!r} is longer than {MAX_FLAG_LENGTH} characters."
                )
            if item not in items:
                items.append(item)
        literal = _array_literal(items)
        if len(self.flags_cache) > 10_000:
            self.flags_cache.clear()  # bounded memory whatever the file holds
        self.flags_cache[raw] = literal
        return literal

    def _dob(self, name: str, raw: str) -> str:
        value = raw.strip()
        if value:
            try:
                if len(value) != 10 or value[4] != "-" or value[7] != "-":
                    raise ValueError
                datetime.date.fromisoformat(value)
            except ValueError:
                raise RowError(f"{name} is not a date (YYYY-MM-DD): {value[:40]!r}.") from None
            if value == raw:
                if len(self.good_dobs) > 100_000:
                    self.good_dobs.clear()
                self.good_dobs.add(value)
        return value

    def _person(self, ref: str, name: str, dob: str) -> None:
        seen = self.people_seen
        if len(seen) > 1_000_000:
            seen.clear()  # bounded memory: a person seen again is only offered again
        seen.add(ref)
        # The row passed its checks; a stray NUL in a name (which PostgreSQL cannot store)
        # is dropped rather than refusing the row for it.
        first, last = split_name(name.replace("\x00", "").strip())
        values = (ref, first, last)
        line = SEP.join(values)
        if "\\" in line or "\n" in line or "\r" in line or "\x00" in line or line.count(SEP) != 2:
            line = _escaped_line(line, values)
        self.people.append(f"{line}{SEP}{dob.strip() or '\\N'}\n")


def _escaped_line(line: str, values: tuple[str, ...]) -> str:
    """``line`` (``values`` joined by SEP) in COPY text format, or RowError."""
    if "\x00" in line:
        raise RowError("The row contains a NUL character.")
    if line.count(SEP) == len(values) - 1:  # no value holds a SEP: escape the line in one go
        return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return SEP.join(_escape(value) for value in values)
