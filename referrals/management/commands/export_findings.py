"""Write every finding of the police log scan as CSV to standard output, for analysts.

    manage.py export_findings > findings.csv

Columns: kind, suspect_ref, victim_ref, first_seen, last_seen, entry_count, score, status,
log_refs (the evidence, ``;``-separated, oldest first), then possible_serial and finding_id.
Dates are ISO 8601 in UTC. Rows are streamed, so a large export does not fill memory. A cell
that a spreadsheet would read as a formula starts with an apostrophe (CSV injection).
"""

import datetime
import sys

from django.core.management.base import BaseCommand
from django.db.models import OuterRef, StringAgg, Subquery, Value

from referrals.models import Finding
from stalking_clinic.csv_files import write_rows

# Each CSV column, in order, and the field of a finding it holds.
FIELDS = {
    "kind": "kind",
    "suspect_ref": "suspect_id",
    "victim_ref": "victim_id",
    "first_seen": "first_seen",
    "last_seen": "last_seen",
    "entry_count": "entry_count",
    "score": "score",
    "status": "status",
    "log_refs": "log_refs",
    "possible_serial": "possible_serial",
    "finding_id": "pk",
}
COLUMNS = list(FIELDS)


def _iso(value) -> str:
    return value.astimezone(datetime.UTC).isoformat() if value else ""


class Command(BaseCommand):
    help = "Write all findings of the police log scan as CSV to standard output."

    def handle(self, *args, **options):
        try:
            self._export()
        except BrokenPipeError:
            # The reader stopped early (e.g. `| head`): not an error for an export.
            sys.stderr.close()

    def _export(self):
        # One correlated subquery per finding, aggregated in the database: no per-row query and
        # no join that would multiply the finding's row by its entries.
        log_refs = (
            Finding.entries.through.objects.filter(finding_id=OuterRef("pk"))
            .values("finding_id")
            .annotate(
                refs=StringAgg(
                    "logentry__log_ref",
                    delimiter=Value(";"),
                    order_by=("logentry__recorded_at", "logentry__id"),
                )
            )
            .values("refs")
        )
        findings = (
            Finding.objects.annotate(log_refs=Subquery(log_refs))
            .order_by("-score", "id")
            .values_list(*FIELDS.values())
        )
        # csv ends each row itself; the wrapper must not add a line ending of its own.
        self.stdout.ending = ""
        rows = (
            [
                kind,
                suspect,
                victim,
                _iso(first),
                _iso(last),
                count,
                score,
                status,
                refs,
                "yes" if serial else "no",
                pk,
            ]
            for kind, suspect, victim, first, last, count, score, status, refs, serial, pk in (
                findings.iterator(chunk_size=2000)
            )
        )
        # References come from the force's export: guarded, so none opens as a formula.
        write_rows(self.stdout, COLUMNS, rows, lineterminator="\n")
