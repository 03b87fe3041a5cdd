"""Production mode has no insecure defaults: a missing or bad value stops start-up, naming it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD_PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "clinic.example.police.uk",
    "DATABASE_URL": "postgres://clinic@db.internal:5432/clinic",
    "DATABASE_OWNER_URL": "postgres://clinic_owner@db.internal:5432/clinic",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_HOST": "smtp.internal",
}


def _manage(*args, env_changes, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DJANGO_")}
    env.update(env_changes)
    # Only what the test gives: a developer's .env must not fill in what it took away.
    env["ENV_FILE"] = ""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_changes=GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    result = _manage("check", env_changes=env, drop={missing})
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 50 random characters"),
        ("DEBUG", "true", "DEBUG must be false when DJANGO_ENV=production"),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("DJANGO_ENV", "staging", "DJANGO_ENV must be development, test or production"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must point at PostgreSQL"),
        ("DATABASE_OWNER_URL", "mysql://x@y/z", "DATABASE_OWNER_URL must point at PostgreSQL"),
        (
            "DATABASE_OWNER_URL",
            "postgres://clinic_owner@db.internal:5432/another",
            "DATABASE_OWNER_URL must name the same database",
        ),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        # Demo logins skip the second factor only in development.
        ("DEMO_SKIP_MFA", "true", "DEMO_SKIP_MFA may be true only when DJANGO_ENV=development"),
        ("SIGN_IN_FAILURE_LIMIT", "0", "SIGN_IN_FAILURE_LIMIT, SIGN_IN_ADDRESS_FAILURE_LIMIT"),
    ],
)
def test_production_refuses_a_bad_value_naming_it(name, value, message):
    result = _manage("check", env_changes={**GOOD_PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_without_an_owner_url_the_owner_alias_is_the_application_url():
    # A web server needs no owner role: migrations and the importer's index rebuilds do.
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != "DATABASE_OWNER_URL"}
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['owner']['USER'])",
        env_changes=env,
        drop={"DATABASE_OWNER_URL"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "clinic"


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(60) + "\n")
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(key_file)
    result = _manage("check", "--deploy", env_changes=env, drop={"SECRET_KEY"})
    assert result.returncode == 0, result.stderr


def test_every_view_declares_who_may_use_it():
    result = _manage("check", env_changes={"DJANGO_ENV": "test"})
    assert result.returncode == 0, result.stderr


def test_any_setting_can_come_from_a_file(tmp_path):
    name_file = tmp_path / "force"
    name_file.write_text("Example Constabulary\n")
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.FORCE_NAME)",
        env_changes={"DJANGO_ENV": "development", "FORCE_NAME_FILE": str(name_file)},
        drop={"FORCE_NAME"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Example Constabulary"


def test_a_secret_file_that_cannot_be_read_is_named(tmp_path):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(tmp_path / "missing")
    result = _manage("check", env_changes=env, drop={"SECRET_KEY"})
    assert result.returncode != 0
    assert f"SECRET_KEY_FILE points at {tmp_path / 'missing'}, which cannot be read" in (
        result.stderr
    )


def test_each_test_worker_has_a_redis_database_of_its_own(settings):
    from stalking_clinic.settings import _redis_url_for_test_worker as for_worker

    assert for_worker("redis://127.0.0.1:6379/4", "gw0") == "redis://127.0.0.1:6379/4"
    assert for_worker("redis://127.0.0.1:6379/4", "gw1") == "redis://127.0.0.1:6379/5"
    assert for_worker("redis://:secret@redis.internal:6379", "gw2") == (
        "redis://:secret@redis.internal:6379/2"
    )
    assert for_worker("unix:///run/redis.sock?db=3", "gw1") == "unix:///run/redis.sock?db=4"
    # This process's settings: its worker's database (the configured one outside xdist).
    configured = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    expected = for_worker(configured, worker) if worker else configured
    assert settings.REDIS_URL == settings.CELERY_BROKER_URL == expected
