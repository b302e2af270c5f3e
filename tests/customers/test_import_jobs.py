"""Big imports, checks and exports run as background jobs: on the pages and in the API.

The thresholds are lowered to a few rows so a small file stands for a big one.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone

from classicpos import job_runner
from classicpos.job_runner import STALE_AFTER, jobs_run_pending
from classicpos.jobs import Job, JobStatus
from customers import jobs as customer_jobs
from customers import services
from customers.models import Channel, Customer
from tests.api_helpers import assert_problem
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BIG = (
    "name,email,phone\n"
    "Ada One,ada@example.com,\n"
    "Bo Two,,+14155550102\n"
    "Cy Three,not-an-email,\n"
    "Di Four,,\n"
    "Ed Five,ed@example.com,\n"
)


@pytest.fixture(autouse=True)
def _small_thresholds(settings, tmp_path):
    settings.CLASSICPOS_IMPORT_BACKGROUND_ROWS = 3
    settings.CLASSICPOS_EXPORT_BACKGROUND_ROWS = 3
    settings.CLASSICPOS_JOB_FILES_DIR = tmp_path
    settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT = 100


def upload(text: str = BIG, name: str = "shop.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_big_file_is_checked_then_imported_by_jobs_from_the_import_page(manager_page):
    checked = manager_page.post(
        "/customers/import/?check=1", {"file": upload(), "encoding": "utf-8"}
    )
    job = Job.objects.get()
    assert checked.status_code == 302
    assert checked["Location"] == f"/jobs/{job.pk}/"
    waiting = manager_page.get(checked["Location"]).content.decode()
    assert "Check of shop.csv" in waiting
    assert "Waiting to start" in waiting
    assert 'hx-trigger="every 1s"' in waiting

    jobs_run_pending()

    report = manager_page.get(checked["Location"]).content.decode()
    assert "Checked shop.csv: nothing was saved" in report
    assert 'data-count="created">4<' in report
    assert 'data-count="errors">1<' in report
    assert "hx-trigger" not in report  # finished: the page stops asking
    assert not Customer.objects.exists()
    token = re.search(r'name="upload" value="([^"]+)"', report).group(1)

    imported = manager_page.post(
        "/customers/import/", {"upload": token, "encoding": "utf-8", "columns": ""}
    )
    second = Job.objects.latest("pk")
    assert imported["Location"] == f"/jobs/{second.pk}/"
    jobs_run_pending()

    page = manager_page.get(imported["Location"]).content.decode()
    assert "Imported shop.csv" in page
    assert sorted(Customer.objects.values_list("name", flat=True)) == [
        "Ada One",
        "Bo Two",
        "Di Four",
        "Ed Five",
    ]
    errors = manager_page.get(f"/jobs/{second.pk}/download/")
    assert errors["Content-Disposition"] == 'attachment; filename="shop-errors.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(errors.streaming_content).decode())))
    assert rows[0] == ["row", "column", "message"]
    assert rows[1][:2] == ["4", "email"]


def test_a_small_file_is_still_imported_in_the_request(manager_page):
    page = manager_page.post(
        "/customers/import/", {"file": upload("name\nAda\n"), "encoding": "utf-8"}
    )

    assert page.status_code == 200
    assert not Job.objects.exists()
    assert Customer.objects.get().name == "Ada"


def test_an_import_job_cut_short_resumes_after_the_last_saved_batch(manager, monkeypatch):
    """Killed after its first batch committed: rows with a name alone are not added twice."""
    monkeypatch.setattr(customer_jobs, "JOB_BATCH_SIZE", 2)
    text = "name\n" + "".join(f"Walk-in {number}\n" for number in range(5))
    customer_jobs.import_start(
        user=manager,
        file_name="walk-ins.csv",
        content=text.encode(),
        encoding="utf-8",
        columns="",
        dry_run=False,
        skip_existing=False,
    )

    class RunnerKilled(BaseException):
        pass

    def killed(self):
        raise RunnerKilled

    with monkeypatch.context() as during:
        during.setattr(job_runner.Progress, "rest", killed)
        with pytest.raises(RunnerKilled):
            jobs_run_pending()
    assert Customer.objects.count() == 2
    Job.objects.update(heartbeat_at=timezone.now() - STALE_AFTER - timezone.timedelta(seconds=1))

    jobs_run_pending()

    job = Job.objects.get()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert Customer.objects.count() == 5
    assert job.summary["resumedAfterRows"] == 2
    assert job.summary["created"] == 3


def test_a_file_the_job_cannot_read_fails_with_the_reason_on_its_page(manager_page):
    manager_page.post(
        "/customers/import/", {"file": upload("nom\na\nb\nc\nd\n"), "encoding": "utf-8"}
    )
    jobs_run_pending()

    job = Job.objects.get()
    page = manager_page.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == JobStatus.FAILED
    assert 'id="job-error"' in page
    assert "name" in job.error


def test_a_big_export_runs_as_a_job_and_the_file_is_the_export(manager_page):
    for number in range(5):
        CustomerFactory(name=f"Export {number}")

    started = manager_page.get("/customers/export/")
    job = Job.objects.get()
    assert started["Location"] == f"/jobs/{job.pk}/"
    jobs_run_pending()

    page = manager_page.get(started["Location"]).content.decode()
    assert "Exported 5 customers" in page
    download = manager_page.get(f"/jobs/{job.pk}/download/")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["name"] for row in rows) == [f"Export {number}" for number in range(5)]


def test_a_job_is_its_owners_alone(manager_page, manager):
    job = customer_jobs.export_start(user=UserFactory(), query=QueryDict())

    assert manager_page.get(f"/jobs/{job.pk}/").status_code == 404
    assert manager_page.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "No imports or exports yet" in manager_page.get("/jobs/").content.decode()


def test_the_api_queues_a_big_import_and_answers_202_then_the_job_tells_how_it_went(
    token_client,
):
    answer = token_client.post(
        "/api/customers/import",
        {"file": upload(), "dryRun": "false"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="import-1",
    )
    assert answer.status_code == 202
    job_url = answer["Location"]
    assert answer.json()["status"] == "queued"
    retry = token_client.post(
        "/api/customers/import",
        {"file": upload(), "dryRun": "false"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="import-1",
    )
    assert retry.json()["id"] == answer.json()["id"]

    jobs_run_pending()

    job = token_client.get(job_url).json()
    assert job["status"] == "done"
    assert job["summary"]["created"] == 4
    assert job["summary"]["errors"][0]["column"] == "email"
    errors = b"".join(token_client.get(job["resultUrl"]).streaming_content).decode()
    assert errors.splitlines()[1].startswith("4,email,")
    assert Customer.objects.count() == 4


def test_the_api_exports_any_size_by_post_and_refuses_a_big_get(token_client):
    for number in range(5):
        CustomerFactory(name=f"Api {number}")

    assert_problem(token_client.get("/api/customers/export"), 400)
    answer = token_client.post("/api/customers/export")
    assert answer.status_code == 202
    jobs_run_pending()

    job = token_client.get(answer["Location"]).json()
    assert job["summary"] == {"rows": 5}
    text = b"".join(token_client.get(job["resultUrl"]).streaming_content).decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 5


def test_a_cashier_cannot_start_or_read_a_job(cashier_client, manager):
    job = customer_jobs.export_start(user=manager, query=QueryDict())
    assert cashier_client.post("/api/customers/export").status_code == 403
    assert cashier_client.get(f"/api/jobs/{job.pk}").status_code in (403, 404)


def test_an_erasure_forgets_the_jobs_that_may_name_the_person(
    manager, manager_page, django_capture_on_commit_callbacks
):
    manager_page.post("/customers/import/", {"file": upload(), "encoding": "utf-8"})
    jobs_run_pending()
    job = Job.objects.get()
    path = job.result.path
    ada = Customer.objects.get(name="Ada One")

    with django_capture_on_commit_callbacks(execute=True):
        services.customer_anonymise(
            customer=ada, confirm="Ada One", actor=manager, channel=Channel.PAGE
        )

    assert not Job.objects.exists()
    assert not Path(path).exists()
