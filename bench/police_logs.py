"""How fast police log exports import, next to PostgreSQL's own COPY: prints figures only.

    .venv/bin/python -m bench.police_logs [--rows 1000000] [--short-summaries] [--regenerate]

Writes a synthetic export of ``--rows`` rows to var/bench/ (kept and reused), then, in its own
database (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/stalking_clinic_bench),
measures:

a. plain ``COPY`` of the file into an unindexed table of text columns: the baseline;
b. ``import_police_log`` of the file into empty log tables;
c. importing the same file again (every row unchanged);
d. importing a 1,000-row export that overlaps it (some entries changed, some new).

It empties the police log tables and deletes the people it created on an earlier run; the triage
queue bench's referrals and people in the same database are left alone.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import heapq
import os
import random
import resource
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/stalking_clinic_bench"
SEED = 20261125
OUT_DIR = Path(__file__).resolve().parents[1] / "var" / "bench"
# Bump when the generated data changes, so a file kept from an earlier run is written again.
DATA_VERSION = 2
LONDON = ZoneInfo("Europe/London")

# Exports grow columns the clinic does not use: the importer must ignore them.
EXTRA_COLUMNS = ["source_system", "division"]
# Person references of this bench: apart from the triage bench's (P100000 upwards).
PERSON_REF_BASE = 7_000_000


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Emily Poppy Ella Evie "
    "Charlotte Jessica Sarah Emma Laura Rachel Hannah Chloe Megan Lucy Zara Aisha Fatima Priya "
    "Anya Joanne Karen Claire Nicola Helen Michelle Oliver George Noah Arthur Harry Leo Jack "
    "Charlie Oscar Jacob Thomas James William Daniel Samuel Joseph David Michael Mark Paul "
    "Steven Andrew Craig Liam Connor Ryan Jamie Lewis Kieran Dean Wayne Mohammed Ali Tomasz Piotr "
    "Mary-Ann Siobhan Zoë Renée"
)
LAST_NAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson "
    "Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell "
    "O'Brien Fisher Stevens Jenkins Murray Dixon Harvey Nowak Kowalski Smith-Jones"
)
AREAS = ["Gloucester", "Cheltenham", "Stroud", "Forest of Dean", "Cotswold", "Tewkesbury"]
AREA_WEIGHTS = [30, 22, 14, 12, 10, 12]
RELATIONSHIPS = [
    "ex-partner",
    "partner",
    "family",
    "acquaintance",
    "colleague",
    "neighbour",
    "stranger",
    "unknown",
]
ROUTINE = [
    ("NC", "Concern for welfare"),
    ("ASB", "Anti-social behaviour"),
    ("RTC", "Road traffic collision"),
    ("46/0", "Shoplifting"),
    ("45/0", "Theft from a vehicle"),
    ("28/3", "Burglary - residential"),
    ("58A/0", "Criminal damage to a dwelling"),
    ("58C/0", "Criminal damage to a vehicle"),
    ("105A/0", "Common assault"),
    ("9/0", "Public order - s.5"),
]
ROUTINE_SUMMARIES = [
    "Neighbour dispute over parking; words of advice given.",
    "Window smashed at rear of property, no suspect seen.",
    "Elderly male found confused, returned home safe.",
    "Youths causing nuisance in the park, dispersed on arrival.",
    "Verbal altercation outside licensed premises, parties separated.",
    "Caller reports item taken from unlocked vehicle overnight.",
    'Caller said "they\'ve gone now", no further action.',
    "Officer attended.\nNo offences disclosed; caller given advice,\nincident closed.",
]
HARASSMENT = [
    ("8/1", "Harassment", "HARASSMENT"),
    ("8/2", "Malicious communications", ""),
    ("8/4", "Breach of non-molestation order", "DOMESTIC"),
    ("8/1", "Harassment", "HARASSMENT;DOMESTIC"),
]
TAGGED = [
    ("8/65", "Stalking - fear of violence", "STALKING"),
    ("8/66", "Stalking - serious alarm or distress", "STALKING;DOMESTIC"),
    ("195/12", "Course of conduct amounting to stalking", "STALKING"),
    ("8/1", "Harassment", "HARASSMENT;STALKING"),
]
# FOUR: fixated, obsessive, unwanted, repeated.
FOUR_SUMMARIES = [
    "Victim states suspect keeps following her from the bus stop; she is very frightened.",
    "Suspect turned up at victim's workplace again and waited by her car.",
    "Victim reports 40 unwanted messages overnight from suspect despite being asked to stop.",
    'Suspect left a note saying "I will never give up on us", second this week.',
    "Suspect seen loitering outside victim's home address for the third time this week.",
    "New social media accounts created by suspect to contact victim after being blocked,\n"
    "victim has now closed her accounts.",
]
HARASSMENT_SUMMARIES = [
    "Abusive voicemail left after an argument about money.",
    "Suspect shouted at victim in the street, one occasion.",
    "Messages received after a falling out between friends, victim wants advice only.",
]
# A summary is the call handler's account, then what officers found and did: two to five
# sentences. None of these use FOUR wording, so only planted entries look like stalking.
DETAILS = [
    "Caller was calm and gave a clear account of what happened.",
    "Officers checked the area and spoke to a neighbour, who saw nothing unusual.",
    "No injuries reported and no medical attention needed.",
    "CCTV enquiries are ongoing with the council's control room.",
    "The property was secured before officers left the scene.",
    "Caller is known to local officers and has reported similar matters before.",
    "Victim given a crime reference number and advice on home security.",
    "No witnesses have come forward so far.",
    "Two units attended; the scene was quiet on arrival.",
    "Caller's partner was present and gave the same account.",
]
OUTCOMES = [
    "No further police action at this time.",
    "Words of advice given and incident closed.",
    "Crime recorded and allocated to the local investigation team.",
    "Safeguarding referral made to the local authority.",
    "Suspect to be interviewed on a voluntary basis.",
    "Incident closed with the caller's agreement.",
]
START = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
SPAN_SECONDS = 3 * 365 * 86_400


def _person(i: int) -> tuple[str, str, str]:
    """(ref, name, dob) of bench person ``i``: derived, not stored, so memory stays flat."""
    first = FIRST_NAMES[(i * 7919) % len(FIRST_NAMES)]
    last = LAST_NAMES[(i * 104_729 // 7) % len(LAST_NAMES)]
    dob = datetime.date(1950, 1, 1) + datetime.timedelta(days=(i * 2_654_435_761) % (55 * 365))
    return f"P{PERSON_REF_BASE + i}", f"{first} {last}", dob.isoformat()


def _when(moment: datetime.datetime, rng: random.Random) -> str:
    """As exports write it: mostly with the UK offset, sometimes UK local time with none."""
    local = moment.astimezone(LONDON)
    if rng.random() < 0.2:
        return local.replace(tzinfo=None).isoformat(timespec="seconds")
    return local.isoformat(timespec="minutes")


class Generator:
    """Rows of a synthetic export, in file order, with planted patterns and decoys mixed in."""

    def __init__(self, rows: int, seed: int = SEED, *, short: bool = False):
        self.rows = rows
        self.short = short  # one-sentence summaries, like the sample export
        self.rng = random.Random(seed)
        self.people = max(1_000, rows // 5)
        self.pending: list[tuple[int, int, dict]] = []  # (due row, tie-break, entry): a heap
        self.counter = 0
        # Entries of one planted group are spread over this many rows of the file.
        self.spread = max(10, min(20_000, rows // 10))
        self.planted = {"patterns": 0, "two-entry decoys": 0, "spread-out decoys": 0}

    def _random_moment(self) -> datetime.datetime:
        return START + datetime.timedelta(seconds=self.rng.randrange(SPAN_SECONDS))

    def _schedule_group(self, row: int, entries: list[dict]) -> None:
        for entry in entries:
            self.counter += 1
            due = row + self.rng.randrange(1, self.spread)
            heapq.heappush(self.pending, (due, self.counter, entry))

    def _pair(self) -> tuple[int, int]:
        victim = self.rng.randrange(self.people)
        return victim, (victim + 1 + self.rng.randrange(self.people - 1)) % self.people

    def _group(self, kind: str) -> list[dict]:
        victim, suspect = self._pair()
        relationship = self.rng.choice(["ex-partner", "ex-partner", "acquaintance", "stranger"])
        base = self._random_moment()
        if kind == "pattern":
            offsets = sorted(self.rng.uniform(0, 85) for _ in range(self.rng.randint(3, 5)))
        elif kind == "pair":
            offsets = [0, self.rng.uniform(1, 60)]
        else:  # three entries over more than 90 days: no 90-day window holds all three
            gap = self.rng.uniform(40, 80)
            offsets = [0, gap, gap + self.rng.uniform(max(40, 91 - gap), 80)]
        entries = []
        for offset in offsets:
            code, offence, flags = self.rng.choice(HARASSMENT)
            entries.append(
                {
                    "moment": base + datetime.timedelta(days=offset),
                    "code": code,
                    "offence": offence,
                    "flags": flags,
                    "victim": victim,
                    "suspect": suspect,
                    "relationship": relationship,
                    "summary": self.rng.choice(FOUR_SUMMARIES),
                }
            )
        return entries

    def _ordinary(self) -> dict:
        rng = self.rng
        roll = rng.random()
        victim = rng.randrange(self.people)
        suspect = rng.randrange(self.people) if rng.random() < 0.55 else None
        if roll < 0.015:
            code, offence, flags = rng.choice(TAGGED)
            summary = rng.choice(FOUR_SUMMARIES)
        elif roll < 0.075:
            code, offence, flags = rng.choice(HARASSMENT)
            summary = rng.choice(HARASSMENT_SUMMARIES)
        else:
            code, offence = rng.choice(ROUTINE)
            flags = "DOMESTIC" if rng.random() < 0.05 else ""
            summary = rng.choice(ROUTINE_SUMMARIES)
        return {
            "moment": self._random_moment(),
            "code": code,
            "offence": offence,
            "flags": flags,
            "victim": victim,
            "suspect": suspect,
            "relationship": rng.choice(RELATIONSHIPS) if suspect is not None else "unknown",
            "summary": summary,
        }

    def _summary(self, opening: str) -> str:
        if self.short:
            return opening
        rng = self.rng
        parts = [opening, *rng.sample(DETAILS, rng.randint(0, 3)), rng.choice(OUTCOMES)]
        summary = " ".join(parts)
        if rng.random() < 0.1:
            summary += f"\nUpdate {rng.randint(1, 28)}/{rng.randint(1, 12)}: {rng.choice(DETAILS)}"
        return summary

    def _row(self, number: int, entry: dict) -> dict:
        rng = self.rng
        moment = entry["moment"]
        victim_ref, victim_name, victim_dob = _person(entry["victim"])
        row = {
            "log_ref": f"INC-{moment.year}-{number:08d}",
            "crime_ref": f"CR/{moment.year}/{number:07d}" if rng.random() < 0.7 else "",
            "recorded_at": _when(moment, rng),
            "offence_code": entry["code"],
            "offence": entry["offence"],
            "flags": entry["flags"],
            "victim_ref": victim_ref,
            "victim_name": victim_name,
            "victim_dob": victim_dob if rng.random() < 0.9 else "",
            "suspect_ref": "",
            "suspect_name": "",
            "suspect_dob": "",
            "relationship": entry["relationship"],
            "officer": f"PC {rng.randint(1000, 9999)}",
            "area": rng.choices(AREAS, AREA_WEIGHTS)[0],
            "summary": self._summary(entry["summary"]),
            "source_system": "NICHE",
            "division": "West",
        }
        if entry["suspect"] is not None:
            row["suspect_ref"], row["suspect_name"], suspect_dob = _person(entry["suspect"])
            row["suspect_dob"] = suspect_dob if rng.random() < 0.6 else ""
        return row

    def _malformed(self, row: dict, number: int) -> dict:
        kind = number % 4
        if kind == 0:
            row["log_ref"] = ""
        elif kind == 1:
            row["recorded_at"] = "31/02/2024 10:00"
        elif kind == 2:
            row["victim_dob"] = "1980-13-45"
        else:
            row["victim_ref"] = ""
        return row

    def __iter__(self):
        rng = self.rng
        emitted = 0
        while emitted < self.rows:
            if self.pending and self.pending[0][0] <= emitted:
                entry = heapq.heappop(self.pending)[2]
            else:
                # No group starts so late that some of its entries would fall off the end.
                roll = rng.random() if emitted < self.rows - self.spread else 1
                if roll < 0.0005:
                    self.planted["patterns"] += 1
                    self._schedule_group(emitted, self._group("pattern"))
                elif roll < 0.00075:
                    self.planted["two-entry decoys"] += 1
                    self._schedule_group(emitted, self._group("pair"))
                elif roll < 0.001:
                    self.planted["spread-out decoys"] += 1
                    self._schedule_group(emitted, self._group("spread"))
                entry = self._ordinary()
            emitted += 1
            row = self._row(emitted, entry)
            if rng.random() < 0.00002:
                row = self._malformed(row, emitted)
            yield row


def generate(path: Path, rows: int, *, short: bool = False) -> dict:
    """Write the export, columns in a shuffled order; returns what was planted."""
    from referrals.logs.importer import COLUMNS  # needs Django set up: main() does it first

    rng = random.Random(SEED + 1)
    columns = [*COLUMNS, *EXTRA_COLUMNS]
    rng.shuffle(columns)
    generator = Generator(rows, short=short)
    tmp = path.with_suffix(".partial")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes only where needed
        writer.writerow(columns)
        for row in generator:
            writer.writerow([row[c] for c in columns])
    tmp.replace(path)
    return generator.planted


def overlapping(big: Path, path: Path, rows: int = 1_000) -> None:
    """An export of ``rows`` rows sharing its first half with ``big``: a tenth of those changed."""
    rng = random.Random(SEED + 2)
    with big.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        old = [row for _, row in zip(range(rows // 2), reader, strict=False)]
    index = {name: i for i, name in enumerate(header)}
    for row in old:
        if rng.random() < 0.1:
            row[index["flags"]] = ";".join(filter(None, [row[index["flags"]], "REPEAT VICTIM"]))
    new = []
    generator = Generator(rows - len(old), seed=SEED + 3)
    for number, row in enumerate(generator, start=1):
        row["log_ref"] = f"INC-2099-{number:08d}"
        new.append([row[name] for name in header])
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(old + new)


# --- Measuring -----------------------------------------------------------------------------------


def _setup_django() -> None:
    # Set before settings are read: the bench must never see the developer's DATABASE_URL.
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    # One role for the bench database (it makes and drops it): never the developer's owner URL.
    os.environ["DATABASE_OWNER_URL"] = os.environ["DATABASE_URL"]
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "stalking_clinic.settings"
    import django

    django.setup()

    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    # The bench empties the police log tables: refuse anything that is not a bench database.
    if "bench" not in name:
        sys.exit(f"Refusing to run against database {name!r}: its name must contain 'bench'.")


_RUN_PEAK = 0.0  # the peak of the whole run: each phase resets the kernel's count


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Restart the peak-memory count (Linux: VmHWM), so each phase shows its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _phase_peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_rss_mb()


def copy_baseline(path: Path, repeat: int = 3) -> float:
    """Seconds for PostgreSQL's own COPY of ``path`` into an unindexed table of text columns:
    the best of ``repeat`` runs, so that the ratio errs against the importer."""
    from django.db import connection

    with path.open(encoding="utf-8", newline="") as source:
        width = len(next(csv.reader(source)))
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(repeat):
            cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
            columns = ", ".join(f"c{i} text" for i in range(width))
            cursor.execute(f"CREATE TABLE bench_copy_baseline ({columns})")
            cursor.execute("CHECKPOINT")
            started = time.perf_counter()
            with path.open("rb") as source:
                cursor.copy_expert(
                    "COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)",
                    source,
                    size=1 << 20,
                )
            best = min(best, time.perf_counter() - started)
        cursor.execute("DROP TABLE bench_copy_baseline")
    return best


def empty_log_tables() -> None:
    """Empty the police log tables and remove the people an earlier run of this bench made."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE referrals_logentry, referrals_rejectedrow, referrals_logimport CASCADE"
        )
        cursor.execute(
            "DELETE FROM referrals_person WHERE person_ref >= %s AND person_ref < %s",
            [f"P{PERSON_REF_BASE}", f"P{PERSON_REF_BASE + 999_999}~"],
        )
        # As if this bench had never run: a plain VACUUM would leave the people's indexes
        # bloated by every earlier run's 200,000 inserts and deletes, slowing the next.
        cursor.execute("VACUUM FULL ANALYZE referrals_person")
        cursor.execute("VACUUM ANALYZE referrals_logentry")
        cursor.execute("CHECKPOINT")


