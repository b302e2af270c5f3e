"""Big customer imports, checks and exports as background jobs (``classicpos.jobs``).

A file of more than ``CLASSICPOS_IMPORT_BACKGROUND_ROWS`` rows, or an export of
more than ``CLASSICPOS_EXPORT_BACKGROUND_ROWS`` customers, is not done in the
request, where the worker timeout cut a 50,000-row import at row 41,500 and an
export at half its rows: the page (or the API) queues a job and shows its
progress, and the Manager downloads the result. The work is the same functions
the request uses (``customer_import``, ``customer_export_rows``), so the report
and the file are the same.

An import job writes in small batches and rests after each
(``Progress.rest``): on SQLite a till's sale waits for the one write lock only if
it arrives during a batch. It records in each batch's own transaction how far it
saved, so a job whose runner was killed resumes after the last saved row and
adds nobody twice.
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from classicpos.job_runner import job_start
from classicpos.jobs import Job, JobFailed, JobKind, JobResult, register_job_kind
from customers.exporting import csv_lines, customer_export_rows
from customers.import_file import ImportFileError, count_rows, parse_column_map
from customers.import_report import (
    ImportStopped,
    column_for_page,
    mapping_for_page,
    report_from_dict,
    update_for_page,
    write_error_report,
)
from customers.importing import customer_import
from customers.permissions import EXPORT_CUSTOMER, IMPORT_CUSTOMER

IMPORT = "customers.import"
EXPORT = "customers.export"
# A batch short enough that a sale arriving during it waits only milliseconds.
JOB_BATCH_SIZE = 100
EXPORT_PROGRESS_EVERY = 2000
# The job's page lists this many updates and errors; the error report has them all.
SHOWN_ON_PAGE = 200


def import_in_background(content: bytes, encoding: str) -> bool:
    """Say whether a file is big enough to be imported (or checked) by a job."""
    try:
        rows = count_rows(io.BytesIO(content), encoding=encoding)
    except ImportFileError:
        return False  # the request says what is wrong with it, at once
    return rows > settings.CLASSICPOS_IMPORT_BACKGROUND_ROWS


def import_start(
    *,
    user,
    file_name: str,
    content: bytes,
    encoding: str,
    columns: str,
    dry_run: bool,
    skip_existing: bool,
    upload: str = "",
    source: str = "",
    idempotency_key: str = "",
) -> Job:
    """Queue an import (or, ``dry_run``, a check) of ``content``; ``upload``: its kept token."""
    return job_start(
        kind=IMPORT,
        user=user,
        input_name=file_name,
        input=content,
        idempotency_key=idempotency_key,
        params={
            "encoding": encoding,
            "columns": columns,
            "dryRun": dry_run,
            "skipExisting": skip_existing,
            "upload": upload,
            "source": source,
        },
    )


def _run_import(job: Job, progress) -> JobResult:
    params = job.params
    dry_run = params["dryRun"]
    # A real import saved ``job.done`` rows in the batches that committed: go on after them.
    start_after = 0 if dry_run else job.done

    def after_batch(done: int, total: int) -> None:
        progress(done, total)
        progress.rest()

    try:
        report = customer_import(
            file=io.BytesIO(bytes(job.input)),
            user=job.requested_by,
            encoding=params["encoding"],
            column_map=parse_column_map(params["columns"]),
            dry_run=dry_run,
            skip_existing=params["skipExisting"],
            progress=after_batch,
            saved=None if dry_run else progress.saved,
            start_after=start_after,
            batch_size=JOB_BATCH_SIZE,
            source_name=params.get("source", ""),
        )
    except ImportFileError as error:
        raise JobFailed(str(error)) from None
    except ImportStopped as stopped:
        raise JobFailed(
            f"An unexpected error stopped the import in the batch starting at row "
            f"{stopped.first_row}: nothing of that batch was saved, rows before it were. "
            "Import the same file again to finish: rows already imported are left unchanged.",
            summary=stopped.report.as_dict(),
        ) from stopped
    summary = report.as_dict()
    summary["resumedAfterRows"] = start_after
    if not report.errors:
        return JobResult(summary=summary)
    errors = io.StringIO()
    write_error_report(report.errors, errors)
    return JobResult(
        summary=summary,
        file_name=f"{PurePath(job.input_name).stem or 'customers'}-errors.csv",
        lines=[errors.getvalue()],
    )


def _import_page(job: Job) -> dict:
    """What the job's page shows of a finished import: the report, as the import page does."""
    if not job.summary or "created" not in job.summary:
        return {}
    report = report_from_dict(job.summary)
    return {
        "report": report,
        "file_name": job.input_name,
        "updates": [update_for_page(update) for update in report.updates[:SHOWN_ON_PAGE]],
        "columns_read": [column_for_page(*column) for column in report.columns],
        "mapping": mapping_for_page(report) if report.dry_run else None,
        "errors_shown": report.errors[:SHOWN_ON_PAGE],
        "shown_on_page": SHOWN_ON_PAGE,
        "resumed_after": job.summary.get("resumedAfterRows", 0),
        "upload": job.params.get("upload", ""),
        "import_params": job.params,
    }


def export_in_background(queryset) -> bool:
    """Say whether an export of ``queryset`` is big enough to be made by a job."""
    limit = settings.CLASSICPOS_EXPORT_BACKGROUND_ROWS
    return queryset[: limit + 1].count() > limit


def export_start(*, user, query: QueryDict, api: bool = False, idempotency_key: str = "") -> Job:
    """Queue an export of the customers ``query`` chooses: the list page's or (``api``) the API's.

    The query is kept as it came and read again by the job with the same form or
    filter set the request would have used, so the file is the request's own.
    """
    return job_start(
        kind=EXPORT,
        user=user,
        params={"query": query.urlencode(), "api": api},
        idempotency_key=idempotency_key,
    )


def _exported(job: Job):
    # Imported here: the list's form and filter sets belong to the page and the API.
    from customers.api.filters import CustomerFilterSet
    from customers.forms import CustomerListForm
    from customers.models import Customer
    from customers.selectors import customer_queryset
    from customers.views.profile import list_filters

    query = QueryDict(job.params["query"])
    if job.params.get("api"):
        return CustomerFilterSet(query, queryset=Customer.objects.all()).qs
    form = CustomerListForm(query, user=job.requested_by)
    return customer_queryset(filters=list_filters(form.values()))


def _run_export(job: Job, progress) -> JobResult:
    queryset = _exported(job)
    total = queryset.count()
    summary = {"rows": 0}
    progress(0, total)

    def rows():
        for number, row in enumerate(customer_export_rows(queryset)):
            if number and number % EXPORT_PROGRESS_EVERY == 0:
                progress(number, total)
            yield row
            summary["rows"] = number  # the header is row 0: this counts customers
        progress(summary["rows"], summary["rows"])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # ``summary`` is filled in as the file is written, before the job is marked done.
    return JobResult(summary=summary, file_name=f"customers-{stamp}.csv", lines=csv_lines(rows()))


def register() -> None:
    register_job_kind(
        JobKind(
            name=IMPORT,
            label="Customer import",
            run=_run_import,
            permission=IMPORT_CUSTOMER,
            template="customers/_import_job.html",
            page_context=_import_page,
        )
    )
    register_job_kind(
        JobKind(
            name=EXPORT,
            label="Customer export",
            run=_run_export,
            permission=EXPORT_CUSTOMER,
            template="customers/_export_job.html",
        )
    )
