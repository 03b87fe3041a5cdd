"""The coordinator's side of the police logs: upload with progress and summary, the findings
review (refer, link to a case, dismiss), the case timeline and the inbox folder."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.logs.jobs import import_inbox
from referrals.models import Finding, LogImport, Person, Referral
from stalking_clinic.audit.models import AuditEvent

from ..pages import submit
from .factories import CaseFactory, PersonFactory
from .logs_csv import PATTERN, export, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.POLICE_LOG_UPLOAD_DIR = tmp_path / "uploads"
    settings.POLICE_LOG_INBOX = tmp_path / "inbox"


def _upload(client, content: bytes, name="export.csv", capture=None):
    with capture(execute=True):
        return client.post(
            reverse("referrals:log_imports"), {"export": SimpleUploadedFile(name, content)}
        )


@pytest.fixture
def imported(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    response = _upload(client, export(PATTERN), capture=django_capture_on_commit_callbacks)
    return LogImport.objects.get(), response


def test_upload_imports_scans_and_shows_the_summary(client, imported):
    log_import, response = imported
    assert response["Location"] == reverse("referrals:log_import_detail", args=[log_import.pk])
    assert (log_import.status, log_import.rows_added) == (LogImport.Status.DONE, 3)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-summary"' in page
    progress = client.get(reverse("referrals:log_import_progress", args=[log_import.pk])).json()
    assert progress == {
        "status": "done",
        "status_label": "Imported",
        "percent": 100,
        "rows_read": 3,
        "finished": True,
    }
    finding = Finding.objects.get()
    assert (finding.kind, finding.entry_count) == (Finding.Kind.PATTERN, 3)


def test_a_file_that_is_not_an_export_is_refused_with_a_message(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = _upload(client, b"name,age\nfoo,3\n", capture=django_capture_on_commit_callbacks)
    log_import = LogImport.objects.get()
    assert log_import.status == LogImport.Status.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "not a police log export" in page.lower()


def test_upload_form_explains_a_wrong_file(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("referrals:log_imports"), {"export": SimpleUploadedFile("notes.docx", b"x")}
    )
    assert "must be a CSV export" in response.content.decode()
    assert not LogImport.objects.exists()


def test_rejected_rows_are_listed_with_line_numbers(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    bad = [*PATTERN, row("INC-2026-00000004", "not a date")]
    response = _upload(client, export(bad), capture=django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="rejected-rows"' in page
    assert '<td class="govuk-table__cell">5</td>' in page


def test_coordinator_refers_a_finding_and_it_reaches_the_triage_queue(client, imported):
    finding = Finding.objects.get()
    page = client.get(reverse("referrals:finding_refer", args=[finding.pk]))
    form = page.context["form"]
    assert form.initial["victim_ref"] == "P700001"
    assert "INC-2026-00000002" in form.initial["log_refs"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "victim_dob": "2/1/1990",
            "suspect_dob": "4/3/1985",
            "requests": ["clinic_review"],
            "version": finding.version,
        }
    )
    response = client.post(reverse("referrals:finding_refer", args=[finding.pk]), data)
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert referral.source == Referral.Source.LOG_SCAN
    assert referral.victim.person_ref == "P700001"
    finding.refresh_from_db()
    assert (finding.status, finding.referral) == (Finding.Status.REFERRED, referral)
    queue = client.get(reverse("referrals:queue")).context["rows"]
    assert [row["referral"] for row in queue] == [referral]


def test_dismissing_needs_a_reason_and_is_recorded(client, imported):
    finding = Finding.objects.get()
    page = client.get(reverse("referrals:finding_detail", args=[finding.pk]))
    response = submit(client, page, "Dismiss finding", {"dismiss-reason": ""})
    assert response.context["dismiss_form"].errors["reason"]
    submit(
        client, response, "Dismiss finding", {"dismiss-reason": "Neighbour dispute, not stalking"}
    )
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert AuditEvent.objects.filter(object_type="referrals.finding", action="alteration").exists()


def test_a_second_reviewer_is_told_someone_acted_first(client, imported, make_user, coordinator):
    finding = Finding.objects.get()
    other = make_user("tactical_lead", username="second_reviewer")
    client.force_login(other)
    seen_before = client.get(reverse("referrals:finding_detail", args=[finding.pk]))
    client.force_login(coordinator)
    page = client.get(reverse("referrals:finding_detail", args=[finding.pk]))
    submit(client, page, "Dismiss finding", {"dismiss-reason": "Not stalking"})
    client.force_login(other)
    response = submit(client, seen_before, "Dismiss finding", {"dismiss-reason": "Also not"})
    assert "already reviewed this finding" in response.content.decode()


def test_linking_to_a_case_puts_the_entries_on_its_timeline_and_new_ones_alert_the_owner(
    client, imported, coordinator, django_capture_on_commit_callbacks
):
    # The import created them, by their force person references.
    victim = Person.objects.get(person_ref="P700001")
    suspect = Person.objects.get(person_ref="P700002")
    coordinator.email = "cora@example.invalid"
    coordinator.save()
    case = CaseFactory(victim=victim, suspects=[suspect], owner=coordinator)
    finding = Finding.objects.get()
    page = client.get(reverse("referrals:finding_detail", args=[finding.pk]))
    submit(client, page, "Link to case", {"link-case_reference": case.reference})
    case.refresh_from_db()
    assert "INC-2026-00000003" in case.log_refs
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert "Forty unwanted messages." in page
    assert 'data-testid="new-log-entries"' not in page

    later = row("INC-2026-00000009", "2026-05-01T09:00+01:00", summary="Waiting outside again.")
    _upload(client, export([*PATTERN, later]), capture=django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == [f"New police log entries on case {case.reference}"]
    assert "Vicky" not in mail.outbox[0].body and "Logtest" not in mail.outbox[0].body
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="new-log-entries"' in page and "Waiting outside again." in page
    work = {w.label for w in client.get(reverse("home:index")).context["work"]}
    assert "Your cases with new police log entries" in work
    client.post(reverse("referrals:log_entries_seen", args=[case.pk]))
    page = client.get(reverse("referrals:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="new-log-entries"' not in page


def test_inbox_files_are_imported_once_and_deleted(settings):
    inbox = settings.POLICE_LOG_INBOX
    inbox.mkdir(parents=True)
    (inbox / "nightly.csv").write_bytes(export(PATTERN))
    (inbox / "junk.csv").write_bytes(b"hello\n")
    imports = import_inbox()
    assert sorted(i.status for i in imports) == [LogImport.Status.DONE, LogImport.Status.REFUSED]
    assert [p for p in inbox.rglob("*") if p.is_file()] == []
    assert {i.stored_path for i in LogImport.objects.all()} == {""}
    assert import_inbox() == []
    assert Finding.objects.count() == 1


def test_a_link_in_the_inbox_is_refused_and_never_followed(settings, tmp_path):
    inbox = settings.POLICE_LOG_INBOX
    inbox.mkdir(parents=True)
    secret = tmp_path / "elsewhere.csv"
    secret.write_bytes(export(PATTERN))
    (inbox / "link.csv").symlink_to(secret)

    [refused] = import_inbox()

    assert refused.status == LogImport.Status.REFUSED
    assert "link" in refused.message
    assert refused.rows_read == 0 and Person.objects.count() == 0
    assert secret.exists()  # what it pointed at is left alone
    assert not list(inbox.rglob("*.csv"))


def test_an_uploaded_file_is_deleted_once_imported_and_its_summary_kept(settings, client, imported):
    log_import, response = imported
    log_import.refresh_from_db()
    assert log_import.stored_path == ""
    assert list((settings.POLICE_LOG_UPLOAD_DIR).iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-summary"' in page


def test_a_refused_upload_is_deleted_too(
    settings, client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    _upload(client, b"hello\n", capture=django_capture_on_commit_callbacks)
    assert LogImport.objects.get().status == LogImport.Status.REFUSED
    assert list((settings.POLICE_LOG_UPLOAD_DIR).iterdir()) == []


def test_findings_queue_is_highest_score_first_with_constant_queries(
    client, coordinator, django_assert_max_num_queries
):
    from django.utils import timezone

    for n in range(60):
        Finding.objects.create(
            key=f"S{n}|V{n}",
            kind=Finding.Kind.PATTERN,
            victim_id=f"V{n}",
            suspect_id=f"S{n}",
            first_seen=timezone.now(),
            last_seen=timezone.now(),
            entry_count=3,
            score=n,
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("referrals:findings"))
    scores = [f.score for f in response.context["findings"]]
    assert scores == list(range(59, 9, -1))
    response = client.get(reverse("referrals:findings") + response.context["page"].next_link)
    assert [f.score for f in response.context["findings"]] == list(range(9, -1, -1))


def test_case_timeline_costs_the_same_however_many_log_entries(
    client, coordinator, django_assert_max_num_queries
):
    from django.utils import timezone

    from referrals.models import LogEntry

    victim = PersonFactory(person_ref="P710001")
    suspect = PersonFactory(person_ref="P710002")
    case = CaseFactory(victim=victim, suspects=[suspect])
    log_import = LogImport.objects.create(file_name="x.csv", source="command")

    def add(n):
        LogEntry.objects.bulk_create(
            LogEntry(
                log_ref=f"INC-T-{n}-{i}",
                recorded_at=timezone.now(),
                victim_id="P710001",
                suspect_id="P710002",
                summary="Followed her again.",
                first_import=log_import,
                last_import=log_import,
            )
            for i in range(n)
        )

    add(1)
    client.force_login(coordinator)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("referrals:case_detail", args=[case.pk]))
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:case_detail", args=[case.pk]))
    assert sum(1 for e in response.context["timeline"] if e.kind == "Police log") == 41
