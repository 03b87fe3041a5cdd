"""How fast the stalking scan is over 1,000,000 police log entries: prints figures, asserts nothing.

    .venv/bin/python -m bench.police_log_scan [--entries 1000000] [--new 1000] [--repeat 3]

Runs against its own database (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/stalking_clinic_bench), never the development one. It loads the
entries straight into referrals_logentry with PostgreSQL COPY (unless the table already holds what
this run asks for), empties the findings, then times:

1. a full scan with no findings yet (the first scan after go-live);
2. the same full scan again, which must change nothing;
3. an incremental scan of the pairs of ``--new`` entries just added (some extending planted
   patterns and decoys, some tagged, most new pairs), as after an import.

Goals (the issue): full scan under 5 s, incremental scan under 1 s.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass

from bench.triage_queue import AREA_WEIGHTS, AREAS, QueryTimer, _copy_value, _setup_django

SEED = 20260502
YEARS = 3
PEOPLE = 400_000  # person refs: victims and suspects are drawn from one pool
# Bump when the generated data changes, so an existing bench database is reloaded.
DATA_VERSION = 3
WINDOW_DAYS = 90
BASE_FILE = "bench-scan-base.csv"

# (offence_code, offence, flags) of everyday entries, with weights.
ROUTINE_OFFENCES = [
    (("NC", "Concern for welfare", []), 20),
    (("ASB", "Anti-social behaviour", []), 18),
    (("46/0", "Shoplifting", []), 12),
    (("RTC", "Road traffic collision", []), 10),
    (("45/0", "Theft from a vehicle", []), 8),
    (("28/3", "Burglary - residential", []), 7),
    (("105A/0", "Common assault", []), 7),
    (("9/0", "Public order - s.5", []), 6),
    (("58C/0", "Criminal damage to a vehicle", []), 5),
    (("58A/0", "Criminal damage to a dwelling", []), 4),
    (("8/1", "Harassment", ["HARASSMENT"]), 2),
    (("8/2", "Malicious communications", []), 1),
]
ROUTINE_SUMMARIES = [
    "Elderly male found confused, returned home safe.",
    "Youths causing nuisance in the park, dispersed on arrival.",
    "Neighbour dispute over parking; words of advice given.",
    "Verbal altercation outside licensed premises, parties separated.",
    "Window smashed at rear of property, no suspect seen.",
    "Items taken from unlocked vehicle overnight.",
    "Two-vehicle collision at junction, no injuries.",
    "Caller reports shoplifter detained by store security.",
]
PATTERN_OFFENCES = [
    ("8/1", "Harassment", ["HARASSMENT"]),
    ("8/1", "Harassment", []),
    ("8/2", "Malicious communications", []),
    ("8/4", "Breach of non-molestation order", ["DOMESTIC"]),
    ("58A/0", "Criminal damage to a dwelling", []),
    ("58C/0", "Criminal damage to a vehicle", []),
    ("NC", "Concern for welfare", []),
]
PATTERN_SUMMARIES = [
    "Suspect turned up at victim's workplace again and waited by her car.",
    "Victim reports 40 unwanted messages overnight from suspect despite being asked to stop.",
    "Victim states suspect keeps following her from the bus stop; she is very frightened.",
    "Flowers and a letter left on victim's doorstep; suspect fixated on resuming relationship.",
    "New social media accounts created by suspect to contact victim after being blocked.",
    "Suspect contacted victim's mother and employer asking where victim is living now.",
    "Victim reports a car parked outside her house most evenings.",
]
TAGGED_OFFENCES = [
    ("8/65", "Stalking - fear of violence", ["STALKING"]),
    ("8/66", "Stalking - serious alarm or distress", ["STALKING"]),
    ("195/12", "Course of conduct amounting to stalking", ["STALKING"]),
    ("8/1", "Harassment", ["HARASSMENT", "STALKING"]),
]
RELATIONSHIPS = ["ex-partner", "partner", "family", "acquaintance", "colleague", "neighbour"]
ROUTINE_RELATIONSHIPS = [*RELATIONSHIPS, "stranger", "unknown"]


@dataclass
class Row:
    at: datetime.datetime
    victim: str
    suspect: str | None
    offence: tuple[str, str, list[str]]
    relationship: str
    summary: str


@dataclass
class Planted:
    """What the generator planted, to check the scan found it and nothing else."""

    patterns: set[tuple[str, str]]
    tagged_pairs: set[tuple[str, str]]
    lone_tagged: int
    decoys: set[tuple[str, str]]
    serial_suspects: set[str]


class Data:
    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        self.start = now - datetime.timedelta(days=YEARS * 365)
        self.used_people: set[int] = set()
        self.planted = Planted(set(), set(), 0, set(), set())
        self.rows: list[Row] = []

    def person(self) -> str:
        return f"P{1_000_000 + self.rng.randrange(PEOPLE)}"

    def fresh_person(self) -> str:
        """One not yet in a planted pair, so planted pairs never merge by chance."""
        while True:
            n = self.rng.randrange(PEOPLE, PEOPLE * 3)
            if n not in self.used_people:
                self.used_people.add(n)
                return f"P{1_000_000 + n}"

    def when(self, latest: datetime.datetime | None = None) -> datetime.datetime:
        latest = latest or self.now
        seconds = self.rng.uniform(0, (latest - self.start).total_seconds())
        return (self.start + datetime.timedelta(seconds=seconds)).replace(microsecond=0)

    def routine(self) -> Row:
        return Row(
            at=self.when(),
            victim=self.person(),
            suspect=self.person() if self.rng.random() < 0.55 else None,
            offence=self.rng.choices(*zip(*ROUTINE_OFFENCES, strict=True))[0],
            relationship=self.rng.choice(ROUTINE_RELATIONSHIPS),
            summary=self.rng.choice(ROUTINE_SUMMARIES),
        )

    def pattern(self, suspect: str, victim: str, count: int, start: datetime.datetime) -> None:
        relationship = "ex-partner" if self.rng.random() < 0.5 else self.rng.choice(RELATIONSHIPS)
        days = sorted(self.rng.uniform(0, WINDOW_DAYS - 1) for _ in range(count))
        for day in days:
            self.rows.append(
                Row(
                    at=start + datetime.timedelta(days=day),
                    victim=victim,
                    suspect=suspect,
                    offence=self.rng.choice(PATTERN_OFFENCES),
                    relationship=relationship,
                    summary=self.rng.choice(PATTERN_SUMMARIES + ROUTINE_SUMMARIES[:2]),
                )
            )

    def generate(self, entries: int) -> None:
        rng, planted = self.rng, self.planted
        latest_start = self.now - datetime.timedelta(days=WINDOW_DAYS)
        # Planted patterns: 3-6 entries within 90 days, about 2.5% of the entries. One suspect in
        # ten goes on to a second victim (a serial stalker).
        suspects: list[str] = []
        while len(self.rows) < entries * 0.025:
            if suspects and rng.random() < 0.1:
                suspect = rng.choice(suspects)
                planted.serial_suspects.add(suspect)
            else:
                suspect = self.fresh_person()
                suspects.append(suspect)
            victim = self.fresh_person()
            self.pattern(suspect, victim, rng.randint(3, 6), self.when(latest_start))
            planted.patterns.add((suspect, victim))
        # Tagged entries, about 1%: a fifth with no suspect; some pairs with earlier entries.
        while len(self.rows) < entries * 0.035:
            suspect = None if rng.random() < 0.2 else self.fresh_person()
            victim = self.fresh_person()
            at = self.when()
            self.rows.append(
                Row(at, victim, suspect, rng.choice(TAGGED_OFFENCES), "ex-partner", "")
            )
            if suspect is None:
                planted.lone_tagged += 1
                continue
            planted.tagged_pairs.add((suspect, victim))
            for _ in range(rng.choice([0, 0, 1, 2])):
                earlier = at - datetime.timedelta(days=rng.uniform(1, 400))
                self.rows.append(
                    Row(earlier, victim, suspect, PATTERN_OFFENCES[0], "ex-partner", "")
                )
        # Decoys, about 2.5%: pairs with two entries close together, and pairs with three
        # entries spread over more than 90 days.
        while len(self.rows) < entries * 0.06:
            suspect, victim = self.fresh_person(), self.fresh_person()
            start = self.when(latest_start - datetime.timedelta(days=10))
            gaps = [0, rng.uniform(1, 60)] if rng.random() < 0.5 else [0, 46, 92 + rng.random()]
            for gap in gaps:
                self.rows.append(
                    Row(
                        start + datetime.timedelta(days=gap),
                        victim,
                        suspect,
                        PATTERN_OFFENCES[0],
                        "ex-partner",
                        PATTERN_SUMMARIES[0],
                    )
                )
            planted.decoys.add((suspect, victim))
        while len(self.rows) < entries:
            self.rows.append(self.routine())
        # As imports would have written them: oldest first, log refs in that order.
        self.rows.sort(key=lambda row: row.at)

    def new_rows(self, count: int) -> list[Row]:
        """Entries of a new import: extensions of patterns and decoys, tagged entries, new pairs."""
        rng, now = self.rng, self.now
        cutoff = now - datetime.timedelta(days=60)
        recent_pairs = {(r.suspect, r.victim) for r in self.rows if r.at > cutoff and r.suspect}
        recent = sorted(self.planted.patterns & recent_pairs)
        decoys = sorted(self.planted.decoys)
        rows = []
        for i in range(count):
            at = now - datetime.timedelta(hours=rng.uniform(0, 48))
            share = i / count
            if share < 0.2 and recent:
                suspect, victim = rng.choice(recent)
                rows.append(Row(at, victim, suspect, PATTERN_OFFENCES[2], "ex-partner", ""))
            elif share < 0.3:
                suspect, victim = rng.choice(decoys)
                rows.append(Row(at, victim, suspect, PATTERN_OFFENCES[0], "ex-partner", ""))
            elif share < 0.35:
                suspect, victim = rng.choice(sorted(self.planted.patterns))
                rows.append(Row(at, victim, suspect, TAGGED_OFFENCES[0], "ex-partner", ""))
            elif share < 0.4:
                rows.append(Row(at, self.person(), None, TAGGED_OFFENCES[2], "unknown", ""))
            else:
                row = self.routine()
                row.at = at
                rows.append(row)
        return rows


def _copy_entries(rows: list[Row], *, import_id: int, first_number: int, prefix: str) -> None:
    """COPY ``rows`` into referrals_logentry, numbering their log refs from ``first_number``."""
    from django.db import connection

    from referrals.logs.importer.sql import ENTRY_COLUMNS

    rng = random.Random(first_number)
    sql = f"COPY referrals_logentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            buffer = io.StringIO()
            for number, row in enumerate(rows[start : start + 50_000], first_number + start):
                code, offence, flags = row.offence
                at = row.at.replace(microsecond=0)
                values = {
                    "log_ref": f"{prefix}-{row.at.year}-{number:08d}",
                    "crime_ref": f"CR/{row.at.year}/{number:07d}" if rng.random() < 0.6 else "",
                    "recorded_at": at.isoformat(),
                    "offence_code": code,
                    "offence": offence,
                    "flags": flags,
                    "victim_ref": row.victim,
                    "suspect_ref": row.suspect,
                    "relationship": row.relationship,
                    "officer": f"PC {rng.randint(1000, 9999)}",
                    "area": rng.choices(AREAS, AREA_WEIGHTS)[0],
                    "summary": row.summary,
                    "first_import_id": import_id,
                    "last_import_id": import_id,
                    "updated_at": at.isoformat(),
                }
                line = "\t".join(_copy_value(values[column]) for column in ENTRY_COLUMNS)
                buffer.write(line + "\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)


def _check_columns() -> None:
    """Stop with the field's name if LogEntry gained a required column this bench does not fill."""
    from referrals.logs.importer.sql import ENTRY_COLUMNS
    from referrals.models import LogEntry

    for field in LogEntry._meta.concrete_fields:
        if field.primary_key or field.column in ENTRY_COLUMNS:
            continue
        if not field.null and field.get_default() is None:
            sys.exit(f"bench: no value for LogEntry.{field.attname}; add one to the bench.")


