"""Importing police log exports: matching on log_ref, rejected rows, refused files, people."""

import csv
import datetime
import io
import threading
from datetime import UTC

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from referrals.logs import importer
from referrals.logs.importer import import_police_log, load, parse, split_name
from referrals.models import LogEntry, LogImport, Person, RejectedRow
from stalking_clinic.audit.models import AuditEvent

from .factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "log_ref,crime_ref,recorded_at,offence_code,offence,flags,victim_ref,victim_name,victim_dob,"
    "suspect_ref,suspect_name,suspect_dob,relationship,officer,area,summary"
)
ROW_1 = (
    "INC-2024-00000001,CR/2024/0000001,2024-05-23T10:19+00:00,195/12,Course of conduct amounting"
    " to stalking,STALKING,P100001,Sophie Edwards,1980-04-16,P100002,Jack Evans,1980-04-07,"
    "ex-partner,PC 2485,Cotswold,Victim states suspect keeps following her from the bus stop."
)
ROW_2 = (
    "INC-2024-00000002,CR/2024/0000002,2024-06-07T10:19+00:00,8/1,Harassment,HARASSMENT,P100001,"
    "Sophie Edwards,1980-04-16,P100002,Jack Evans,1980-04-07,ex-partner,PC 3580,Cotswold,"
    "Flowers and a letter left on victim's doorstep."
)
ROW_3 = (
    "INC-2024-00000003,,2024-06-30T10:19+00:00,NC,Concern for welfare,,P100015,Chloe Taylor,"
    "1973-11-30,,,,unknown,PC 8967,Stroud,Elderly male found confused."
)


def export(tmp_path, *rows, header=HEADER, name="export.csv", newline="\n", bom=False):
    path = tmp_path / name
    text = newline.join([header, *rows]) + newline
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def run(path, *, by=None, progress=None):
    log_import = LogImport.objects.create(
        file_name=path.name,
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        source=LogImport.Source.UPLOAD,
        uploaded_by=by,
    )
    return import_police_log(log_import=log_import, path=path, progress=progress)


def counts(log_import):
    return {
        "read": log_import.rows_read,
        "added": log_import.rows_added,
        "updated": log_import.rows_updated,
        "unchanged": log_import.rows_unchanged,
        "rejected": log_import.rows_rejected,
    }


# --- matching on log_ref ------------------------------------------------------------------------


