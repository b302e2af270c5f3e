"""Queue, claim, run and forget background jobs (``classicpos.jobs``); the only writers of Job.

``job_start`` is what a page or the API calls; ``jobs_run_pending`` is what
``manage.py run_jobs`` (and a test) calls. Claiming is a compare-and-set on the
status and attempt count, so two runners never take one job, on SQLite as on
PostgreSQL, without holding a lock while the job runs.
"""

import logging
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from classicpos.jobs import Job, JobFailed, JobStatus, job_expiry_cutoff, job_kind, job_kinds

logger = logging.getLogger(__name__)

# A running job's runner writes its heartbeat at least this often while it works ...
HEARTBEAT_EVERY = timedelta(seconds=2)
# ... so one silent for this long has stopped (killed, crashed, its host gone).
STALE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 3
STOPPED_TOO_OFTEN = (
    "The job runner stopped during this job {attempts} times; it was not started again. "
    "Start it anew, and tell whoever runs the server."
)
UNEXPECTED = "An unexpected error stopped the job (it is in the server's log)."


def job_start(
    *,
    kind: str,
    user,
    params: dict,
    input_name: str = "",
    input=None,
    idempotency_key: str = "",
) -> Job:
    """Queue a job of ``kind`` for ``user``; the runner takes it up within a second or two.

    With an ``idempotency_key`` (an API retry's), the job that key already queued
    is returned instead of a second one: two retries racing meet at the unique
    constraint, and the loser reads the winner's job.
    """
    job_kind(kind)
    same_request = Job.objects.filter(kind=kind, requested_by=user, idempotency_key=idempotency_key)
    if idempotency_key and (earlier := same_request.first()) is not None:
        return earlier
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind,
                requested_by=user,
                params=params,
                input_name=input_name[:255],
                input=input,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return same_request.get()


def _claimable(now):
    return Job.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).order_by("created_at", "pk")


def job_claim_next() -> Job | None:
    """Take the oldest waiting job (or one whose runner stopped) and return it, or None."""
    now = timezone.now()
    for candidate in _claimable(now)[:10]:
        if candidate.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=candidate.pk, status=candidate.status).update(
                status=JobStatus.FAILED,
                finished_at=now,
                input=None,
                error=STOPPED_TOO_OFTEN.format(attempts=candidate.attempts),
            )
            continue
        taken = Job.objects.filter(
            pk=candidate.pk, status=candidate.status, attempts=candidate.attempts
        ).update(
            status=JobStatus.RUNNING,
            attempts=candidate.attempts + 1,
            started_at=now,
            heartbeat_at=now,
        )
        if taken:
            return Job.objects.get(pk=candidate.pk)
    return None


class Progress:
    """Handed to a job's ``run``: says how far it is, and rests so the tills get through.

    ``rest()`` after a batch that wrote sleeps long enough that the job holds the
    database's write lock for at most ``CLASSICPOS_JOB_WRITE_SHARE_PERCENT`` of the
    time: on SQLite a sale waits for a batch only if it arrives during one, so at
    5 % nineteen sales in twenty never wait. On PostgreSQL (50 %) it leaves the tills CPU.
    """

    def __init__(self, job: Job):
        self.job = job
        self.written_at = None
        self.step_started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = timezone.now()
        self.job.done, self.job.total = done, total
        if self.written_at is None or now - self.written_at >= HEARTBEAT_EVERY or done >= total:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total, heartbeat_at=now)
            self.written_at = now

    def rest(self) -> None:
        share = settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT / 100
        worked = time.monotonic() - self.step_started
        if share < 1:
            time.sleep(worked * (1 / share - 1))
        self.step_started = time.monotonic()

    def saved(self, done: int) -> None:
        """Inside a batch's transaction: the job resumes after this row if its runner stops."""
        Job.objects.filter(pk=self.job.pk).update(done=done)


def _finish(job: Job, status: str, **values) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now(), input=None, **values
    )


def _store(job: Job, file_name: str, lines) -> str:
    """Write a result's text to the job files; return its name in the storage."""
    with tempfile.TemporaryFile(mode="w+b") as spool:
        for line in lines:
            spool.write(line.encode())
        spool.seek(0)
        return Job.result.field.storage.save(
            f"{timezone.now():%Y%m%d}/job-{job.pk}-{file_name}", File(spool)
        )


def job_run(job: Job) -> None:
    """Run a claimed job to its end and record how it ended; never raises."""
    kind = job_kind(job.kind)
    try:
        result = kind.run(job, Progress(job))
        stored = _store(job, result.file_name, result.lines) if result.lines is not None else ""
    except JobFailed as failure:
        _finish(job, JobStatus.FAILED, error=str(failure), summary=failure.summary)
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=UNEXPECTED)
        return
    _finish(
        job,
        JobStatus.DONE,
        summary=result.summary,
        result=stored,
        result_name=result.file_name if stored else "",
        done=job.total or job.done,
    )


def jobs_run_pending(*, limit: int | None = None) -> int:
    """Run waiting jobs one after another until none is left (or ``limit``); return how many."""
    ran = 0
    while limit is None or ran < limit:
        job = job_claim_next()
        if job is None:
            break
        job_run(job)
        ran += 1
    return ran


def _delete_files(jobs) -> None:
    """Delete the jobs' files once the transaction deleting their rows has committed."""
    storage = Job.result.field.storage
    names = list(jobs.exclude(result="").values_list("result", flat=True))

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def jobs_purge() -> int:
    """Delete finished jobs older than ``CLASSICPOS_JOB_KEPT_HOURS``, files too; return how many."""
    expired = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED],
        finished_at__lt=job_expiry_cutoff(timezone.now()),
    )
    _delete_files(expired)
    deleted, _per_model = expired.delete()
    return deleted


@transaction.atomic
def jobs_forget_personal_data() -> int:
    """For an erasure: delete every finished job whose upload, file or summary may name people.

    Reading each file for the person (in whatever format a row wrote a phone) is
    no sure way to find them; the Manager runs an export again. A job still
    running is left to finish: its result is the state after the erasure only if
    it started after it, which the Manager can see from its time.
    """
    kinds = [kind.name for kind in job_kinds() if kind.personal_data]
    finished = Job.objects.filter(kind__in=kinds, status__in=[JobStatus.DONE, JobStatus.FAILED])
    _delete_files(finished)
    queued = Job.objects.filter(kind__in=kinds, status=JobStatus.QUEUED)
    queued.update(
        input=None,
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error="Cancelled by an erasure of a customer's data: start it again.",
    )
    deleted, _per_model = finished.delete()
    return deleted
