"""The stalking scan: findings made of the police log entries, in a few set-based SQL statements.

One code path serves the scan after each import (``pairs``: only the suspect-victim pairs the
import added or changed), the beat schedule and ``manage.py scan_police_logs`` (full scan). Running
it again without new log entries changes nothing.

Rules (DOMAIN.md, "Recognising stalking"; one finding per suspect-victim pair, key ``S|V``):

- **tagged**: the pair has an entry flagged ``STALKING`` (the importer upper-cases flags) or
  coded 8/65, 8/66 or 195/12. A tagged entry with no suspect is a finding of its own, key
  ``E|<log_ref>``.
- **pattern**: no tagged entry, but at least ``SCAN_PATTERN_MIN_ENTRIES`` (3) entries for the same
  suspect against the same victim within ``SCAN_PATTERN_WINDOW_DAYS`` (90) days, both ends
  included. Since June 2023 stalking may be recorded under another principal offence, so any
  offence counts towards the pattern; what kind of offences they are only raises the score.

A pair that becomes tagged later keeps its finding (same key): the kind changes to ``tagged``. The
kind and figures always follow the pair's entries as they are now, so an entry re-coded away from
stalking turns a tagged finding back into a pattern if the pair still has one.

Evidence is all of the pair's entries, not only those in the window; ``first_seen``,
``last_seen`` and ``entry_count`` are over all of them.

Score (an integer; the review queue sorts on it)::

    score = 100 if tagged
          +  4 x min(W, 10)   W: most entries within any window of SCAN_PATTERN_WINDOW_DAYS days
          +  5 x min(F, 4)    F: entries whose summary uses FOUR wording (FOUR_WORDING below)
          +  4 x min(H, 4)    H: harassment-type entries
          +  2 x min(D, 4)    D: criminal damage entries
          + 10 if any entry gives the relationship as ex-partner

The parts after the first add up to at most 94, so every tagged finding scores at least 100 and
above every pattern. Decisions behind the parts:

- *Harassment-type*: "harassment is class 8L", and stalking "hides in logs as repeated
  harassment, malicious communications, criminal damage or breach of an order". So: any Home
  Office code ``8/…`` other than the stalking codes (8/1 harassment, 8/2 malicious
  communications, 8/4 breach of a non-molestation order …), the ``HARASSMENT`` flag, or an offence
  description naming harassment, malicious communications or a breach of an order.
- *Criminal damage* (class 58, or the description says so) counts half as much: most criminal
  damage is not stalking, but damage to the same victim's home or car again and again often is.
- *ex-partner*: most stalkers are ex-partners, and those cases carry the highest risk.

What the scan leaves alone:

- It never deletes a finding or its evidence. A pair that no longer qualifies (an entry re-coded
  or moved to another person) keeps its finding as it was: it may have been reviewed, and the
  review screens own it. An entry that moved to another pair stays linked to the old finding.
- It never changes ``status``. It returns the ids of findings with new evidence
  (``grown_ids``), and separately those of them already reviewed (``reviewed_grown_ids``), so that
  case owners and the coordinator can be told.
- ``updated_at`` and ``version`` change only when a finding's figures or evidence changed; the
  review screens claim a finding on its ``version``, so a reviewer looking at old evidence is
  stopped. ``possible_serial`` is set and cleared where its value changes, without a new version.

Possible serial stalker: a suspect with findings (any status) against two or more victims. An
incremental scan recomputes it for the suspects of the pairs it scanned: findings are never
deleted and keep their pair, so no other suspect's count can have changed.

Concurrency: the whole scan is one transaction holding a transaction-level advisory lock, so two
scans (an import's and the beat's) never run at once; the second waits for the first. The pairs'
entries are read once into a temporary table, so the figures and the evidence come from the same
snapshot even while an import commits new entries.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from stalking_clinic.locks import Lock, hold_for_transaction

TAGGED_FLAG = "STALKING"
# Home Office codes of the stalking offences: s.4A fear of violence, s.4A serious alarm or
# distress, s.2A course of conduct amounting to stalking.
TAGGED_CODES = ("8/65", "8/66", "195/12")

# FOUR: Fixated, Obsessive, Unwanted, Repeated. Matched case-insensitively against summaries,
# on word starts (PostgreSQL \m), so "unfollowed" is not "followed".
FOUR_WORDING = (
    r"stalk",
    r"follow(s|ed|ing)?\M",
    r"loiter",
    r"turn(s|ed|ing)? up",
    r"wait(s|ed|ing)? (outside|by|for (her|him|them|the victim))",
    r"(sat|sits|sitting|parked|parks) outside",
    r"(drove|drives|driving|drive|walks|walked|walking) past",
    r"watch(es|ed|ing)? (the|her|his|their) (house|home|address|flat)",
    r"unwanted",
    r"fixat",
    r"obsess",
    r"(keeps?|kept|continues to|continued to|repeatedly) "
    r"(call|messag|text|contact|ring|email|turn)",
    r"(messages|calls|texts|emails) (overnight|a day|an hour|every)",
    r"despite (being|having been) (asked|told|warned|blocked)",
    r"block(ed|ing)\M",
    r"new (social media )?(accounts?|numbers?|profiles?|phones?)",
    r"(ask(s|ed|ing)?|enquir(es|ed|ing)) (about|where)",
    r"(flowers|gifts?|letters?|notes?|cards?) (left|sent|delivered)",
    r"(not|won't|will not) (leave (her|him|them) alone|give up|take no)",
    r"track(er|ing|ed)",
)
FOUR_REGEX = r"\m(" + "|".join(FOUR_WORDING) + ")"
HARASSMENT_FLAG = "HARASSMENT"
HARASSMENT_OFFENCE_REGEX = r"harass|malicious comm|breach"
DAMAGE_OFFENCE_REGEX = r"criminal damage"


@dataclass
class ScanResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Pairs (and tagged entries with no suspect) whose entries were read: in a full scan those
    # that qualify, in an incremental scan those asked for.
    pairs_examined: int = 0
    seconds: float = 0.0
    # Findings that existed before and gained log entries: their case owners want to know.
    grown_ids: list[int] = field(default_factory=list)
    # Of those, the ones already reviewed (status not open): they may need a second look.
    reviewed_grown_ids: list[int] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    # Findings newly marked as a possible serial stalker's.
    serial_marked_ids: list[int] = field(default_factory=list)
    serial_unmarked: int = 0

    def __str__(self) -> str:
        return (
            f"{self.pairs_examined} pairs examined in {self.seconds:.2f} s: "
            f"{self.created} findings created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {len(self.grown_ids)} with new entries "
            f"({len(self.reviewed_grown_ids)} already reviewed); "
            f"{len(self.serial_marked_ids)} newly marked possible serial, "
            f"{self.serial_unmarked} unmarked."
        )


# An entry's tests, on the columns of referrals_logentry as "e".
_TAGGED = f"('{TAGGED_FLAG}' = ANY(e.flags) OR e.offence_code IN {TAGGED_CODES!r})"
_HARASSMENT = (
    f"((e.offence_code LIKE '8/%%' AND e.offence_code NOT IN {TAGGED_CODES!r})"
    f" OR '{HARASSMENT_FLAG}' = ANY(e.flags) OR e.offence ~* %(harassment_regex)s)"
)
_DAMAGE = "(e.offence_code LIKE '58%%' OR e.offence ~* %(damage_regex)s)"

# Temporary tables of one scan. Dropped at commit; dropped first as well, because a caller may
# run two scans in one outer transaction (tests do).
_TEMP_TABLES = "pg_temp.scan_unit, pg_temp.scan_entry, pg_temp.scan_found"

# The statements below format in only the constants above; every value goes as a parameter, hence
# the noqa: S608.

# Full scan: the pairs that qualify, and the tagged entries with no suspect. The pattern rule in
# one pass in logentry_pair_idx order (an index-only scan, no sort): MIN entries lie within W days
# where an entry is at most W days after the entry MIN-1 before it.
_UNITS_ALL = f"""
INSERT INTO scan_unit (key, suspect_ref, victim_ref, entry_id)
SELECT w.suspect_ref || '|' || w.victim_ref, w.suspect_ref, w.victim_ref, NULL::bigint
FROM (
    SELECT suspect_ref, victim_ref, recorded_at,
           lag(recorded_at, %(min_entries)s - 1)
               OVER (PARTITION BY suspect_ref, victim_ref ORDER BY recorded_at) AS earlier
    FROM referrals_logentry
    WHERE suspect_ref IS NOT NULL
) w
WHERE w.recorded_at - w.earlier <= %(window)s::interval
GROUP BY w.suspect_ref, w.victim_ref
UNION
SELECT CASE WHEN e.suspect_ref IS NULL THEN 'E|' || e.log_ref
            ELSE e.suspect_ref || '|' || e.victim_ref END,
       e.suspect_ref, e.victim_ref, CASE WHEN e.suspect_ref IS NULL THEN e.id END
