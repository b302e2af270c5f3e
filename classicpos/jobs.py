"""Background jobs: work too long for a request (a 50,000-row import, a full export).

A request that runs past the worker timeout is killed mid-way: an import stopped
at row 41,500, an export answered 200 with half its rows. Such work is queued
here instead, as a row the request writes, and ``manage.py run_jobs`` (started
beside the server by ``make run``; one per deployment) does it, saving its
progress as it goes; the page and the API read that row.

Why a table and not a task queue: a shop runs one server and maybe no Redis; a
row in the database every worker already shares is enough for a handful of jobs
a day, survives restarts, and is claimed by compare-and-set, so two runners never
run one job. A job whose runner stopped (its heartbeat is older than
``STALE_AFTER``) is taken up again, at most ``MAX_ATTEMPTS`` times; each kind
says how it resumes (an import goes on after the last batch it saved).

Each module registers the kinds it runs (``register_job_kind``, from its
``AppConfig.ready``); this module names none of them. A job's upload is kept
until the job ends, its result file and summary until ``CLASSICPOS_JOB_KEPT_HOURS``
have passed; both may hold personal data, so an erasure forgets them
(``jobs_forget_personal_data``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse

from classicpos.registry import Registry


def job_files():
    """The storage of finished jobs' files (a callable: the setting is read when used)."""
    return FileSystemStorage(location=settings.CLASSICPOS_JOB_FILES_DIR)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """One piece of background work a user asked for, and what came of it."""

    kind = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the runner as it works: older than STALE_AFTER, the runner has stopped.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    input_name = models.CharField(max_length=255, blank=True)
    # The uploaded file, in the database so any host's runner can read it; cleared at the end.
    input = models.BinaryField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(null=True, blank=True)
    result = models.FileField(storage=job_files, upload_to="%Y%m%d", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    # An API caller's Idempotency-Key: a retry of the request that queued the job gets it back.
    idempotency_key = models.CharField(max_length=255, blank=True)

    class Meta:
        db_table = "classicpos_jobs"
        indexes = [models.Index(fields=["status", "created_at"], name="job_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "kind", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="job_idempotency_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def label(self) -> str:
        return job_kind(self.kind).label


class JobFailed(Exception):
    """A job ended for a reason its user can act on: ``str()`` is said on its page."""

    def __init__(self, message: str, *, summary: dict | None = None):
        super().__init__(message)
        self.summary = summary


@dataclass
class JobResult:
    """What a finished job hands back: a summary for its page and API, maybe a file."""

    summary: dict = field(default_factory=dict)
    file_name: str = ""
    # The file's text, written to storage as it is produced (a big export never sits in memory).
    lines: Iterable[str] | None = None


@dataclass(frozen=True)
class JobKind:
    """A kind of job a module runs: ``run(job, progress)`` does it and returns a JobResult.

    ``progress(done, total)`` after every step keeps the heartbeat and the page's
    bar; ``progress.rest()`` after a step that wrote lets the tills through.
    ``template`` shows a finished job's summary on its page, with what
    ``page_context(job)`` adds; only users with ``permission`` start one (and
    each user sees only their own).
    """

    name: str
    label: str
    run: Callable
    permission: str
    template: str
    page_context: Callable | None = None
    personal_data: bool = True


_kinds: Registry[JobKind] = Registry("job kinds")


def register_job_kind(kind: JobKind) -> None:
    _kinds.register(kind)


def job_kind(name: str) -> JobKind:
    return _kinds[name]


def job_kinds() -> list[JobKind]:
    return list(_kinds)


def job_expiry_cutoff(now):
    return now - timedelta(hours=settings.CLASSICPOS_JOB_KEPT_HOURS)
