"""Small police log exports for tests, in the force's format."""

import csv
import io

from referrals.logs.importer import COLUMNS

HEADER = list(COLUMNS)


def row(
    log_ref,
    recorded_at,
    *,
    victim="P700001",
    suspect="P700002",
    code="8/1",
    offence="Harassment",
    flags="",
    summary="Suspect followed the victim home.",
    relationship="ex-partner",
    area="Stroud",
):
    return {
        "log_ref": log_ref,
        "crime_ref": "",
        "recorded_at": recorded_at,
        "offence_code": code,
        "offence": offence,
        "flags": flags,
        "victim_ref": victim,
        "victim_name": "Vicky Logtest",
        "victim_dob": "1990-01-02",
        "suspect_ref": suspect,
        "suspect_name": "Stan Logtest",
        "suspect_dob": "1985-03-04",
        "relationship": relationship,
        "officer": "PC 1 Test",
        "area": area,
        "summary": summary,
    }


def export(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


PATTERN = [
    row("INC-2026-00000001", "2026-03-01T10:00+00:00"),
    row("INC-2026-00000002", "2026-03-20T22:15+00:00", summary="Turned up at her work again."),
    row("INC-2026-00000003", "2026-04-11T08:05+01:00", summary="Forty unwanted messages."),
]
