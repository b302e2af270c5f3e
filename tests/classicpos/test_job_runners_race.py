"""Several runners at once (two hosts, a restart overlapping): every job runs exactly once.

Real threads with their own connections; on PostgreSQL they truly race on the
claim, on SQLite each claim's write waits for the last.
"""

import pytest

from classicpos.job_runner import job_start, jobs_run_pending
from classicpos.jobs import Job, JobStatus
from tests.classicpos.test_jobs import RUNS
from tests.factories import UserFactory
from tests.threads import run_together

JOBS = 12
RUNNERS = 4

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.CLASSICPOS_JOB_FILES_DIR = tmp_path
    settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT = 100


def test_racing_runners_run_each_job_once():
    user = UserFactory()
    queued = [
        job_start(kind="tests.echo", user=user, params={"say": str(n)}).pk for n in range(JOBS)
    ]
    RUNS.clear()

    ran, errors = run_together(lambda _index: jobs_run_pending(), threads=RUNNERS)

    assert errors == []
    assert sum(ran) == JOBS
    assert sorted(RUNS) == sorted(queued)
    assert set(Job.objects.values_list("status", "attempts")) == {(JobStatus.DONE, 1)}
