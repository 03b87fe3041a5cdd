"""Load risk assessment wording (S-DASH, DASH, Stalking Risk Profile) from JSON files.

    manage.py load_question_sets                 # the clinic defaults in referrals/question_sets/
    manage.py load_question_sets force-sdash.json

Each file is one version of one instrument (see referrals/question_sets/README.md). All the
files load together or not at all. A version already loaded with the same content is left alone;
different content under an existing version is refused, because assessments keep the wording
they were done with.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from referrals.models import QuestionSet
from referrals.services.assessments import question_set_load, question_set_parse
from stalking_clinic.services import ServiceError

DEFAULTS = Path(__file__).resolve().parents[2] / "question_sets"


class Command(BaseCommand):
    help = "Load versions of the risk assessment questions from JSON files (default: bundled)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="JSON files; none: the bundled defaults.")
        parser.add_argument(
            "--not-current",
            action="store_true",
            help="Load new versions without making them the ones new assessments use.",
        )

    def handle(self, *args, files, not_current, **options):
        paths = [Path(f) for f in files] or sorted(DEFAULTS.glob("*.json"))
        if not paths:
            raise CommandError(f"No question set files found in {DEFAULTS}.")
        loaded = [(path, self._read(path)) for path in paths]
        with transaction.atomic():
            for path, data in loaded:
                self._load(path, data, make_current=not not_current)

    def _read(self, path: Path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            question_set_parse(data)
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}: not valid JSON ({error}).") from error
        except ServiceError as error:
            raise CommandError(f"{path}: {error.message}") from error
        return data

    def _load(self, path: Path, data: dict, *, make_current: bool) -> None:
        fields = question_set_parse(data)
        existed = QuestionSet.objects.filter(
            instrument=fields["instrument"], version=fields["version"]
        ).exists()
        try:
            question_set = question_set_load(data=data, make_current=make_current)
        except ServiceError as error:
            raise CommandError(f"{path}: {error.message} Nothing was loaded.") from error
        if existed:
            self.stdout.write(f"Unchanged: {question_set} ({path.name}).")
        else:
            current = "now current" if question_set.is_current else "not current"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {question_set}: {len(question_set.questions)} questions, "
                    f"{current} ({path.name})."
                )
            )