FROM referrals_logentry e
WHERE {_TAGGED}
"""  # noqa: S608

# Incremental scan: the pairs asked for; for (None, victim), that victim's tagged entries with no
# suspect.
_UNITS_PAIRS = f"""
INSERT INTO scan_unit (key, suspect_ref, victim_ref, entry_id)
SELECT DISTINCT p.s || '|' || p.v, p.s, p.v, NULL::bigint
FROM unnest(%(suspects)s::text[], %(victims)s::text[]) AS p(s, v)
UNION ALL
SELECT 'E|' || e.log_ref, NULL, e.victim_ref, e.id
FROM referrals_logentry e
WHERE e.suspect_ref IS NULL AND e.victim_ref = ANY(%(lone_victims)s::text[]) AND {_TAGGED}
"""  # noqa: S608

# Each unit's entries, read once: the figures and the evidence both come from here. W for the
# score: the pair's entries in the W days up to and including each entry (RANGE: entries at the
# same time all count). The LATERAL ... OFFSET 0 keeps one index lookup per pair: a hash join
# would read the whole table for a few pairs.
_ENTRIES = f"""
INSERT INTO scan_entry
SELECT u.key, e.id, e.recorded_at, {_TAGGED}, e.summary ~* %(four_regex)s,
       {_HARASSMENT}, {_DAMAGE}, lower(e.relationship) = 'ex-partner',
       count(*) OVER (PARTITION BY u.key ORDER BY e.recorded_at
                      RANGE BETWEEN %(window)s::interval PRECEDING AND CURRENT ROW)
