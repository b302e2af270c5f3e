"""``/api/jobs``: a caller's background jobs (``classicpos.jobs``) — progress, summary, file.

An endpoint that queues a job answers ``202 Accepted`` with the job and its URL
in ``Location``; the caller polls ``GET /api/jobs/{id}`` until ``status`` is
``done`` or ``failed``, then fetches ``resultUrl`` when the job made a file.
"""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from classicpos.api.permissions import IsStaff
from classicpos.api.renderers import CsvRenderer
from classicpos.api.serializers import ApiModelSerializer
from classicpos.jobs import Job, JobStatus, job_kind


class JobSerializer(ApiModelSerializer):
    summary = serializers.JSONField(
        read_only=True, help_text="What the job did (an import's report, an export's row count)."
    )
    result_url = serializers.SerializerMethodField(
        method_name="get_result_url", help_text="The job's file, once it is done."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "done",
            "total",
            "created_at",
            "started_at",
            "finished_at",
            "summary",
            "error",
            "result_url",
        ]
        read_only_fields = fields

    def get_result_url(self, job: Job) -> str | None:
        if job.status != JobStatus.DONE or not job.result:
            return None
        return reverse("job-result", kwargs={"pk": job.pk}, request=self.context.get("request"))


def accepted(request, job: Job) -> Response:
    """The answer of an endpoint that queued ``job``: 202, the job, and where to poll."""
    body = JobSerializer(job, context={"request": request}).data
    location = reverse("job-detail", kwargs={"pk": job.pk}, request=request)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@extend_schema(tags=["jobs"])
class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own jobs, newest first; another user's job is not found."""

    serializer_class = JobSerializer
    permission_classes = [IsStaff]
    filterset_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built without a user
            return Job.objects.none()
        return Job.objects.filter(requested_by=self.request.user).order_by("-created_at", "-pk")

    def get_object(self) -> Job:
        job = super().get_object()
        if not self.request.user.has_perm(job_kind(job.kind).permission):
            raise exceptions.PermissionDenied()
        return job

    @extend_schema(
        summary="The file a finished job made (an export, an import's error report)",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="result",
        renderer_classes=[CsvRenderer, renderers.JSONRenderer],
    )
    def result(self, request, pk=None, format=None):
        job = self.get_object()
        if job.status != JobStatus.DONE or not job.result:
            raise exceptions.NotFound("This job has no file (yet).")
        try:
            handle = job.result.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound("The job's file has expired.") from None
        return FileResponse(handle, as_attachment=True, filename=job.result_name)