def test_import_adds_entries_with_their_values(tmp_path, coordinator):
    result = run(export(tmp_path, ROW_1, ROW_2, ROW_3), by=coordinator)

    done = result.log_import
    assert done.status == LogImport.Status.DONE
    assert done.percent == 100
    assert counts(done) == {"read": 3, "added": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    entry = LogEntry.objects.get(log_ref="INC-2024-00000001")
    assert entry.recorded_at == datetime.datetime(2024, 5, 23, 10, 19, tzinfo=datetime.UTC)
    assert entry.offence_code == "195/12"
    assert entry.flags == ["STALKING"]
    assert entry.victim_id == "P100001"
    assert entry.suspect_id == "P100002"
    assert entry.summary == "Victim states suspect keeps following her from the bus stop."
    assert entry.first_import == entry.last_import == done
    no_suspect = LogEntry.objects.get(log_ref="INC-2024-00000003")
    assert no_suspect.suspect_id is None
    assert no_suspect.crime_ref == ""
    assert no_suspect.flags == []
    assert result.pairs == {("P100002", "P100001"), (None, "P100015")}
    event = AuditEvent.objects.get(object_type="referrals.logimport", object_id=str(done.pk))
    assert event.action == AuditEvent.Action.COLLECTION
    assert event.actor == coordinator
    assert event.justification == "3 added, 0 updated"


def test_importing_the_same_export_again_adds_and_changes_nothing(tmp_path):
    path = export(tmp_path, ROW_1, ROW_2, ROW_3)
    first = run(path).log_import
    before = list(LogEntry.objects.order_by("log_ref").values())

    again = run(path)

    assert counts(again.log_import) == {
        "read": 3,
        "added": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": 0,
    }
    assert again.pairs == set()
    assert list(LogEntry.objects.order_by("log_ref").values()) == before
    assert set(LogEntry.objects.values_list("last_import", flat=True)) == {first.pk}


def test_a_changed_entry_is_updated_in_place_and_new_ones_added(tmp_path):
    first = run(export(tmp_path, ROW_1, ROW_2, name="monday.csv")).log_import
    entry = LogEntry.objects.get(log_ref="INC-2024-00000002")
    recoded = ROW_2.replace(",8/1,Harassment,HARASSMENT,", ",8/65,Stalking,HARASSMENT;STALKING,")

    result = run(export(tmp_path, ROW_1, recoded, ROW_3, name="tuesday.csv"))

    second = result.log_import
    assert counts(second) == {"read": 3, "added": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    assert LogEntry.objects.count() == 3
    entry.refresh_from_db()
    assert (entry.offence_code, entry.offence) == ("8/65", "Stalking")
    assert entry.flags == ["HARASSMENT", "STALKING"]
    assert entry.first_import == first
    assert entry.last_import == second
    assert LogEntry.objects.get(log_ref="INC-2024-00000001").last_import == first
    # The scan looks again at the pairs of changed and new entries only.
    assert result.pairs == {("P100002", "P100001"), (None, "P100015")}


def test_a_log_ref_twice_in_one_export_applies_in_file_order(tmp_path):
    later = ROW_2.replace("Flowers and a letter", "Flowers and two letters")

    done = run(export(tmp_path, ROW_2, ROW_3, ROW_2, later)).log_import

    assert counts(done) == {"read": 4, "added": 2, "updated": 1, "unchanged": 1, "rejected": 0}
    assert LogEntry.objects.get(log_ref="INC-2024-00000002").summary.startswith(
        "Flowers and two letters"
    )


# --- rows that cannot be imported ---------------------------------------------------------------


def test_rejected_rows_are_kept_with_their_line_and_reason_and_the_rest_imports(tmp_path):
    multi_line = ROW_1.replace(
        "Victim states suspect keeps following her from the bus stop.",
        '"Caller says:\nsuspect followed her,\nagain."',
    )
    rows = [
        multi_line,  # lines 2-4
        ROW_2.replace("INC-2024-00000002", ""),  # line 5
        ROW_3.replace("2024-06-30T10:19+00:00", "2024-02-30T10:19"),  # line 6
        "",  # line 7: blank, not a row
        ROW_3.replace("INC-2024-00000003", "INC-X1").replace("1973-11-30", "30/11/1973"),
        "INC-X2,too,few,values",  # line 9
        ROW_3.replace("INC-2024-00000003", "INC-X3").replace(",NC,", ",NC-" + "9" * 30 + ","),
        ROW_3.replace("INC-2024-00000003", "INC-X4").replace(",P100015,", ",,"),
        ROW_3.replace("INC-2024-00000003", "INC-X5").replace("T10:19+00:00", ""),
        ROW_3,  # line 13
    ]

    done = run(export(tmp_path, *rows)).log_import

    assert counts(done) == {"read": 9, "added": 2, "updated": 0, "unchanged": 0, "rejected": 7}
    rejected = {r.line_number: r for r in RejectedRow.objects.filter(log_import=done)}
    assert {line: r.reason for line, r in rejected.items()} == {
        5: "No value for log_ref.",
        6: "recorded_at is not an ISO 8601 date and time: '2024-02-30T10:19'.",
        8: "victim_dob is not a date (YYYY-MM-DD): '30/11/1973'.",
        9: "The row has 4 values; the header has 16.",
        10: "offence_code is longer than 20 characters.",
        11: "No value for victim_ref.",
        12: "recorded_at has no time of day: '2024-06-30'.",
    }
    # Only what the coordinator is shown is kept: no names, no raw line.
    assert {f.name for f in RejectedRow._meta.get_fields()} == {
        "id",
        "log_import",
        "line_number",
        "reason",
    }
    assert set(LogEntry.objects.values_list("log_ref", flat=True)) == {
        "INC-2024-00000001",
        "INC-2024-00000003",
    }
    assert LogEntry.objects.get(log_ref="INC-2024-00000001").summary == (
        "Caller says:\nsuspect followed her,\nagain."
    )


def with_value(row, column, value):
    """``row`` with ``value`` in ``column``."""
    values = next(csv.reader([row]))
    values[HEADER.split(",").index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


# Export columns kept in a sized field: the column, where LogEntry keeps it, and the model's size.
# A person reference is kept as Person.person_ref, which LogEntry's victim and suspect refer to.
SIZED = [
    ("log_ref", "log_ref", LogEntry._meta.get_field("log_ref").max_length),
    ("crime_ref", "crime_ref", LogEntry._meta.get_field("crime_ref").max_length),
    ("offence_code", "offence_code", LogEntry._meta.get_field("offence_code").max_length),
    ("offence", "offence", LogEntry._meta.get_field("offence").max_length),
    ("victim_ref", "victim_id", Person._meta.get_field("person_ref").max_length),
    ("suspect_ref", "suspect_id", Person._meta.get_field("person_ref").max_length),
    ("relationship", "relationship", LogEntry._meta.get_field("relationship").max_length),
    ("officer", "officer", LogEntry._meta.get_field("officer").max_length),
    ("area", "area", LogEntry._meta.get_field("area").max_length),
]


@pytest.mark.parametrize("column, kept_as, size", SIZED, ids=[column for column, *_ in SIZED])
def test_a_value_longer_than_its_model_field_is_refused_naming_the_column(
    tmp_path, column, kept_as, size
):
    fits = with_value(ROW_1, column, "A" * size)
    too_long = with_value(ROW_2, column, "B" * (size + 1))

    done = run(export(tmp_path, fits, too_long)).log_import

    assert RejectedRow.objects.get(log_import=done).reason == (
        f"{column} is longer than {size} characters."
    )
    assert counts(done)["added"] == 1
    assert LogEntry.objects.filter(**{kept_as: "A" * size}).exists()


def test_a_flag_longer_than_the_model_field_is_refused(tmp_path):
    size = LogEntry._meta.get_field("flags").base_field.max_length
    fits = with_value(ROW_1, "flags", "STALKING;" + "A" * size)
    too_long = with_value(ROW_2, "flags", "HARASSMENT;" + "B" * (size + 1))

    done = run(export(tmp_path, fits, too_long)).log_import

    reason = RejectedRow.objects.get(log_import=done).reason
    assert reason.startswith("The flag 'BBB")
    assert reason.endswith(f" is longer than {size} characters.")
    assert LogEntry.objects.get().flags == ["STALKING", "A" * size]


def test_bom_crlf_quotes_and_multi_line_summaries(tmp_path):
    summary = 'Caller said "he won\'t leave me alone",\r\nofficer attended; advice given.'
    quoted = '"' + summary.replace('"', '""') + '"'
    row = ROW_1.replace("Victim states suspect keeps following her from the bus stop.", quoted)

    done = run(export(tmp_path, row, ROW_3, newline="\r\n", bom=True)).log_import

    assert counts(done)["added"] == 2
    assert LogEntry.objects.get(log_ref="INC-2024-00000001").summary == summary
    assert LogEntry.objects.get(log_ref="INC-2024-00000003").summary == (
        "Elderly male found confused."
    )


def test_backslashes_and_unit_separators_in_values_are_kept_as_written(tmp_path):
    # The loader's COPY data is delimited by the unit separator (0x1F) and escapes backslashes.
    backslash = with_value(ROW_1, "summary", "Wrote C:\\temp\\n on the wall.")
    separator = with_value(ROW_3, "summary", "Before\x1fafter\\.")
    separator = with_value(separator, "victim_name", "Chlo\x1fe Taylor\\")

    run(export(tmp_path, backslash, separator))

    summaries = dict(LogEntry.objects.values_list("log_ref", "summary"))
    assert summaries == {
        "INC-2024-00000001": "Wrote C:\\temp\\n on the wall.",
        "INC-2024-00000003": "Before\x1fafter\\.",
    }
    person = Person.objects.get(person_ref="P100015")
    assert (person.first_name, person.last_name) == ("Chlo\x1fe", "Taylor\\")


def test_columns_in_any_order_and_unknown_columns_are_ignored(tmp_path):
    header = "Summary,division,VICTIM_REF,log_ref, recorded_at ,flags,suspect_ref,source_system"
    rows = [
        '"Turned up, again.",West,P200001,INC-9,2024-06-30T10:19+01:00," stalking ;; domestic",'
        "P200002,NICHE",
        "Nothing to add,East,P200003,INC-10,2024-01-15 08:00:00Z,,,NICHE",
    ]

    done = run(export(tmp_path, *rows, header=header)).log_import

    assert counts(done) == {"read": 2, "added": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    entry = LogEntry.objects.get(log_ref="INC-9")
    assert entry.summary == "Turned up, again."
    assert entry.flags == ["STALKING", "DOMESTIC"]
    assert entry.recorded_at == datetime.datetime(2024, 6, 30, 9, 19, tzinfo=datetime.UTC)
    assert (entry.victim_id, entry.suspect_id) == ("P200001", "P200002")
    assert (entry.crime_ref, entry.offence, entry.area) == ("", "", "")
    assert LogEntry.objects.get(log_ref="INC-10").suspect_id is None


def test_a_time_without_offset_is_uk_local_time(tmp_path):
    summer = ROW_1.replace("2024-05-23T10:19+00:00", "2024-05-23T10:19")
    winter = ROW_3.replace("2024-06-30T10:19+00:00", "2024-12-30 10:19:30")

    run(export(tmp_path, summer, winter))

    recorded = dict(LogEntry.objects.values_list("log_ref", "recorded_at"))
    assert recorded["INC-2024-00000001"] == datetime.datetime(
        2024, 5, 23, 9, 19, tzinfo=datetime.UTC
    )
    assert recorded["INC-2024-00000003"] == datetime.datetime(
        2024, 12, 30, 10, 19, 30, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-06-30T10:19Z", datetime.datetime(2024, 6, 30, 10, 19, tzinfo=UTC)),
        ("2024-06-30T10:19:00.5-0230", datetime.datetime(2024, 6, 30, 12, 49, 0, 500000, UTC)),
        ("20240630T101900+0100", datetime.datetime(2024, 6, 30, 9, 19, tzinfo=UTC)),
        ("2024-06-30T10:19+23:00", "recorded_at has no such UTC offset: '2024-06-30T10:19+23:00'."),
        ("30/06/2024 10:19", "recorded_at is not an ISO 8601 date and time: '30/06/2024 10:19'."),
    ],
)
def test_iso_8601_times_are_read_or_the_row_rejected(tmp_path, value, expected):
    done = run(export(tmp_path, ROW_3.replace("2024-06-30T10:19+00:00", value))).log_import

    if isinstance(expected, str):
        assert RejectedRow.objects.get(log_import=done).reason == expected
    else:
        assert LogEntry.objects.get().recorded_at == expected


# --- files that are not exports -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty"),
        (b"name,date\nSmith,2024-01-01\n", "the columns log_ref, recorded_at and victim_ref"),
        (
            HEADER.replace("victim_ref,", "victim,").encode() + b"\n",
            "the column victim_ref is missing",
        ),
        (HEADER.replace(",", ";").encode() + b"\n", "separated by semicolons"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not CSV text"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_nothing_imported(tmp_path, content, message):
    path = tmp_path / "not-an-export.csv"
    path.write_bytes(content)

    result = run(path)

    refused = result.log_import
    assert refused.status == LogImport.Status.REFUSED
    assert message in refused.message
    assert refused.percent == 100
    assert not LogEntry.objects.exists()
    assert not Person.objects.exists()
    assert not RejectedRow.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_export_with_unreadable_bytes_further_down_is_refused_with_nothing_kept(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(parse, "CHUNK_ROWS", 50)
    path = export(tmp_path, "INC-X,,not a date,,,,P1,,,,,,,,,", *rows(400))
    path.write_bytes(path.read_bytes() + "INC-Y,,,,,,Zoë,,,,,,,,,\n".encode("latin-1"))

    refused = run(path).log_import

    assert refused.status == LogImport.Status.REFUSED
    assert "not UTF-8" in refused.message
    assert counts(refused)["read"] == 0
    assert not LogEntry.objects.exists()
    assert not RejectedRow.objects.exists()
    assert not Person.objects.exists()


def test_nul_characters_reject_the_row_or_leave_a_name(tmp_path):
    with_nul = ROW_2.replace("Flowers and a letter", "Flowers\x00 and a letter")
    named = ROW_3.replace("Chloe Taylor", "Chloe\x00 Taylor")

    done = run(export(tmp_path, with_nul, named)).log_import

    assert RejectedRow.objects.get(log_import=done).reason == "The row contains a NUL character."
    person = Person.objects.get(person_ref="P100015")
    assert (person.first_name, person.last_name) == ("Chloe", "Taylor")


# --- people -------------------------------------------------------------------------------------


def test_people_are_created_for_new_references_and_known_people_left_alone(tmp_path):
    known = PersonFactory(person_ref="P100001", first_name="Sophia", last_name="Edwards-Hill")
    reversed_name = ROW_3.replace("Chloe Taylor", '"TAYLOR, Chloe Anne"')

    run(export(tmp_path, ROW_1, ROW_2, reversed_name))

    known.refresh_from_db()
    assert (known.first_name, known.last_name) == ("Sophia", "Edwards-Hill")
    suspect = Person.objects.get(person_ref="P100002")
    assert (suspect.first_name, suspect.last_name) == ("Jack", "Evans")
    assert suspect.date_of_birth == datetime.date(1980, 4, 7)
    assert suspect.aliases == []
    other = Person.objects.get(person_ref="P100015")
    assert (other.first_name, other.last_name) == ("Chloe Anne", "TAYLOR")
    assert Person.objects.count() == 3
    entry = LogEntry.objects.select_related("victim", "suspect").get(log_ref="INC-2024-00000001")
    assert entry.victim == known
    assert entry.suspect == suspect


def test_a_name_longer_than_the_model_field_is_cut_to_it(tmp_path):
    first_size = Person._meta.get_field("first_name").max_length
    last_size = Person._meta.get_field("last_name").max_length
    long_name = "A" * (first_size + 5) + " " + "B" * (last_size + 5)

    run(export(tmp_path, with_value(ROW_3, "victim_name", long_name)))

    person = Person.objects.get(person_ref="P100015")
    assert (person.first_name, person.last_name) == ("A" * first_size, "B" * last_size)


@pytest.mark.parametrize(
    "name, parts",
    [
        ("Sophie Edwards", ("Sophie", "Edwards")),
        ("Mary Ann Smith", ("Mary Ann", "Smith")),
        ("SMITH, Mary Ann", ("Mary Ann", "SMITH")),
        ("Cher", ("Cher", "")),
        ("", ("", "")),
    ],
)
def test_names_split_into_first_and_last(name, parts):
    assert split_name(name) == parts


# --- the command --------------------------------------------------------------------------------


def test_command_imports_each_file_and_prints_a_summary(tmp_path, capsys):
    first = export(tmp_path, ROW_1, ROW_2.replace("INC-2024-00000002", ""), name="a.csv")
    second = export(tmp_path, ROW_1, ROW_3, name="b.csv")

    call_command("import_police_logs", str(first), str(second))

    out = capsys.readouterr().out
    assert "a.csv: 2 rows read, 1 added, 0 updated, 0 unchanged, 1 rejected." in out
    assert "  line 3: No value for log_ref." in out
    assert "b.csv: 2 rows read, 1 added, 0 updated, 1 unchanged, 0 rejected." in out
    assert set(LogImport.objects.values_list("source", flat=True)) == {"command"}
    assert LogEntry.objects.count() == 2


def test_command_fails_when_a_file_is_refused_but_imports_the_others(tmp_path, capsys):
    good = export(tmp_path, ROW_1, name="good.csv")
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some notes\n")

    with pytest.raises(CommandError, match=r"notes\.txt"):
        call_command("import_police_logs", str(bad), str(good), str(tmp_path / "missing.csv"))

    err = capsys.readouterr().err
    assert "notes.txt: refused. This is not a police log export" in err
    assert "missing.csv: no such file." in err
    assert LogEntry.objects.filter(log_ref="INC-2024-00000001").exists()


# --- large imports: the worker thread, progress, chunks, the bulk path --------------------------


def rows(count, start=1):
    return [
        f"INC-{n},,2024-06-30T10:19+00:00,8/1,Harassment,,P{n % 7},,,P{n % 5 + 10},,,,,,Row {n}"
        for n in range(start, start + count)
    ]


def test_entries_imported_chunk_by_chunk_new_after_existing(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "CHUNK_ROWS", 10)
    run(export(tmp_path, *rows(25), name="old.csv"))
    changed = [r.replace("Row 3", "Row three") for r in rows(25)]

    result = run(export(tmp_path, *changed, *rows(30, start=26), name="new.csv"))

    assert counts(result.log_import) == {
        "read": 55,
        "added": 30,
        "updated": 1,
        "unchanged": 24,
        "rejected": 0,
    }
    assert LogEntry.objects.count() == 55
    assert LogEntry.objects.get(log_ref="INC-3").summary == "Row three"


def test_too_many_pairs_to_list_ask_for_a_full_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_PAIRS", 5)

    result = run(export(tmp_path, *rows(40)))

    assert result.log_import.rows_added == 40
    assert result.pairs is None


@pytest.mark.django_db(transaction=True)
def test_a_large_import_shows_progress_to_others_and_its_entries_all_at_once(tmp_path, monkeypatch):
    """Run as on the worker: the entries load in a thread and transaction of their own while
    the progress commits as it goes, for the upload page to show."""
    monkeypatch.setattr(importer, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(parse, "CHUNK_ROWS", 50)
    path = export(tmp_path, *rows(500), "INC-BAD,,,,,,,,,,,,,,,")
    seen = []

    def look(log_import):
        # What another session (the upload page) sees now.
        def other_session():
            try:
                shown = LogImport.objects.get(pk=log_import.pk)
                seen.append((shown.status, shown.rows_read, LogEntry.objects.count()))
            finally:
                connections.close_all()

        thread = threading.Thread(target=other_session)
        thread.start()
        thread.join()

    done = run(path, progress=look).log_import

    assert counts(done) == {"read": 501, "added": 500, "updated": 0, "unchanged": 0, "rejected": 1}
    running = [s for s in seen if s[0] == LogImport.Status.RUNNING]
    assert len(running) >= 5
    assert [rows_read for _, rows_read, _ in running] == sorted(r for _, r, _ in running)
    assert running[-1][1] > running[0][1] > 0
    assert all(entries == 0 for _, _, entries in running)
    assert seen[-1] == (LogImport.Status.DONE, 501, 500)
    assert RejectedRow.objects.get(log_import=done).line_number == 502


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_into_an_empty_table_rebuilds_the_indexes_it_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(load, "BULK_MIN_ROWS", 10)
    monkeypatch.setattr(parse, "CHUNK_ROWS", 20)

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename IN ('referrals_logentry', 'referrals_person')"
            )
            indexes = dict(cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'referrals_logentry'::regclass"
            )
            return indexes, dict(cursor.fetchall())

    before = schema()
    # log_refs repeated in later chunks: once identical, once changed.
    repeated = [rows(1, start=5)[0], rows(1, start=7)[0].replace("Row 7", "Row seven")]

    result = run(export(tmp_path, *rows(100), *repeated))

    assert counts(result.log_import) == {
        "read": 102,
        "added": 100,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
    }
    assert schema() == before
    # The people's name indexes (dropped too: the register was empty) are back as well.
    assert {"logentry_pair_idx", "logentry_log_ref_key", "person_last_trgm"} <= set(before[0])
    assert "logentry_log_ref_key" in before[1]
    assert Person.objects.count() == 12
    # ... because they were built again, not left alone.
    assert {"index logentry_pair_idx", "index person_last_trgm"} <= set(result.timings)
    assert LogEntry.objects.count() == 100
    assert LogEntry.objects.get(log_ref="INC-7").summary == "Row seven"
    again = run(export(tmp_path, *rows(100), name="again.csv")).log_import
    assert (again.rows_updated, again.rows_unchanged) == (1, 99)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lane", ["entries", "people"])
def test_a_failure_while_loading_keeps_nothing(tmp_path, monkeypatch, lane):
    # Entries and people load on sessions of their own: a failure in either keeps neither.
    monkeypatch.setattr(importer, "PIPELINE_MIN_BYTES", 0)
    monkeypatch.setattr(parse, "CHUNK_ROWS", 10)
    calls = []
    fail_at = 3 if lane == "entries" else 1  # the people of these rows all come in chunk 1
    name = f"_load_{lane}"
    load = getattr(importer.Loader, name)

    def failing_load(self, chunk):
        calls.append(chunk)
        if len(calls) == fail_at:
            with getattr(self, lane).conn.cursor() as cursor:
                cursor.execute("SELECT %s::integer", ["Sophie Edwards"])
        return load(self, chunk)

    monkeypatch.setattr(importer.Loader, name, failing_load)
    path = export(tmp_path, "INC-BAD,,,,,,,,,,,,,,,", *rows(50))

    with pytest.raises(importer.LoadError) as raised:
        run(path)

    # The caller logs the error: it names no value from the file.
    assert str(raised.value) == "PostgreSQL error 22P02 in failing_load"
    assert raised.value.__suppress_context__

    failed = LogImport.objects.get()
    assert failed.status == LogImport.Status.FAILED
    assert not LogEntry.objects.exists()
    assert not Person.objects.exists()
    assert not RejectedRow.objects.exists()


# --- hostile files: bounded memory ---------------------------------------------------------------


def test_a_line_longer_than_the_cap_is_rejected_unread_and_the_rest_imports(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "MAX_LINE_CHARS", 1_000)
    many_columns = "," * 5_000  # one line of thousands of columns
    done = run(export(tmp_path, ROW_1, many_columns, ROW_3)).log_import

    assert counts(done) == {"read": 3, "added": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert RejectedRow.objects.get(log_import=done).line_number == 3
    assert RejectedRow.objects.get(log_import=done).reason == (
        "The line is longer than 1,000 characters."
    )


def test_a_row_spread_over_many_lines_past_the_cap_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "MAX_ROW_CHARS", 2_000)
    # A quoted value ending each line, reopened on the next: one row growing line after line.
    spread = "\n".join(['INC-X,"', *['x"' + "," * 100 + ',"'] * 50, 'x"'])
    done = run(export(tmp_path, ROW_1, spread, ROW_3)).log_import

    reasons = list(RejectedRow.objects.filter(log_import=done).values_list("reason", flat=True))
    assert "The row is longer than 2,000 characters." in reasons
    assert (
        LogEntry.objects.filter(log_ref__in=["INC-2024-00000001", "INC-2024-00000003"]).count() == 2
    )


def test_a_header_of_too_many_columns_refuses_the_file(tmp_path):
    header = HEADER + "," + ",".join(f"extra{n}" for n in range(parse.MAX_COLUMNS))
    refused = run(export(tmp_path, ROW_1, header=header)).log_import
    assert refused.status == LogImport.Status.REFUSED
    assert f"(an export has at most {parse.MAX_COLUMNS})" in refused.message


def test_a_header_line_past_the_cap_refuses_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "MAX_LINE_CHARS", 1_000)
    refused = run(export(tmp_path, ROW_1, header=HEADER + "," * 2_000)).log_import
    assert refused.status == LogImport.Status.REFUSED
    assert "first line is longer than 1,000 characters" in refused.message


def test_ten_thousand_columns_on_one_line_never_become_a_row(tmp_path, monkeypatch):
    """The issue's hostile file, scaled down: the parser never builds the wide row."""
    monkeypatch.setattr(parse, "MAX_LINE_CHARS", 1_000)
    built = []
    real_fit = parse.Parser._fit

    def fit(self, row, width, line_number):
        built.append(len(row))
        return real_fit(self, row, width, line_number)

    monkeypatch.setattr(parse.Parser, "_fit", fit)
    done = run(export(tmp_path, ROW_1, "a," * 10_000)).log_import
    assert counts(done)["rejected"] == 1
    assert max(built) < 1_000