def run_import(path: Path, label: str):
    from referrals.logs.importer import import_police_log
    from referrals.models import LogImport

    log_import = LogImport.objects.create(
        file_name=path.name,
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        source=LogImport.Source.COMMAND,
    )
    tty = sys.stderr.isatty()

    def progress(current: LogImport) -> None:
        if tty:
            print(
                f"\r  {label}: {current.percent:3d}%  {current.rows_read:,} rows",
                end="",
                file=sys.stderr,
            )

    global _RUN_PEAK
    _RUN_PEAK = max(_RUN_PEAK, _phase_peak_mb())
    _reset_peak()
    started = time.perf_counter()
    result = import_police_log(log_import=log_import, path=path, progress=progress)
    seconds = time.perf_counter() - started
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    peak = _phase_peak_mb()
    _RUN_PEAK = max(_RUN_PEAK, peak)
    return result, seconds, peak


def _report(label: str, result, seconds: float, peak: float, copy_rate: float | None) -> None:
    done = result.log_import
    rate = done.rows_read / seconds
    ratio = f"  ratio to COPY {rate / copy_rate:.2f}" if copy_rate else ""
    print(f"{label:<40} {seconds:6.2f} s {rate:11,.0f} rows/s{ratio}  peak RSS {peak:.0f} MB")
    pairs = "too many to list: full scan" if result.pairs is None else f"{len(result.pairs):,}"
    print(
        f"    {done.rows_read:,} read: {done.rows_added:,} added, {done.rows_updated:,} updated,"
        f" {done.rows_unchanged:,} unchanged, {done.rows_rejected:,} rejected; pairs to scan:"
        f" {pairs}"
    )
    if result.timings:
        parts = ", ".join(f"{kind} {secs:.1f}" for kind, secs in result.timings.items())
        print(f"    database work (s): {parts}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the export (1M)")
    parser.add_argument(
        "--short-summaries",
        action="store_true",
        help="one-sentence summaries, like the sample export (narrower rows)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="write the exports again even if they exist"
    )
    args = parser.parse_args(argv)

    _setup_django()  # first: the export is written with the importer's column names
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    shape = "short" if args.short_summaries else "long"
    big = OUT_DIR / f"police-log-{args.rows}-{shape}-v{DATA_VERSION}.csv"
    small = OUT_DIR / f"police-log-overlap-1000-of-{big.stem}.csv"
    if args.regenerate or not big.exists():
        print(f"Writing {big} …", flush=True)
        started = time.perf_counter()
        planted = generate(big, args.rows, short=args.short_summaries)
        print(
            f"  {time.perf_counter() - started:.0f} s; planted: "
            + ", ".join(f"{n:,} {kind}" for kind, n in planted.items())
        )
    if args.regenerate or not small.exists():
        overlapping(big, small)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from referrals.models import Person

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    size = big.stat().st_size
    print(
        f"\nPolice log import, database {settings.DATABASES['default']['NAME']} "
        f"(PostgreSQL {version}): {args.rows:,} rows, {size / 1e6:.0f} MB "
        f"({size / args.rows:.0f} bytes a row, {shape} summaries)."
    )
    # Other work on the machine skews every figure: say how busy it was.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start.\n")

    empty_log_tables()
    people_before = Person.objects.count()
    copy_seconds = copy_baseline(big)
    copy_rate = args.rows / copy_seconds
    print(
        f"{'a. COPY into an unindexed text table':<40} {copy_seconds:6.2f} s "
        f"{copy_rate:11,.0f} rows/s  (best of 3)"
    )
    result, seconds, peak = run_import(big, "b")
    _report("b. import into empty tables", result, seconds, peak, copy_rate)
    print(f"    {Person.objects.count() - people_before:,} people created")
    result, seconds, peak = run_import(big, "c")
    _report("c. the same file again", result, seconds, peak, copy_rate)
    result, seconds, peak = run_import(small, "d")
    _report("d. a 1,000-row overlapping export", result, seconds, peak, None)
    print(
        f"\nPeak RSS of the whole run {max(_RUN_PEAK, _phase_peak_mb()):.0f} MB. "
        f"Load average {os.getloadavg()[0]:.2f} at the end."
    )


if __name__ == "__main__":
    main()
