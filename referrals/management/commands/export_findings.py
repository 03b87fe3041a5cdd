"""Write every finding of the police log scan as CSV to standard output, for analysts.

    manage.py export_findings --recipient "Force analysts" --justification "Monthly review" \
        --by coordinator > findings.csv

Columns: kind, suspect_ref, victim_ref, first_seen, last_seen, entry_count, score, status,
log_refs (the evidence, ``;``-separated, oldest first), then possible_serial and finding_id.
Dates are ISO 8601 in UTC. Rows are streamed, so a large export does not fill memory. A cell
that a spreadsheet would read as a formula starts with an apostrophe (CSV injection), and so does
each ``;``-separated log reference (a spreadsheet set to split on ``;`` makes each its own cell).

The export is a disclosure (Data Protection Act 2018 s.62): it goes to the audit log with its
recipient, justification and the account of who ran it, and is refused without them.
"""

import datetime
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import OuterRef, StringAgg, Subquery, Value

from referrals.models import Finding
from stalking_clinic.audit.models import AuditEvent
from stalking_clinic.audit.services import record
from stalking_clinic.csv_files import formula_safe, write_rows

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

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient", required=True, help="Who the findings go to, e.g. 'Force analysts'."
        )
        parser.add_argument(
            "--justification", required=True, help="Why they are disclosed (for the audit log)."
        )
        parser.add_argument(
            "--by", required=True, metavar="USERNAME", help="The account of who runs the export."
        )

    def handle(self, *args, recipient, justification, by, **options):
        recipient, justification = recipient.strip(), justification.strip()
        if not recipient or not justification:
            raise CommandError("Give the recipient and the justification of the export.")
        actor = get_user_model().objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active user called {by!r}.")
        written = [0]
        try:
            self._export(written)
        except BrokenPipeError:
            # The reader stopped early (e.g. `| head`): not an error for an export.
            sys.stderr.close()
        finally:
            record(
                actor=actor,
                action=AuditEvent.Action.DISCLOSURE,
                record_type=Finding._meta.label_lower,
                label=f"Export of police log findings: {written[0]} rows",
                recipient=recipient[:200],
                justification=justification,
            )

    def _export(self, written):
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
                ";".join(str(formula_safe(ref)) for ref in (refs or "").split(";") if ref),
                "yes" if serial else "no",
                pk,
            ]
            for kind, suspect, victim, first, last, count, score, status, refs, serial, pk in (
                findings.iterator(chunk_size=2000)
            )
        )
        # References come from the force's export: guarded, so none opens as a formula.
        write_rows(self.stdout, COLUMNS, self._counted(rows, written), lineterminator="\n")

    @staticmethod
    def _counted(rows, written):
        for row in rows:
            written[0] += 1
            yield row
