"""The stalking scan of police log entries (referrals/logs/scan.py) and export_findings."""

import csv
import datetime
import io
import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError, connection

from referrals.logs.scan import scan_police_logs
from referrals.models import Finding, LogEntry, LogImport
from stalking_clinic.locks import Lock

START = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)
ROUTINE = "Neighbour dispute over parking; words of advice given."
_refs = itertools.count(1)


@pytest.fixture
def log_import(db):
    return LogImport.objects.create(
        file_name="export.csv", source=LogImport.Source.COMMAND, status=LogImport.Status.DONE
    )


@pytest.fixture
def entry(log_import):
    """``entry(days=…, victim=…, suspect=…, …)``: one log entry, ``days`` after START."""

    def make(
        *,
        days: float = 0,
        victim: str = "P1",
        suspect: str | None = "P2",
        code: str = "ASB",
        offence: str = "Anti-social behaviour",
        flags: tuple[str, ...] = (),
        relationship: str = "neighbour",
        summary: str = ROUTINE,
        log_ref: str = "",
    ) -> LogEntry:
        return LogEntry.objects.create(
            log_ref=log_ref or f"INC-2025-{next(_refs):08d}",
            recorded_at=START + datetime.timedelta(days=days),
            offence_code=code,
            offence=offence,
            flags=list(flags),
            victim_id=victim,
            suspect_id=suspect,
            relationship=relationship,
            summary=summary,
            first_import=log_import,
            last_import=log_import,
        )

    return make


def stalking(entry, **kwargs) -> LogEntry:
    return entry(code="8/65", offence="Stalking - fear of violence", flags=("STALKING",), **kwargs)


def scan(mode: str, pairs=(("P2", "P1"),)):
    """A full scan, or an incremental one of ``pairs``: the two find the same."""
    return scan_police_logs() if mode == "full" else scan_police_logs(pairs=list(pairs))


def evidence(finding: Finding) -> list[str]:
    return list(finding.entries.order_by("recorded_at").values_list("log_ref", flat=True))


