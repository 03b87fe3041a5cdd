"""The Docker deployment (Dockerfile, docker-compose.yml) agrees with the rest of the project.

No Docker engine is needed: the files are read and checked against the Procfile, the Makefile and
the production settings, so that a change to one of those cannot leave the deployment behind.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _services():
    return _compose()["services"]


def _procfile():
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


def _makefile_packages(variable):
    match = re.search(
        rf"^{variable}\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), flags=re.MULTILINE
    )
    assert match, f"Makefile has no {variable} line"
    return match.group(1).split()


def _dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            instructions.append((instruction.upper(), " ".join(arguments.split())))
    return instructions


def _environment(service):
    environment = _services()[service].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return environment


def _required_interpolation(name):
    """Compose's ``${NAME:?message}``: refuses to start when NAME is unset or empty."""
    return re.compile(rf"^\$\{{{name}:\?[^}}]+\}}$")


def test_compose_file_parses_into_services():
    compose = _compose()
    assert isinstance(compose, dict)
    assert isinstance(compose["services"], dict)


def test_compose_has_postgres_redis_migrate_web_worker_and_beat():
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(_services())


@pytest.mark.parametrize("service", LONG_RUNNING_APP_SERVICES)
def test_service_command_is_the_procfile_line(service):
    assert _services()[service]["command"] == _procfile()[service]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_service_runs_in_production(service):
    assert _environment(service)["DJANGO_ENV"] == "production"


@pytest.mark.parametrize("service", APP_SERVICES)
@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_app_service_requires_secret_key_and_allowed_hosts(service, variable):
    assert _required_interpolation(variable).match(_environment(service)[variable])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_service_uses_the_postgres_and_redis_services(service):
    environment = _environment(service)
    assert re.match(r"^postgres://[^@]+@postgres(:5432)?/", environment["DATABASE_URL"])
    assert re.match(r"^redis://redis(:6379)?(/|$)", environment["REDIS_URL"])


@pytest.mark.parametrize("service", ["postgres", "redis"])
def test_backing_service_has_a_healthcheck_and_a_named_volume(service):
    definition = _services()[service]
    assert definition["healthcheck"]["test"]
    named_volumes = set(_compose().get("volumes") or {})
    sources = {volume.split(":", 1)[0] for volume in definition["volumes"]}
    assert sources & named_volumes


@pytest.mark.parametrize("service", LONG_RUNNING_APP_SERVICES)
def test_app_service_waits_for_healthy_databases_and_completed_migrations(service):
    depends_on = _services()[service]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("service", LONG_RUNNING_APP_SERVICES)
def test_app_service_restarts_unless_stopped(service):
    assert _services()[service]["restart"] == "unless-stopped"