FROM scan_unit u
CROSS JOIN LATERAL (
    SELECT * FROM referrals_logentry e
    WHERE e.suspect_ref = u.suspect_ref AND e.victim_ref = u.victim_ref
    OFFSET 0
) e
WHERE u.entry_id IS NULL
UNION ALL
SELECT u.key, e.id, e.recorded_at, {_TAGGED}, e.summary ~* %(four_regex)s,
       {_HARASSMENT}, {_DAMAGE}, lower(e.relationship) = 'ex-partner', 1
FROM scan_unit u
JOIN referrals_logentry e ON e.id = u.entry_id
"""  # noqa: S608

_FOUND = """
INSERT INTO scan_found
SELECT u.key, u.suspect_ref, u.victim_ref,
       CASE WHEN a.tagged THEN 'tagged' ELSE 'pattern' END,
       a.first_seen, a.last_seen, a.entry_count,
       CASE WHEN a.tagged THEN 100 ELSE 0 END
       + 4 * least(a.in_window, 10)
       + 5 * least(a.four, 4)
       + 4 * least(a.harassment, 4)
       + 2 * least(a.damage, 4)
       + CASE WHEN a.ex_partner THEN 10 ELSE 0 END
FROM scan_unit u
JOIN (
    SELECT key, bool_or(tagged) AS tagged, min(recorded_at) AS first_seen,
           max(recorded_at) AS last_seen, count(*) AS entry_count, max(in_window) AS in_window,
           count(*) FILTER (WHERE four) AS four, count(*) FILTER (WHERE harassment) AS harassment,
           count(*) FILTER (WHERE damage) AS damage, bool_or(ex_partner) AS ex_partner
    FROM scan_entry
    GROUP BY key
) a ON a.key = u.key
WHERE a.tagged OR (u.suspect_ref IS NOT NULL AND a.in_window >= %(min_entries)s)
"""

# Only a finding whose figures differ is written (and gets a new version): an unchanged one is
# not touched at all, not even its row. Keys in order, so two writers would lock rows alike.
_UPSERT = """
INSERT INTO referrals_finding AS f (
    key, kind, suspect_ref, victim_ref, first_seen, last_seen, entry_count, score,
    possible_serial, status, dismissed_reason, created_at, updated_at, version
)
SELECT key, kind, suspect_ref, victim_ref, first_seen, last_seen, entry_count, score,
       false, 'open', '', %(now)s, %(now)s, 1
