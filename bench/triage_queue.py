"""How fast the triage queue is with 100,000 referrals: prints figures, asserts nothing.

    .venv/bin/python -m bench.triage_queue [--referrals 100000] [--repeat 20] [--plans]

Runs against its own database (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/stalking_clinic_bench), never the development one: it creates
and migrates it, loads the referrals with PostgreSQL COPY unless it already holds what this run
asks for, then requests queue pages through Django's test client as a coordinator.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import re
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/stalking_clinic_bench"
SEED = 20260501


def _setup_django() -> None:
    # Set before settings are read: the bench must never see the developer's DATABASE_URL.
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    # One role for the bench database (it makes and drops it): never the developer's owner URL.
    os.environ["DATABASE_OWNER_URL"] = os.environ["DATABASE_URL"]
    os.environ["DJANGO_ENV"] = "development"
    # Production renders with DEBUG off; DEBUG's template and query bookkeeping would skew figures.
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stalking_clinic.settings"
    import django

    django.setup()

    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    # Loading may TRUNCATE the referral tables: refuse anything that is not a bench database.
    if "bench" not in name:
        sys.exit(f"Refusing to run against database {name!r}: its name must contain 'bench'.")


# --- Data ----------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Emily Poppy Ella Evie "
    "Charlotte Jessica Sarah Emma Laura Rachel Hannah Chloe Megan Lucy Zara Aisha Fatima Priya "
    "Anya Joanne Karen Claire Nicola Helen Michelle Oliver George Noah Arthur Harry Leo Jack "
    "Charlie Oscar Jacob Thomas James William Daniel Samuel Joseph David Michael Mark Paul "
    "Steven Andrew Craig Liam Connor Ryan Jamie Lewis Kieran Dean Wayne Mohammed Ali Tomasz Piotr"
)
LAST_NAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson "
    "Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell "
    "Barker Fisher Stevens Jenkins Murray Dixon Harvey Nowak Kowalski"
)
AREAS = ["Gloucester", "Cheltenham", "Stroud", "Forest of Dean", "Cotswold", "Tewkesbury"]
AREA_WEIGHTS = [30, 22, 14, 12, 10, 12]
SOURCES = ["officer", "champion", "isac", "partner", "log_scan"]
SOURCE_WEIGHTS = [55, 10, 5, 10, 20]
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
RELATIONSHIP_WEIGHTS = [45, 5, 8, 15, 6, 8, 8, 5]
RISK_RANK = {"high": 3, "medium": 2, "standard": 1, "": 0}
SENTENCES = [
    "Turns up outside the victim's workplace most mornings and waits by the car park.",
    "Sends dozens of messages a day from new numbers after each one is blocked.",
    "Has contacted the victim's family and new partner asking where she lives now.",
    "Left flowers and a handwritten note on the doorstep after the relationship ended.",
    "Created several social media accounts to follow the victim and comment on posts.",
    "Was seen driving past the house late at night on at least four occasions.",
    "Continues to contact the victim despite a warning given by officers last month.",
    "Believes the relationship can be rescued and says he will not give up.",
    "The victim has changed her route to work and no longer goes out alone.",
    "Threatened to share private photographs if the victim did not reply.",
    "Ordered goods online in the victim's name and had them delivered to her address.",
    "Has asked mutual friends about the victim's movements and the children's school.",
]
PEOPLE = 40_000
YEARS = 3  # of history: triaged referrals were submitted over this long
WAITING_DAYS = 90  # the backlog: waiting referrals arrived within this many days
# Bump when the generated data changes, so an existing bench database is reloaded.
DATA_VERSION = 1


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        items = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
        value = "{" + ",".join(items) + "}"
    elif isinstance(value, dict):
        value = json.dumps(value)
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(raw, escaped)
    return text


def _copy(model, rows: list[dict]) -> None:
    """COPY ``rows`` (attname -> value) into ``model``'s table; unset fields take their default.

    Going by the model's fields means a column added later either gets its default or stops the
    bench with its name, rather than silently failing the COPY.
    """
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        if field.attname in rows[0]:
            continue
        default = field.get_default()
        if default is None and not field.null:
            sys.exit(f"bench: no value for {model.__name__}.{field.attname}; add one to the bench.")
        defaults[field.attname] = default
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            buffer = io.StringIO()
            for row in rows[start : start + 20_000]:
                values = (row.get(f.attname, defaults.get(f.attname)) for f in fields)
                buffer.write("\t".join(_copy_value(v) for v in values) + "\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)


def _people(rng: random.Random, now: datetime.datetime) -> list[dict]:
    people = []
    for i in range(PEOPLE):
        created = now - datetime.timedelta(days=rng.uniform(0, YEARS * 365))
        people.append(
            {
                "person_ref": f"P{100_000 + i}" if rng.random() < 0.7 else None,
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "date_of_birth": datetime.date(1950, 1, 1)
                + datetime.timedelta(days=rng.randrange(58 * 365)),
                "address": f"{rng.randint(1, 200)} {rng.choice(LAST_NAMES)} Road",
                "interpreter_language": "Polish" if rng.random() < 0.03 else "",
                "created_at": created,
                "updated_at": created,
            }
        )
    return people


def _referrals(
    rng: random.Random,
    now: datetime.datetime,
    *,
    count: int,
    waiting: int,
    person_ids: list[int],
    officer_id: int,
    coordinator_id: int,
) -> list[dict]:
    # Separate pools of victims and suspects, each recurring: repeat victims, serial suspects.
    victims, suspects = person_ids[: PEOPLE * 3 // 5], person_ids[PEOPLE * 3 // 5 :]
    statuses = ["waiting"] * waiting + ["triaged"] * (count - waiting)
    rng.shuffle(statuses)
    sdash_keys = [f"q{n:02d}" for n in range(1, 28)]
    rows = []
    for status in statuses:
        source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
        if status == "triaged":
            risk = rng.choices(["high", "medium", "standard"], [20, 45, 35])[0]
            assigned = coordinator_id if rng.random() < 0.5 else None
            max_age = YEARS * 365
        else:
            # Waiting: the officer's S-DASH suggestion if there was one, else not yet assessed.
            risk = rng.choices(["high", "medium", "standard", ""], [12, 24, 24, 40])[0]
            assigned = coordinator_id if rng.random() < 0.15 else None
            max_age = WAITING_DAYS
        rows.append(
            {
                "source": source,
                "status": status,
                "referred_by_id": None if source == "log_scan" else officer_id,
                "submitted_at": now - datetime.timedelta(days=rng.uniform(0, max_age)),
                "crime_refs": [f"{rng.randint(10_000_000, 99_999_999)}/{rng.randint(23, 26)}"]
                if rng.random() < 0.7
                else [],
                "log_refs": [f"L{rng.randint(100_000, 999_999)}"] if source == "log_scan" else [],
                "victim_id": rng.choice(victims),
                "suspect_id": rng.choice(suspects) if rng.random() < 0.9 else None,
                "relationship": rng.choices(RELATIONSHIPS, RELATIONSHIP_WEIGHTS)[0],
                "area": rng.choices(AREAS, AREA_WEIGHTS)[0],
                "officer_in_case": f"PC {rng.choice(LAST_NAMES)}",
                "fixated": _text(rng, 0, 2),
                "obsessive": _text(rng, 0, 2),
                "unwanted": _text(rng, 1, 3),
                "repeated": _text(rng, 0, 2),
                "sdash_answers": {k: rng.choice(["yes", "no", "not_known"]) for k in sdash_keys}
                if rng.random() < 0.6
                else {},
                "requests": rng.sample(["advice", "clinic_review", "spo"], rng.randint(1, 2)),
                "risk_level": risk,
                "risk_rank": RISK_RANK[risk],
                "assigned_to_id": assigned,
                "version": 1 if status == "waiting" else 2,
            }
        )
    return rows


def ensure_data(*, count: int, waiting: int, officer_id: int, coordinator_id: int) -> None:
    from django.db import connection, transaction

    from referrals.models import Person, Referral

    # The table's comment says what was loaded; a count alone would miss a changed generator.
    signature = f"bench data v{DATA_VERSION}: {count} referrals, {waiting} waiting"
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('referrals_referral'::regclass, 'pg_class')")
        loaded = cursor.fetchone()[0]
    if loaded == signature and Referral.objects.count() == count:
        print(f"Database already holds {count:,} referrals ({waiting:,} waiting): not reloading.")
        return
    print(f"Loading {count:,} referrals ({waiting:,} waiting) and {PEOPLE:,} people …", flush=True)
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = datetime.datetime.now(tz=datetime.UTC)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # CASCADE empties what refers to referrals and people (cases, decisions): bench data.
            cursor.execute("TRUNCATE referrals_referral, referrals_person RESTART IDENTITY CASCADE")
        _copy(Person, _people(rng, now))
        person_ids = list(Person.objects.order_by("id").values_list("id", flat=True))
        _copy(
            Referral,
            _referrals(
                rng,
                now,
                count=count,
                waiting=waiting,
                person_ids=person_ids,
                officer_id=officer_id,
                coordinator_id=coordinator_id,
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute("COMMENT ON TABLE referrals_referral IS %s", [signature])
    with connection.cursor() as cursor:
        # As autovacuum would have long since done on a live database: statistics for the
        # planner, and the visibility map that lets count(*) use an index-only scan.
        cursor.execute("VACUUM ANALYZE referrals_person")
        cursor.execute("VACUUM ANALYZE referrals_referral")
    print(f"Loaded in {time.perf_counter() - started:.1f} s.")


def bench_users():
    from stalking_clinic.accounts.models import Role, User

    officer, _ = User.objects.get_or_create(
        username="bench_officer",
        defaults={"first_name": "Bench", "last_name": "Officer", "roles": [Role.OFFICER]},
    )
    coordinator, _ = User.objects.get_or_create(
        username="bench_coordinator",
        defaults={"first_name": "Bench", "last_name": "Coordinator", "roles": [Role.COORDINATOR]},
    )
    return officer, coordinator


# --- Measuring -----------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    url: str
    search: str = ""  # posted first, as a user's search is, then the redirect is followed


@dataclass
class Figures:
    label: str
    median: float
    p95: float
    sql: float
    count_sql: float
    queries: str  # per request; "7/8" if it varied
    rows: int
    total: int


@contextmanager
def instrumented_templates():
    """Makes ``response.context`` available. Only for finding links: it copies every template's
    context, so timed requests run without it, as a real server would."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        yield
    finally:
        teardown_test_environment()


