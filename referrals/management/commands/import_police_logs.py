"""Import police log exports (CSV files in the force's export format) from the command line.

    manage.py import_police_logs export-2026-11-25.csv [more.csv …]

Each file is imported in turn, as an import of its own, like an upload: entries are matched on
``log_ref``, so importing the same or an overlapping export again adds nothing twice. A progress
line shows on stderr while a file imports; a summary of each file follows on stdout. The command
fails (exit status 1) if any file was refused or failed; the other files are still imported.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from referrals.logs.jobs import import_and_scan
from referrals.models import LogImport, RejectedRow

REJECTIONS_SHOWN = 5


class ProgressLine:
    """Rows read and their rate: one line redrawn in place on a terminal, else a line per 10%."""

    def __init__(self, stream, label: str):
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last_step = 0
        self.drawn = False

    def __call__(self, log_import: LogImport) -> None:
        if log_import.status != LogImport.Status.RUNNING:
            self.end()
            return
        seconds = max(time.monotonic() - self.started, 1e-6)
        text = (
            f"{self.label}: {log_import.percent:3d}%  {log_import.rows_read:,} rows"
            f"  {log_import.rows_read / seconds:,.0f} rows/s"
        )
        # style_func=str: progress is not an error, whatever colour stderr writes in.
        if self.tty:
            self.stream.write(f"\r{text}\033[K", style_func=str, ending="")
            self.stream.flush()
            self.drawn = True
        elif log_import.percent // 10 > self.last_step:
            self.last_step = log_import.percent // 10
            self.stream.write(text, style_func=str)

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K", style_func=str, ending="")
            self.stream.flush()
            self.drawn = False


class Command(BaseCommand):
    help = "Import police log exports (CSV files), updating entries already imported."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV exports of the police log")

    def handle(self, *args, files, **options):
        failed = []
        for name in files:
            if not self._import(Path(name)):
                failed.append(name)
        if failed:
            raise CommandError(f"Not imported: {', '.join(failed)}.")

    def _import(self, path: Path) -> bool:
        if not path.is_file():
            self.stderr.write(self.style.ERROR(f"{path}: no such file."))
            return False
        log_import = LogImport.objects.create(
            file_name=path.name[:255],
            stored_path=str(path.resolve())[:500],
            size_bytes=path.stat().st_size,
            source=LogImport.Source.COMMAND,
        )
        progress = ProgressLine(self.stderr, path.name)
        try:
            # The same sequence as an upload: import, then scan the pairs the file touched.
            log_import = import_and_scan(log_import, progress=progress)
        except Exception as error:
            # The import is marked failed and nothing of the file kept; go on with the next.
            self.stderr.write(self.style.ERROR(f"{path}: the import failed: {error!r}"))
            return False
        finally:
            progress.end()
        if log_import.status == LogImport.Status.REFUSED:
            self.stderr.write(self.style.ERROR(f"{path}: refused. {log_import.message}"))
            return False
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {log_import.rows_read:,} rows read, {log_import.rows_added:,} added, "
                f"{log_import.rows_updated:,} updated, {log_import.rows_unchanged:,} unchanged, "
                f"{log_import.rows_rejected:,} rejected."
            )
        )
        for rejected in RejectedRow.objects.filter(log_import=log_import)[:REJECTIONS_SHOWN]:
            self.stdout.write(f"  line {rejected.line_number}: {rejected.reason}")
        if log_import.rows_rejected > REJECTIONS_SHOWN:
            self.stdout.write(
                f"  … and {log_import.rows_rejected - REJECTIONS_SHOWN:,} more rejected rows "
                f"(import {log_import.pk})."
            )
        return True