# --- Tagged -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entry_flagged_stalking_is_a_tagged_finding_of_its_pair(entry):
    flagged = entry(flags=("STALKING", "DOMESTIC"), code="8/1", offence="Harassment")

    result = scan_police_logs()

    finding = Finding.objects.get()
    assert (finding.key, finding.kind) == ("P2|P1", Finding.Kind.TAGGED)
    assert (finding.suspect_id, finding.victim_id) == ("P2", "P1")
    assert (finding.first_seen, finding.last_seen, finding.entry_count) == (START, START, 1)
    assert evidence(finding) == [flagged.log_ref]
    assert finding.status == Finding.Status.OPEN
    assert (result.created, result.created_ids) == (1, [finding.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["8/65", "8/66", "195/12"])
def test_entry_coded_as_stalking_is_tagged_without_the_flag(entry, code):
    entry(code=code, offence="Stalking")

    scan_police_logs()

    assert Finding.objects.get().kind == Finding.Kind.TAGGED


@pytest.mark.django_db
def test_tagged_finding_holds_every_entry_of_the_pair(entry):
    routine = entry(days=-400)
    tagged = stalking(entry, days=0)
    entry(days=5, suspect="P3")  # another suspect: another pair

    scan_police_logs()

    finding = Finding.objects.get()
    assert evidence(finding) == [routine.log_ref, tagged.log_ref]
    assert finding.entry_count == 2
    assert finding.first_seen == START - datetime.timedelta(days=400)


@pytest.mark.django_db
def test_tagged_entry_without_suspect_is_a_finding_of_its_own(entry):
    first = stalking(entry, suspect=None)
    second = stalking(entry, suspect=None, days=3)
    entry(suspect=None, days=4)  # not tagged, no suspect: nothing

    scan_police_logs()

    findings = Finding.objects.order_by("first_seen")
    assert [f.key for f in findings] == [f"E|{first.log_ref}", f"E|{second.log_ref}"]
    assert [evidence(f) for f in findings] == [[first.log_ref], [second.log_ref]]
    assert all(f.suspect_id is None and f.kind == Finding.Kind.TAGGED for f in findings)


# --- Pattern ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_three_entries_within_90_days_are_a_pattern(entry):
    entries = [entry(days=d, code="8/1", offence="Harassment") for d in (0, 30, 60)]

    scan_police_logs()

    finding = Finding.objects.get()
    assert (finding.key, finding.kind) == ("P2|P1", Finding.Kind.PATTERN)
    assert evidence(finding) == [e.log_ref for e in entries]
    assert finding.entry_count == 3
    assert finding.last_seen == START + datetime.timedelta(days=60)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_window_includes_exactly_90_days(entry, mode):
    for days in (0, 45, 90):
        entry(days=days)

    scan(mode)

    assert Finding.objects.get().kind == Finding.Kind.PATTERN


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_three_entries_spread_over_more_than_90_days_are_not_a_pattern(entry, mode):
    for days in (0, 45, 90.01):
        entry(days=days)
    for days in (0, 80, 160, 240):
        entry(days=days, victim="P5")

    result = scan(mode, pairs=[("P2", "P1"), ("P2", "P5")])

    assert not Finding.objects.exists()
    assert result.created == 0


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_three_entries_at_the_same_time_are_a_pattern(entry, mode):
    for _ in range(3):
        entry(days=10)

    scan(mode)

    assert Finding.objects.get().entry_count == 3


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["full", "incremental"])
def test_two_entries_are_not_a_pattern(entry, mode):
    entry(days=0, code="8/1", offence="Harassment", relationship="ex-partner")
    entry(days=1, code="8/1", offence="Harassment", relationship="ex-partner")

    scan(mode)

    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_pattern_needs_the_same_suspect_and_the_same_victim(entry):
    for days, suspect, victim in ((0, "P2", "P1"), (1, "P3", "P1"), (2, "P2", "P4")):
        entry(days=days, suspect=suspect, victim=victim)
    for days in (0, 1, 2):
        entry(days=days, suspect=None, victim="P9")

    scan_police_logs()

    assert not Finding.objects.exists()


@pytest.mark.django_db
def test_later_entries_outside_the_window_still_belong_to_the_pattern(entry):
    for days in (0, 10, 20, 300):
        entry(days=days)

    scan_police_logs()

    finding = Finding.objects.get()
    assert finding.entry_count == 4
    assert finding.last_seen == START + datetime.timedelta(days=300)


@pytest.mark.django_db
def test_pattern_thresholds_come_from_settings(entry, settings):
    for days in (0, 20, 40):
        entry(days=days)
    settings.SCAN_PATTERN_MIN_ENTRIES = 4

    scan_police_logs()
    assert not Finding.objects.exists()

    settings.SCAN_PATTERN_MIN_ENTRIES = 3
    settings.SCAN_PATTERN_WINDOW_DAYS = 30
    scan_police_logs()
    assert not Finding.objects.exists()

    settings.SCAN_PATTERN_WINDOW_DAYS = 40
    scan_police_logs()
    assert Finding.objects.count() == 1


@pytest.mark.django_db
def test_pattern_threshold_below_two_entries_is_refused(settings):
    settings.SCAN_PATTERN_MIN_ENTRIES = 1

    with pytest.raises(ImproperlyConfigured):
        scan_police_logs()


# --- Score --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_four_wording_harassment_and_ex_partner_each_raise_a_pattern_score(entry):
    def pattern(victim, **kwargs):
        for days in (0, 10, 20):
            entry(days=days, victim=victim, **kwargs)

    pattern("P10")
    pattern("P11", summary="Suspect keeps following her from the bus stop.")
    pattern("P12", code="8/2", offence="Malicious communications")
    pattern("P13", relationship="ex-partner")
    pattern("P14", code="58A/0", offence="Criminal damage to a dwelling")

    scan_police_logs()

    scores = dict(Finding.objects.values_list("victim_id", "score"))
    assert scores["P10"] < scores["P14"] < scores["P12"] < scores["P11"]
    assert scores["P10"] < scores["P13"]