def _import(file_name: str, message: str = "") -> int:
    from referrals.models import LogImport

    return LogImport.objects.create(
        file_name=file_name,
        source=LogImport.Source.COMMAND,
        status=LogImport.Status.DONE,
        message=message,
    ).pk


def ensure_data(data: Data, entries: int) -> None:
    from django.db import connection, transaction

    from referrals.models import LogEntry, LogImport

    # The import bench shares the database and empties the same tables: what was loaded is known
    # by its import row, and its entries must all still be there.
    signature = f"scan bench data v{DATA_VERSION}: {entries} entries, seed {SEED}"
    base = LogImport.objects.filter(file_name=BASE_FILE, message=signature).last()
    if base and LogEntry.objects.filter(first_import=base).count() == entries:
        print(f"Database already holds the {entries:,} entries: not reloading.")
        return
    print(f"Loading {entries:,} log entries …", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # CASCADE empties the findings' evidence too: bench data only.
            cursor.execute(
                "TRUNCATE referrals_logentry, referrals_finding, referrals_rejectedrow"
                " RESTART IDENTITY CASCADE"
            )
        import_id = _import(BASE_FILE, signature)
        _copy_entries(data.rows, import_id=import_id, first_number=1, prefix="INC")
    print(f"Loaded in {time.perf_counter() - started:.1f} s.")


def reset() -> None:
    """Undo an earlier run: its new entries and every finding."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE referrals_finding, referrals_finding_entries RESTART IDENTITY")
        cursor.execute("DELETE FROM referrals_logentry WHERE log_ref LIKE 'NEW-%'")
    with connection.cursor() as cursor:
        # As autovacuum would have done on a live database: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE referrals_logentry")
        cursor.execute("VACUUM ANALYZE referrals_finding")
        cursor.execute("VACUUM ANALYZE referrals_finding_entries")


def timed_scan(label: str, **kwargs):
    from django.db import connection

    from referrals.logs.scan import scan_police_logs

    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        result = scan_police_logs(**kwargs)
    print(f"\n{label}: {result.seconds:.2f} s")
    print(f"  {result}")
    slowest = sorted(timer.timings, key=lambda t: -t[1])[:4]
    for sql, ms in slowest:
        statement = " ".join(sql.split())[:70]
        print(f"  {ms:8.1f} ms  {statement}")
    return result


def check(planted: Planted, *, after_new: bool = False) -> None:
    """Print what the scan found against what was planted (before the new import)."""
    from referrals.models import Finding

    found = {
        (s, v): kind
        for s, v, kind in Finding.objects.values_list("suspect_id", "victim_id", "kind")
    }
    kinds = Counter(found.values())
    lone = Finding.objects.filter(key__startswith="E|").count()
    serial = set(Finding.objects.filter(possible_serial=True).values_list("suspect_id", flat=True))
    print(
        f"  findings: {kinds['tagged']:,} tagged ({lone:,} without suspect), "
        f"{kinds['pattern']:,} pattern; suspects marked possible serial: {len(serial):,}"
    )
    if after_new:
        decoys = len(planted.decoys & found.keys())
        print(f"  decoys that the new entries made into patterns: {decoys}")
        return
    print(
        f"  planted: patterns missed {len(planted.patterns - found.keys())} of "
        f"{len(planted.patterns):,}; tagged pairs missed "
        f"{len(planted.tagged_pairs - found.keys())} of {len(planted.tagged_pairs):,}; "
        f"tagged entries without suspect {lone:,} of {planted.lone_tagged:,}; decoys reported "
        f"{len(planted.decoys & found.keys())} of {len(planted.decoys):,}; serial suspects "
        f"marked {len(planted.serial_suspects & serial)} of {len(planted.serial_suspects)}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="how many (1,000,000)")
    parser.add_argument("--new", type=int, default=1_000, help="entries of the new import (1,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole sequence (3)")
    args = parser.parse_args(argv)

    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    _check_columns()
    now = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    data = Data(random.Random(SEED), now)
    data.generate(args.entries)
    ensure_data(data, args.entries)
    new_rows = data.new_rows(args.new)
    new_pairs = sorted({(r.suspect, r.victim) for r in new_rows}, key=str)

    print(
        f"\nStalking scan, database {settings.DATABASES['default']['NAME']}: {args.entries:,} "
        f"entries; window {settings.SCAN_PATTERN_WINDOW_DAYS} days, "
        f"{settings.SCAN_PATTERN_MIN_ENTRIES} entries."
    )
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start.")
    figures: dict[str, list[float]] = {"full": [], "again": [], "incremental": []}
    for run in range(1, args.repeat + 1):
        print(f"\n=== Run {run} of {args.repeat} ===")
        reset()
        full = timed_scan("Full scan, no findings yet", pairs=None)
        check(data.planted)
        again = timed_scan("Full scan again, nothing new")
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM referrals_logentry")
            first_number = cursor.fetchone()[0] + 1
        _copy_entries(
            new_rows, import_id=_import("bench-new.csv"), first_number=first_number, prefix="NEW"
        )
        incremental = timed_scan(
            f"Incremental scan of {len(new_pairs):,} pairs ({args.new:,} new entries)",
            pairs=new_pairs,
        )
        check(data.planted, after_new=True)
        if again.created or again.updated:
            print("  !! the second full scan changed findings")
        figures["full"].append(full.seconds)
        figures["again"].append(again.seconds)
        figures["incremental"].append(incremental.seconds)

    print(f"\nLoad average {os.getloadavg()[0]:.2f} at the end. Median of {args.repeat} runs:")
    for label, key, goal in (
        ("full scan, no findings yet", "full", 5.0),
        ("full scan again (no change)", "again", 5.0),
        ("incremental scan", "incremental", 1.0),
    ):
        median = statistics.median(figures[key])
        verdict = "met" if median < goal else "MISSED"
        print(f"  {label:<30} {median:6.2f} s   goal < {goal:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
