"""The job runner: one runner per job, a stopped runner's job taken up again, files forgotten."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from classicpos import job_runner
from classicpos.job_runner import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    Progress,
    job_claim_next,
    job_start,
    jobs_purge,
    jobs_run_pending,
)
from classicpos.jobs import Job, JobFailed, JobKind, JobResult, JobStatus, register_job_kind

pytestmark = pytest.mark.django_db

RUNS = []


def _echo(job, progress):
    """A test kind: says what it was given, fails when asked to."""
    RUNS.append(job.pk)
    progress(1, 2)
    if job.params.get("fail") == "user":
        raise JobFailed("The file has no header.")
    if job.params.get("fail") == "bug":
        raise RuntimeError("boom")
    progress(2, 2)
    return JobResult(
        summary={"said": job.params["say"]}, file_name="echo.txt", lines=[job.params["say"], "!"]
    )


register_job_kind(
    JobKind(
        name="tests.echo",
        label="Echo",
        run=_echo,
        permission="customers.view_customer",
        template="customers/_export_job.html",
    )
)


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.CLASSICPOS_JOB_FILES_DIR = tmp_path
    settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT = 100


def test_a_job_runs_once_and_keeps_its_summary_and_file(manager):
    job = job_start(kind="tests.echo", user=manager, params={"say": "hello"})

    assert jobs_run_pending() == 1
    assert jobs_run_pending() == 0

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.summary, job.done, job.total, job.attempts) == ({"said": "hello"}, 2, 2, 1)
    assert job.result_name == "echo.txt"
    assert job.result.read() == b"hello!"
    assert job.input is None


def test_two_runners_never_take_the_same_job(manager):
    job = job_start(kind="tests.echo", user=manager, params={"say": "x"})

    assert job_claim_next().pk == job.pk
    assert job_claim_next() is None


def test_a_job_whose_runner_stopped_is_taken_up_again_and_given_up_after_three_tries(manager):
    job = job_start(kind="tests.echo", user=manager, params={"say": "x"})
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claimed = job_claim_next()
        assert (claimed.pk, claimed.attempts) == (job.pk, attempt)
        assert job_claim_next() is None  # its heartbeat is fresh: the runner is alive
        Job.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - STALE_AFTER - timedelta(seconds=1)
        )

    assert job_claim_next() is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped during this job 3 times" in job.error


def test_a_failing_job_says_why_and_a_bug_is_logged_not_shown(manager, caplog):
    told = job_start(kind="tests.echo", user=manager, params={"fail": "user"})
    bug = job_start(kind="tests.echo", user=manager, params={"fail": "bug"})

    jobs_run_pending()

    told.refresh_from_db()
    bug.refresh_from_db()
    assert (told.status, told.error) == (JobStatus.FAILED, "The file has no header.")
    assert bug.status == JobStatus.FAILED
    assert "boom" not in bug.error
    assert "server's log" in bug.error
    assert "boom" in caplog.text


def test_finished_jobs_and_their_files_are_purged_after_they_expire(
    manager, settings, django_capture_on_commit_callbacks
):
    old = job_start(kind="tests.echo", user=manager, params={"say": "old"})
    jobs_run_pending()
    old.refresh_from_db()
    path = old.result.path
    Job.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - timedelta(hours=settings.CLASSICPOS_JOB_KEPT_HOURS, seconds=1)
    )
    waiting = job_start(kind="tests.echo", user=manager, params={"say": "new"})

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_purge() == 1

    assert list(Job.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert not Path(path).exists()


def test_an_api_retry_gets_the_job_its_key_queued(manager):
    first = job_start(kind="tests.echo", user=manager, params={"say": "x"}, idempotency_key="k1")
    again = job_start(kind="tests.echo", user=manager, params={"say": "x"}, idempotency_key="k1")
    other = job_start(kind="tests.echo", user=manager, params={"say": "x"}, idempotency_key="k2")

    assert again.pk == first.pk
    assert other.pk != first.pk


def test_rest_holds_the_write_lock_at_most_the_set_share_of_the_time(
    manager, settings, monkeypatch
):
    settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT = 5
    slept = []
    clock = iter([100.0, 100.02, 100.02])
    monkeypatch.setattr(job_runner.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(job_runner.time, "sleep", slept.append)
    progress = Progress(job_start(kind="tests.echo", user=manager, params={}))

    progress.rest()  # a batch that took 20 ms

    assert slept == [pytest.approx(0.38)]  # 20 ms of 400: 5 %


def test_run_jobs_once_runs_what_is_waiting(manager, capsys):
    job_start(kind="tests.echo", user=manager, params={"say": "x"})

    call_command("run_jobs", "--once")

    assert "Ran 1 job." in capsys.readouterr().out
    assert Job.objects.get().status == JobStatus.DONE