@pytest.mark.parametrize(
    "summary",
    [
        "Suspect turned up at victim's workplace again and waited by her car.",
        "Victim reports 40 unwanted messages overnight from suspect despite being asked to stop.",
        "Male seen loitering outside the victim's address.",
        "Flowers and a letter left on victim's doorstep; suspect fixated on resuming relationship.",
        "New social media accounts created by suspect to contact victim after being blocked.",
        "Suspect contacted victim's mother and employer asking where victim is living now.",
    ],
)
@pytest.mark.django_db
def test_four_wording_is_recognised(entry, summary):
    for days in (0, 10, 20):
        entry(days=days, victim="P10")
        entry(days=days, victim="P11", summary=summary)

    scan_police_logs()

    scores = dict(Finding.objects.values_list("victim_id", "score"))
    assert scores["P11"] > scores["P10"]


@pytest.mark.django_db
def test_any_tagged_finding_scores_above_the_strongest_pattern(entry):
    for days in range(12):
        entry(
            days=days,
            victim="P10",
            code="8/1",
            offence="Harassment",
            flags=("HARASSMENT",),
            relationship="ex-partner",
            summary="Suspect keeps following her and turned up at her work; fixated.",
        )
    stalking(entry, victim="P11", suspect=None, relationship="stranger", summary="")

    scan_police_logs()

    pattern = Finding.objects.get(kind=Finding.Kind.PATTERN)
    tagged = Finding.objects.get(kind=Finding.Kind.TAGGED)
    assert pattern.score < 100 <= tagged.score


# --- Serial -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suspect_with_findings_against_two_victims_is_a_possible_serial_stalker(entry):
    stalking(entry, suspect="P2", victim="P1")
    for days in (0, 10, 20):
        entry(days=days, suspect="P2", victim="P3")
    stalking(entry, suspect="P4", victim="P5")
    entry(suspect="P4", victim="P6")  # no finding: P4 is not serial

    result = scan_police_logs()

    serial = dict(Finding.objects.values_list("key", "possible_serial"))
    assert serial == {"P2|P1": True, "P2|P3": True, "P4|P5": False}
    assert len(result.serial_marked_ids) == 2


@pytest.mark.django_db
def test_incremental_scan_marks_the_suspects_earlier_finding_as_serial(entry):
    stalking(entry, suspect="P2", victim="P1")
    scan_police_logs()
    first = Finding.objects.get()
    assert not first.possible_serial

    stalking(entry, suspect="P2", victim="P3")
    result = scan_police_logs(pairs=[("P2", "P3")])

    first.refresh_from_db()
    assert first.possible_serial
    assert Finding.objects.get(key="P2|P3").possible_serial
    # Not new evidence: the reviewer's claim on the finding still holds.
    assert first.version == 1
    assert first.pk in result.serial_marked_ids


@pytest.mark.django_db
def test_serial_mark_is_removed_when_no_longer_true(entry):
    stalking(entry, suspect="P2", victim="P1")
    stalking(entry, suspect="P2", victim="P3")
    scan_police_logs()
    # E.g. an entry recorded against the wrong person, removed with its finding by an administrator.
    Finding.objects.filter(victim_id="P3").delete()
    LogEntry.objects.filter(victim_id="P3").delete()

    result = scan_police_logs()

    assert not Finding.objects.get().possible_serial
    assert result.serial_unmarked == 1


# --- Idempotence and updates --------------------------------------------------------------------