def _request(client, case: Case):
    if case.search:
        response = client.post(case.url, {"search": case.search}, follow=True)
    else:
        response = client.get(case.url)
    if response.status_code != 200:
        sys.exit(f"{case.label}: {case.url} answered {response.status_code}.")
    return response


def _ms(seconds: float) -> float:
    return seconds * 1000


class QueryTimer:
    """Times each SQL statement precisely (the debug cursor rounds to whole milliseconds)."""

    def __init__(self):
        self.timings: list[tuple[str, float]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((sql, _ms(time.perf_counter() - started)))


def measure(client, case: Case, repeat: int) -> Figures:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with instrumented_templates():
        response = _request(client, case)  # also warms caches and the connection
        rows, total = len(response.context["rows"]), response.context["total"]
    timings, sql, count_sql, queries = [], [], [], set()
    for _ in range(repeat):
        timer = QueryTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            started = time.perf_counter()
            _request(client, case)
            timings.append(_ms(time.perf_counter() - started))
        queries.add(len(captured.captured_queries))
        sql.append(sum(ms for _, ms in timer.timings))
        count_sql.append(sum(ms for q, ms in timer.timings if q.startswith("SELECT COUNT(*)")))
    return Figures(
        case.label,
        median=statistics.median(timings),
        p95=statistics.quantiles(timings, n=20, method="inclusive")[18],
        sql=statistics.median(sql),
        count_sql=statistics.median(count_sql),
        queries="/".join(str(n) for n in sorted(queries)),
        rows=rows,
        total=total,
    )


def deep_url(client, url: str, pages: int) -> str:
    """The queue URL reached by following ``pages`` "Next" links from ``url``."""
    with instrumented_templates():
        for _ in range(pages):
            link = client.get(url).context["next_link"]
            if not link:
                sys.exit(f"The queue has fewer than {pages + 1} pages: load more referrals.")
            url = url.split("?")[0] + link
    return url


def _plan_summary(label: str, plan: str) -> str:
    indexes = sorted(
        set(
            re.findall(
                r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)", plan
            )
        )
    )
    seq_scans = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (
        f"  {label:<34} {float(execution[1]) if execution else float('nan'):7.2f} ms"
        f"  referral_queue_idx used: {'yes' if 'referral_queue_idx' in indexes else 'NO'}"
        f"  indexes: {', '.join(indexes) or '-'}"
        f"  seq scans: {', '.join(seq_scans) or '-'}"
    )


