"""The Celery path for real: a worker process, Redis as the broker, the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, connections

from referrals.models import Finding, LogImport
from referrals.tasks import import_police_log_task
from stalking_clinic.celery import app

from .logs_csv import PATTERN, export

ROOT = Path(__file__).resolve().parents[2]
# This test worker's own Redis database (settings: REDIS_URL's, plus the xdist worker's number).
BROKER = os.environ.get("TEST_CELERY_BROKER_URL") or settings.CELERY_BROKER_URL


@pytest.fixture
def worker(tmp_path):
    db = connection.settings_dict
    owner = connections["owner"].settings_dict
    redis.Redis.from_url(BROKER).flushdb()
    env = {
        # Without PYTEST_XDIST_WORKER: the worker's settings must not add the number again.
        **{name: value for name, value in os.environ.items() if name != "PYTEST_XDIST_WORKER"},
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REDIS_URL": BROKER,
        # The two roles, as a worker has them (README, "Database roles").
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_OWNER_URL": (
            f"postgres://{owner['USER']}@{owner['HOST']}:{owner['PORT']}/{owner['NAME']}"
        ),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stalking_clinic",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = saved
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_and_scans_a_queued_export(worker, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(export(PATTERN))
    log_import = LogImport.objects.create(
        file_name="export.csv",
        stored_path=str(path),
        size_bytes=path.stat().st_size,
        source=LogImport.Source.UPLOAD,
    )
    # Publish on an explicit connection: the app's pool may already point at another broker.
    with app.connection_for_write(BROKER) as conn:
        import_police_log_task.apply_async(args=[log_import.pk], connection=conn)
    # The task marks the import done, then scans what it brought: wait for both.
    findings = Finding.objects.filter(kind=Finding.Kind.PATTERN)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        log_import.refresh_from_db()
        if log_import.status == LogImport.Status.FAILED:
            break
        if log_import.status == LogImport.Status.DONE and findings.exists():
            break
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
        time.sleep(0.1)
    if log_import.status != LogImport.Status.DONE:
        worker.terminate()
        pytest.fail(f"{log_import.status}: {worker.stderr.read().decode()[-3000:]}")
    assert log_import.rows_added == 3
    assert findings.count() == 1