@pytest.mark.django_db
def test_second_scan_changes_nothing(entry):
    stalking(entry, suspect="P2", victim="P1")
    stalking(entry, suspect=None, victim="P1")
    for days in (0, 10, 20):
        entry(days=days, suspect="P2", victim="P3")
    scan_police_logs()
    before = list(Finding.objects.order_by("id").values())
    links = Finding.entries.through.objects.count()

    full = scan_police_logs()
    incremental = scan_police_logs(pairs=[("P2", "P1"), ("P2", "P3"), (None, "P1")])

    assert list(Finding.objects.order_by("id").values()) == before
    assert Finding.entries.through.objects.count() == links
    for result in (full, incremental):
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
        assert result.grown_ids == result.serial_marked_ids == []


@pytest.mark.django_db
def test_new_entry_updates_the_pairs_finding_instead_of_adding_one(entry):
    entries = [entry(days=d) for d in (0, 10, 20)]
    scan_police_logs()
    finding = Finding.objects.get()

    later = entry(days=200, code="8/1", offence="Harassment")
    result = scan_police_logs(pairs=[("P2", "P1")])

    updated = Finding.objects.get()
    assert updated.pk == finding.pk
    assert evidence(updated) == [e.log_ref for e in entries] + [later.log_ref]
    assert (updated.entry_count, updated.last_seen) == (4, later.recorded_at)
    assert updated.score > finding.score
    assert updated.version == finding.version + 1
    assert updated.updated_at > finding.updated_at
    assert updated.created_at == finding.created_at
    assert (result.created, result.updated, result.grown_ids) == (0, 1, [finding.pk])


@pytest.mark.django_db
def test_pattern_that_becomes_tagged_keeps_its_finding(entry):
    for days in (0, 10, 20):
        entry(days=days)
    scan_police_logs()
    pattern = Finding.objects.get()

    stalking(entry, days=30)
    scan_police_logs()

    tagged = Finding.objects.get()
    assert (tagged.pk, tagged.key, tagged.kind) == (pattern.pk, "P2|P1", Finding.Kind.TAGGED)
    assert tagged.score >= 100 > pattern.score
    assert tagged.entry_count == 4
    assert tagged.version == pattern.version + 1


@pytest.mark.django_db
def test_reviewed_finding_with_new_entries_keeps_its_status_and_is_reported(entry):
    stalking(entry)
    scan_police_logs()
    finding = Finding.objects.get()
    Finding.objects.filter(pk=finding.pk).update(
        status=Finding.Status.DISMISSED, dismissed_reason="Already known."
    )

    entry(days=5)
    result = scan_police_logs()

    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert finding.entry_count == 2
    assert result.grown_ids == result.reviewed_grown_ids == [finding.pk]


@pytest.mark.django_db
def test_finding_of_a_pair_that_no_longer_qualifies_is_left_alone(entry):
    tagged = stalking(entry)
    scan_police_logs()
    before = Finding.objects.values().get()

    LogEntry.objects.filter(pk=tagged.pk).update(flags=[], offence_code="8/1")
    result = scan_police_logs()

    assert Finding.objects.values().get() == before
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


@pytest.mark.django_db
def test_incremental_scan_looks_only_at_the_pairs_given(entry):
    for days in (0, 10, 20):
        entry(days=days, suspect="P2", victim="P1")
        entry(days=days, suspect="P3", victim="P4")
    stalking(entry, suspect=None, victim="P5")
    stalking(entry, suspect=None, victim="P6")

    result = scan_police_logs(pairs=[("P2", "P1"), (None, "P5"), ("P7", "P8")])

    assert sorted(Finding.objects.values_list("victim_id", flat=True)) == ["P1", "P5"]
    assert result.pairs_examined == 3
    assert scan_police_logs(pairs=[]).pairs_examined == 0


# --- Lock ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_scan_waits_while_another_scan_holds_the_lock(entry, lock_held_elsewhere):
    entry()
    with lock_held_elsewhere(Lock.POLICE_LOG_SCAN):
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            with pytest.raises(OperationalError, match="lock timeout"):
                scan_police_logs()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    assert scan_police_logs().pairs_examined == 0