def explain(*, search: str, show_plans: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.models import Referral
    from referrals.selectors import referrals as selectors

    plans = {}
    for label, kwargs in (
        ("waiting, first page", {}),
        ("filter: Stroud + high", {"area": "Stroud", "risk": "high"}),
        ("all statuses, first page", {"status": "all"}),
        ("name search, first page", {"search": search}),
    ):
        queue = selectors.referral_queue(Referral.objects.all(), **kwargs)
        plans[label] = queue[: selectors.PAGE_SIZE + 1].explain(analyze=True)
        # The total exactly as the view asks for it: Django's own COUNT(*) statement.
        with CaptureQueriesContext(connection) as captured:
            queue.count()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + captured.captured_queries[0]["sql"])
            plans[f"{label}: count(*)"] = "\n".join(row[0] for row in cursor.fetchall())
    print("\nEXPLAIN ANALYZE of the queue's SQL (the page's rows, then its total):")
    for label, plan in plans.items():
        print(_plan_summary(label, plan))
    if show_plans:
        for label, plan in plans.items():
            print(f"\n-- {label}\n{plan}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000, help="how many (100,000)")
    parser.add_argument(
        "--waiting", type=float, default=0.3, help="share waiting for triage (0.3: a backlog)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN plans")
    args = parser.parse_args(argv)

    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from referrals.models import Referral

    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    officer, coordinator = bench_users()
    waiting = round(args.referrals * args.waiting)
    ensure_data(
        count=args.referrals,
        waiting=waiting,
        officer_id=officer.pk,
        coordinator_id=coordinator.pk,
    )

    first_waiting = (
        Referral.objects.filter(status="waiting").order_by("id").select_related("victim").first()
    )
    if first_waiting is None:
        sys.exit("No referral is waiting: the queue has nothing to measure.")
    victim = first_waiting.victim
    client = Client()
    client.force_login(coordinator)
    queue = reverse("referrals:queue")
    cases = [
        Case("waiting, first page", queue),
        Case("waiting, page 21 (20 x Next)", deep_url(client, queue, 20)),
        Case("filter: Stroud + high", f"{queue}?area=Stroud&risk=high"),
        Case("filter: Stroud + standard", f"{queue}?area=Stroud&risk=standard"),
        Case("all statuses, first page", f"{queue}?status=all"),
        Case("all statuses, page 21", deep_url(client, f"{queue}?status=all", 20)),
        Case("search: full name (POST+GET)", queue, search=victim.full_name),
        Case("search: surname (POST+GET)", queue, search="Smith"),
    ]
    print(
        f"\nTriage queue, database {settings.DATABASES['default']['NAME']}: "
        f"{Referral.objects.count():,} referrals, {waiting:,} waiting. "
        f"{args.repeat} requests each after a warm-up, as a signed-in coordinator."
    )
    print("Times in ms: the whole request through Django's test client; SQL: the database's part.")
    # Other work on the machine skews every figure: say how busy it was.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start.")
    header = (
        f"{'page':<32} {'median':>7} {'p95':>7} {'SQL':>7} {'count()':>8} "
        f"{'queries':>8} {'rows':>5} {'total':>8}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for case in cases:
        f = measure(client, case, args.repeat)
        print(
            f"{f.label:<32} {f.median:7.1f} {f.p95:7.1f} {f.sql:7.1f} {f.count_sql:8.1f} "
            f"{f.queries:>8} {f.rows:5d} {f.total:8,d}",
            flush=True,
        )
    client.post(queue, {"clear": "1"})
    print(f"Load average {os.getloadavg()[0]:.2f} at the end.")
    explain(search=victim.full_name, show_plans=args.plans)


if __name__ == "__main__":
    main()
