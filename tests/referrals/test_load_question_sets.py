"""manage.py load_question_sets: the bundled default wording, the force's own files, and refusals
that name the file and the problem."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from referrals.models import QuestionSet

from .factories import SDASH_KEYS

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("load_question_sets", *args, stdout=out)
    return out.getvalue()


def _write(tmp_path, name, **overrides):
    data = {
        "instrument": "sdash",
        "version": "force-2027",
        "title": "S-DASH (force wording)",
        "questions": [{"key": key, "text": f"Force wording on {key}?"} for key in SDASH_KEYS],
        "thresholds": {"medium": 4, "high": 7},
    }
    data.update(overrides)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_no_arguments_loads_the_bundled_defaults_and_makes_them_current():
    output = _run()
    sets = {qs.instrument: qs for qs in QuestionSet.objects.filter(is_current=True)}
    assert set(sets) == {"sdash", "dash", "srp"}
    assert len(sets["sdash"].questions) == 11
    assert len(sets["dash"].questions) == 24
    assert sets["dash"].thresholds["high"] == 14
    assert [q["key"] for q in sets["srp"].questions] == [
        "violence",
        "persistence",
        "recurrence",
        "psychosocial_damage",
    ]
    assert all(q.get("hint") for q in sets["srp"].questions)
    assert output.count("Loaded") == 3
    assert "S-DASH clinic-default-1" in output


def test_the_bundled_sdash_uses_the_keys_the_referral_form_expects():
    _run()
    sdash = QuestionSet.objects.get(instrument="sdash", is_current=True)
    assert [q["key"] for q in sdash.questions] == SDASH_KEYS


def test_running_again_changes_nothing_and_says_so():
    _run()
    before = list(QuestionSet.objects.values_list("pk", "is_current", "loaded_at"))
    output = _run()
    assert output.count("Unchanged") == 3
    assert list(QuestionSet.objects.values_list("pk", "is_current", "loaded_at")) == before


def test_the_forces_own_version_becomes_current(tmp_path):
    _run()
    output = _run(str(_write(tmp_path, "force.json")))
    assert "Loaded S-DASH force-2027: 11 questions, now current" in output
    current = QuestionSet.objects.get(instrument="sdash", is_current=True)
    assert (current.version, current.thresholds) == ("force-2027", {"medium": 4, "high": 7})
    assert QuestionSet.objects.filter(instrument="sdash").count() == 2


def test_not_current_loads_without_switching(tmp_path):
    _run()
    _run("--not-current", str(_write(tmp_path, "force.json")))
    assert QuestionSet.objects.get(instrument="sdash", is_current=True).version == (
        "clinic-default-1"
    )


def test_changed_wording_under_an_existing_version_is_refused(tmp_path):
    _run(str(_write(tmp_path, "force.json")))
    reworded = _write(tmp_path, "reworded.json", title="S-DASH (reworded)")
    with pytest.raises(CommandError, match="load it as a new version") as error:
        _run(str(reworded))
    assert "reworded.json" in str(error.value)
    assert QuestionSet.objects.get().title == "S-DASH (force wording)"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"instrument": "sdash"}), "'version'"),
        (json.dumps([1, 2]), "JSON object"),
    ],
)
def test_a_bad_file_is_named_with_its_problem_and_nothing_is_loaded(tmp_path, content, problem):
    good = _write(tmp_path, "good.json")
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=problem) as error:
        _run(str(good), str(bad))
    assert "bad.json" in str(error.value)
    assert not QuestionSet.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.json: cannot read the file"):
        _run(str(tmp_path / "nowhere.json"))