# --- Commands -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scan_command_prints_what_it_did(entry):
    stalking(entry)
    out = io.StringIO()

    call_command("scan_police_logs", stdout=out)

    assert "1 findings created" in out.getvalue()


EXPORT_ARGS = {"recipient": "Force analysts", "justification": "Monthly review", "by": "exporter"}


@pytest.fixture
def exporter(make_user):
    return make_user("coordinator", username="exporter")


@pytest.mark.django_db
def test_export_findings_writes_every_finding_as_csv(entry, exporter):
    late = entry(days=20, code="8/1", offence="Harassment")
    early = entry(days=0)
    middle = entry(days=10)
    lone = stalking(entry, suspect=None, victim="P7")
    scan_police_logs()
    out = io.StringIO()

    call_command("export_findings", stdout=out, **EXPORT_ARGS)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[:9] == [
        "kind",
        "suspect_ref",
        "victim_ref",
        "first_seen",
        "last_seen",
        "entry_count",
        "score",
        "status",
        "log_refs",
    ]
    by_kind = {row["kind"]: row for row in rows}
    assert len(rows) == 2
    pattern = Finding.objects.get(kind=Finding.Kind.PATTERN)
    assert by_kind["pattern"] == {
        "kind": "pattern",
        "suspect_ref": "P2",
        "victim_ref": "P1",
        "first_seen": "2025-03-01T12:00:00+00:00",
        "last_seen": "2025-03-21T12:00:00+00:00",
        "entry_count": "3",
        "score": str(pattern.score),
        "status": "open",
        "log_refs": f"{early.log_ref};{middle.log_ref};{late.log_ref}",
        "possible_serial": "no",
        "finding_id": str(pattern.pk),
    }
    assert by_kind["tagged"]["suspect_ref"] == ""
    assert by_kind["tagged"]["log_refs"] == lone.log_ref
    assert datetime.datetime.fromisoformat(by_kind["tagged"]["first_seen"]) == START


@pytest.mark.django_db
def test_export_findings_cannot_carry_a_formula(exporter):
    from django.utils import timezone

    Finding.objects.create(
        key="=CMD()|@SUM(1)",
        kind=Finding.Kind.PATTERN,
        victim_id="@SUM(1)",
        suspect_id="=CMD()",
        first_seen=timezone.now(),
        last_seen=timezone.now(),
        entry_count=3,
        score=10,
    )
    out = io.StringIO()

    call_command("export_findings", stdout=out, **EXPORT_ARGS)

    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["suspect_ref"] == "'=CMD()" and row["victim_ref"] == "'@SUM(1)"


@pytest.mark.django_db
def test_export_findings_guards_each_log_reference_and_is_audited_as_a_disclosure(entry, exporter):
    from stalking_clinic.audit.models import AuditEvent

    entry(days=0, log_ref="=HYPERLINK(1)")
    entry(days=10, log_ref="+SUM(2)")
    entry(days=20, code="8/1", offence="Harassment", log_ref="@cmd")
    scan_police_logs()
    out = io.StringIO()

    call_command("export_findings", stdout=out, **EXPORT_ARGS)

    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    # Each reference, not just the cell: a spreadsheet splitting on ";" makes each a cell.
    assert row["log_refs"] == "'=HYPERLINK(1);'+SUM(2);'@cmd"
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSURE)
    assert event.actor == exporter
    assert (event.recipient, event.justification) == ("Force analysts", "Monthly review")
    assert event.object_type == "referrals.finding"
    assert event.object_label == "Export of police log findings: 1 rows"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        ({"recipient": " ", "justification": "x", "by": "exporter"}, "recipient"),
        ({"recipient": "x", "justification": "x", "by": "nobody"}, "no active user"),
    ],
)
def test_export_findings_refuses_without_recipient_justification_and_account(
    exporter, args, message
):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("export_findings", stdout=io.StringIO(), **args)