FROM scan_found
ORDER BY key
ON CONFLICT (key) DO UPDATE SET
    kind = EXCLUDED.kind, first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,
    entry_count = EXCLUDED.entry_count, score = EXCLUDED.score,
    updated_at = EXCLUDED.updated_at, version = f.version + 1
WHERE (f.kind, f.first_seen, f.last_seen, f.entry_count, f.score)
      IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.first_seen, EXCLUDED.last_seen, EXCLUDED.entry_count,
       EXCLUDED.score)
RETURNING f.id, f.xmax = 0
"""

_EVIDENCE = """
WITH added AS (
    INSERT INTO referrals_finding_entries (finding_id, logentry_id)
    SELECT f.id, se.entry_id
    FROM scan_found p
    JOIN referrals_finding f ON f.key = p.key
    JOIN scan_entry se ON se.key = p.key
    ON CONFLICT (finding_id, logentry_id) DO NOTHING
    RETURNING finding_id
)
SELECT DISTINCT finding_id FROM added
"""

# New evidence with unchanged figures (an entry moved in as another moved out): still a change.
_BUMP = """
UPDATE referrals_finding SET version = version + 1, updated_at = %(now)s
WHERE id = ANY(%(ids)s::bigint[])
"""

_REVIEWED = """
SELECT id FROM referrals_finding WHERE id = ANY(%(ids)s::bigint[]) AND status <> 'open'
"""

_SERIAL = """
UPDATE referrals_finding f SET possible_serial = s.serial
FROM (
    SELECT suspect_ref, count(DISTINCT victim_ref) >= 2 AS serial
    FROM referrals_finding
    WHERE suspect_ref IS NOT NULL {only_scanned}
    GROUP BY suspect_ref
) s
WHERE f.suspect_ref = s.suspect_ref AND f.possible_serial IS DISTINCT FROM s.serial
RETURNING f.id, f.possible_serial
"""
_SERIAL_ONLY_SCANNED = (
    "AND suspect_ref IN (SELECT suspect_ref FROM scan_unit WHERE suspect_ref IS NOT NULL)"
)


def _pair_lists(pairs: Iterable[tuple[str | None, str]]):
    wanted = {(suspect or None, victim) for suspect, victim in pairs if victim}
    with_suspect = sorted((s, v) for s, v in wanted if s is not None)
    return (
        [s for s, _ in with_suspect],
        [v for _, v in with_suspect],
        sorted({v for s, v in wanted if s is None}),
    )


def scan_police_logs(*, pairs: Iterable[tuple[str | None, str]] | None = None) -> ScanResult:
    """Make or update the findings of all log entries (``pairs=None``) or only of ``pairs``.

    ``pairs`` holds (suspect_ref, victim_ref); a suspect_ref of None means that victim's tagged
    entries with no suspect. Returns what changed; see the module docstring for the rules.
    """
    started = time.perf_counter()
    min_entries, window_days = settings.SCAN_PATTERN_MIN_ENTRIES, settings.SCAN_PATTERN_WINDOW_DAYS
    if min_entries < 2 or window_days < 1:
        raise ImproperlyConfigured(
            "SCAN_PATTERN_MIN_ENTRIES must be at least 2 and SCAN_PATTERN_WINDOW_DAYS at least 1."
        )
    params = {
        "min_entries": min_entries,
        "window": f"{window_days} days",
        "four_regex": FOUR_REGEX,
        "harassment_regex": HARASSMENT_OFFENCE_REGEX,
        "damage_regex": DAMAGE_OFFENCE_REGEX,
        "now": timezone.now(),
    }
    if pairs is not None:
        params["suspects"], params["victims"], params["lone_victims"] = _pair_lists(pairs)
        if not params["victims"] and not params["lone_victims"]:
            return ScanResult(seconds=time.perf_counter() - started)
    result = ScanResult()
    with transaction.atomic(), connection.cursor() as cursor:
        hold_for_transaction(Lock.POLICE_LOG_SCAN, cursor=cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {_TEMP_TABLES}")
        cursor.execute(
            "CREATE TEMP TABLE scan_unit (key varchar(100) PRIMARY KEY, suspect_ref varchar(20),"
            " victim_ref varchar(20) NOT NULL, entry_id bigint) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_entry (key varchar(100) NOT NULL, entry_id bigint NOT NULL,"
            " recorded_at timestamptz NOT NULL, tagged boolean, four boolean, harassment boolean,"
            " damage boolean, ex_partner boolean, in_window bigint) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE scan_found (key varchar(100) PRIMARY KEY, suspect_ref varchar(20),"
            " victim_ref varchar(20) NOT NULL, kind varchar(10) NOT NULL,"
            " first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL,"
            " entry_count integer NOT NULL, score integer NOT NULL) ON COMMIT DROP"
        )
        cursor.execute(_UNITS_ALL if pairs is None else _UNITS_PAIRS, params)
        result.pairs_examined = cursor.rowcount
        # Temporary tables get no statistics unless asked: the joins below need them.
        cursor.execute("ANALYZE scan_unit")
        cursor.execute(_ENTRIES, params)
        cursor.execute(_FOUND, params)
        found = cursor.rowcount
        cursor.execute("ANALYZE scan_found")

        cursor.execute(_UPSERT, params)
        written = cursor.fetchall()
        created = {finding_id for finding_id, inserted in written if inserted}
        updated = {finding_id for finding_id, inserted in written if not inserted}
        cursor.execute(_EVIDENCE)
        grown = {row[0] for row in cursor.fetchall()} - created
        if grown - updated:
            cursor.execute(_BUMP, {"ids": sorted(grown - updated), "now": params["now"]})
            updated |= grown
        if grown:
            cursor.execute(_REVIEWED, {"ids": sorted(grown)})
            result.reviewed_grown_ids = sorted(row[0] for row in cursor.fetchall())

        cursor.execute(_SERIAL.format(only_scanned="" if pairs is None else _SERIAL_ONLY_SCANNED))
        serial = cursor.fetchall()
        result.serial_marked_ids = sorted(i for i, marked in serial if marked)
        result.serial_unmarked = sum(1 for _, marked in serial if not marked)
        cursor.execute(f"DROP TABLE {_TEMP_TABLES}")

    result.created, result.updated = len(created), len(updated)
    result.unchanged = found - len(created) - len(updated)
    result.created_ids = sorted(created)
    result.grown_ids = sorted(grown)
    result.seconds = time.perf_counter() - started
    return result