def test_migrate_runs_once_after_postgres_is_healthy():
    migrate = _services()["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_web_healthcheck_asks_healthz_as_an_allowed_host():
    check = " ".join(_services()["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:" in check
    assert "/healthz" in check
    assert "'Host'" in check
    assert "ALLOWED_HOSTS" in check


def test_worker_healthcheck_pings_the_worker():
    check = " ".join(_services()["worker"]["healthcheck"]["test"])
    assert "celery -A stalking_clinic inspect ping" in check


def test_beat_keeps_its_schedule_file_on_a_volume():
    beat = _services()["beat"]
    schedule_dir = os.path.dirname(_environment("beat")["CELERY_BEAT_SCHEDULE_FILENAME"])
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in beat["volumes"]}
    assert mounts[schedule_dir] in (_compose().get("volumes") or {})


def test_dockerfile_installs_the_makefile_run_debian_packages():
    installs = " ".join(
        arguments
        for instruction, arguments in _dockerfile_instructions()
        if instruction == "RUN" and "apt-get install" in arguments
    ).split()
    for package in _makefile_packages("RUN_DEBS"):
        assert package in installs, f"Dockerfile does not install {package}"


def test_dockerfile_builds_the_css_and_collects_static_files():
    runs = [
        arguments for instruction, arguments in _dockerfile_instructions() if instruction == "RUN"
    ]
    assert any(run.startswith("npm ci") for run in runs)
    assert "npm run --silent build:css" in runs or "npm run build:css" in runs
    # The GOV.UK Frontend and MoJ Frontend files the pages use, copied into static/build.
    assert "npm run --silent build:assets" in runs or "npm run build:assets" in runs
    assert any("manage.py collectstatic --noinput" in run for run in runs)


def test_dockerfile_runs_as_a_non_root_user():
    users = [
        arguments for instruction, arguments in _dockerfile_instructions() if instruction == "USER"
    ]
    assert users, "Dockerfile never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_serves_on_port_8000_on_all_interfaces():
    instructions = _dockerfile_instructions()
    assert ("EXPOSE", "8000") in instructions
    environment = " ".join(
        arguments for instruction, arguments in instructions if instruction == "ENV"
    )
    assert "HOST=0.0.0.0" in environment.split()
    assert "PORT=8000" in environment.split()


def test_dockerfile_collectstatic_values_satisfy_production_settings():
    """The throw-away values given to the collectstatic step are enough for production settings
    to load: a setting that production newly requires must be added there too."""
    (step,) = [
        arguments
        for instruction, arguments in _dockerfile_instructions()
        if instruction == "RUN" and "collectstatic" in arguments
    ]
    values = dict(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]*)=(\S+)", step.split("python ")[0]))
    environment = {
        **{name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "stalking_clinic.settings",
        "DJANGO_ENV": "production",
        # The image has no .env (.dockerignore): a developer's must not fill in what it lacks.
        "ENV_FILE": "",
        **values,
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.strip().splitlines()[-1:]


# The two database roles (README, "Database roles") ---------------------------------------------

APP_ROLE = "stalking_clinic_app"
OWNER_ROLE = "stalking_clinic_owner"
INIT_SCRIPT = ROOT / "deploy" / "postgres-init" / "10-roles.sh"


def _url_user_and_password(url):
    match = re.match(r"^postgres://([^:@]+):(\$\{[^}]+\})@postgres:5432/stalking_clinic$", url)
    assert match, url
    return match.groups()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_service_runs_as_the_application_role(service):
    user, password = _url_user_and_password(_environment(service)["DATABASE_URL"])
    assert user == APP_ROLE
    assert _required_interpolation("DATABASE_APP_PASSWORD").match(password)
    assert user != _environment("postgres")["POSTGRES_USER"]


@pytest.mark.parametrize(
    ("service", "has_owner"), [("migrate", True), ("worker", True), ("web", False), ("beat", False)]
)
def test_only_migrate_and_the_worker_have_the_owner_role(service, has_owner):
    # migrate runs the migrations and grants; the worker's police log imports rebuild indexes.
    environment = _environment(service)
    assert ("DATABASE_OWNER_URL" in environment) is has_owner
    if has_owner:
        user, password = _url_user_and_password(environment["DATABASE_OWNER_URL"])
        assert user == OWNER_ROLE
        assert _required_interpolation("DATABASE_OWNER_PASSWORD").match(password)


def test_postgres_makes_both_roles_when_its_volume_is_new():
    postgres = _services()["postgres"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in postgres["volumes"]}
    assert (ROOT / mounts["/docker-entrypoint-initdb.d"]).resolve() == INIT_SCRIPT.parent
    assert os.access(INIT_SCRIPT, os.X_OK)
    environment = _environment("postgres")
    for variable in ("POSTGRES_PASSWORD", "DATABASE_OWNER_PASSWORD", "DATABASE_APP_PASSWORD"):
        assert _required_interpolation(variable).match(environment[variable])
    assert "POSTGRES_DB" not in environment  # the init script makes it, owned by the owner
    script = " ".join(INIT_SCRIPT.read_text().split())
    assert f"CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER" in script
    assert f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS" in script
    assert f"CREATE DATABASE stalking_clinic OWNER {OWNER_ROLE}" in script
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC" in script


def test_postgres_healthcheck_waits_for_the_real_server():
    # While the init script runs, the image's temporary server answers on its socket only.
    check = _services()["postgres"]["healthcheck"]["test"]
    assert "--host=127.0.0.1" in check
