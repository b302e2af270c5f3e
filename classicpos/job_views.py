"""The pages of background jobs: one job's progress and result, and the user's recent jobs.

A job's page polls itself (htmx, every second) while the job runs, and then
shows what its kind's template makes of the result. Each user sees only the jobs
they started, and only while they still hold the kind's permission.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from classicpos.jobs import Job, JobStatus, job_kind
from classicpos.views import StaffPageMixin

# A job still waiting after this long says the runner may not be running.
RUNNER_LATE = timedelta(seconds=10)
RECENT_JOBS = 20


class JobAccessMixin(StaffPageMixin):
    """Any logged-in staff user may ask; ``get_job`` lets them see only their own jobs."""

    def has_permission(self) -> bool:
        return self.request.user.is_authenticated and self.request.user.is_active

    def get_job(self) -> Job:
        job = get_object_or_404(Job, pk=self.kwargs["pk"], requested_by=self.request.user)
        if not self.request.user.has_perm(job_kind(job.kind).permission):
            raise PermissionDenied
        return job


class JobDetailView(JobAccessMixin, DetailView):
    template_name = "classicpos/job_detail.html"
    context_object_name = "job"

    def get_object(self, queryset=None) -> Job:
        return self.get_job()

    def get_template_names(self):
        if self.request.htmx:
            return ["classicpos/_job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        job = self.object
        kind = job_kind(job.kind)
        extra = kind.page_context(job) if kind.page_context and job.finished else {}
        return super().get_context_data(
            kind=kind,
            runner_late=job.status == JobStatus.QUEUED
            and timezone.now() - job.created_at > RUNNER_LATE,
            **extra,
            **kwargs,
        )


class JobDownloadView(JobAccessMixin, View):
    """The finished job's file (an export, an error report), as an attachment."""

    def get(self, request, pk):
        job = self.get_job()
        if job.status != JobStatus.DONE or not job.result:
            raise Http404("This job has no file.")
        try:
            handle = job.result.open("rb")
        except FileNotFoundError:
            raise Http404("The job's file is gone.") from None
        return FileResponse(handle, as_attachment=True, filename=job.result_name)


class JobListView(JobAccessMixin, ListView):
    """The user's recent jobs, newest first: where a Manager finds an export again."""

    template_name = "classicpos/job_list.html"
    context_object_name = "jobs"

    def get_queryset(self):
        return Job.objects.filter(requested_by=self.request.user).defer("input", "summary")[
            :RECENT_JOBS
        ]
