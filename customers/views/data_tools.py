"""Staff pages of the data tools: import, export, likely duplicates, merge, anonymise.

Managers' tools for keeping the customer records clean, apart from the everyday
pages in ``customers.views.profile``; thin views over ``customers.services`` and
``customers.duplicates``.
"""

import io
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import get_text_list
from django.views import View
from django.views.generic import FormView, TemplateView

from classicpos.views import StaffPageMixin, errors_by_field
from customers import services
from customers.data_export import customer_data_download, download_response
from customers.duplicates import customer_duplicate_groups, customer_erasure, customer_merge_preview
from customers.exporting import export_response
from customers.extensions import merge_moves
from customers.forms import (
    CustomerAnonymiseForm,
    CustomerImportForm,
    CustomerListForm,
    CustomerMergeForm,
    DistinctCustomersForm,
)
from customers.import_report import column_for_page, mapping_for_page, update_for_page
from customers.import_uploads import (
    KEPT_FILE_GONE,
    checked_file_get,
    checked_file_keep,
    checked_file_take,
)
from customers.importing import (
    ImportFileError,
    customer_import,
    parse_column_map,
    write_error_report,
)
from customers.jobs import export_in_background, export_start, import_in_background, import_start
from customers.models import MERGEABLE_FIELDS, Customer
from customers.permissions import (
    ANONYMISE_CUSTOMER,
    EXPORT_CUSTOMER,
    IMPORT_CUSTOMER,
    MERGE_CUSTOMER,
)
from customers.selectors import customer_queryset
from customers.views.profile import change_by, list_filters

# The page lists this many of the customers an import updates; the API lists them all.
UPDATES_SHOWN = 200


class CustomerExportView(StaffPageMixin, View):
    """The list's "Export CSV": exactly the customers of the current search and filters."""

    permission_required = EXPORT_CUSTOMER

    def get(self, request):
        values = CustomerListForm(request.GET, user=request.user).values()
        customers = customer_queryset(filters=list_filters(values))
        if export_in_background(customers):
            return redirect(export_start(user=request.user, query=request.GET))
        return export_response(customers)


class CustomerDataExportView(StaffPageMixin, View):
    """ "Download data" on the customer page: everything held about them, JSON or a ZIP of CSVs.

    ``?format=zip`` for the ZIP. Each download is recorded in the customer's history.
    """

    permission_required = EXPORT_CUSTOMER

    def get(self, request, pk):
        customer = get_object_or_404(Customer, pk=pk)
        export = customer_data_download(customer=customer, **change_by(request))
        return download_response(customer, export, as_zip=request.GET.get("format") == "zip")


class CustomerImportView(StaffPageMixin, FormView):
    """Upload a CSV: check it (a dry run) or import it, and see every row's error.

    "Check the file" keeps the upload on the server under a token
    (``customers.import_uploads``: the Manager's own, for an hour) and the page
    carries the token, so "Import" imports the very bytes that were checked
    without the file being picked again; a browser cannot refill a file input,
    and a file re-picked could be another one. Importing takes the kept file, so
    a second post of the page imports nothing twice. A file picked anew replaces
    the kept one.
    """

    permission_required = IMPORT_CUSTOMER
    form_class = CustomerImportForm
    template_name = "customers/customer_import.html"

    def form_valid(self, form):
        dry_run = self.request.GET.get("check") == "1"
        data = form.cleaned_data
        user = self.request.user
        kept = None
        if data["file"]:
            file_name, content = data["file"].name, data["file"].read()
            if data["upload"]:
                checked_file_take(user=user, token=data["upload"])  # replaced: forget it now
        else:
            find = checked_file_get if dry_run else checked_file_take
            kept = find(user=user, token=data["upload"])
            if kept is None:
                form.add_error("file", KEPT_FILE_GONE)
                return self.form_invalid(form)
            file_name, content = kept.file_name, bytes(kept.content)
        if import_in_background(content, data["encoding"]):
            return self._in_background(form, kept, file_name, content, dry_run)
        try:
            report = customer_import(
                file=io.BytesIO(content),
                user=user,
                encoding=data["encoding"],
                column_map=parse_column_map(self._columns(data)),
                dry_run=dry_run,
                skip_existing=data["skip_existing"],
            )
        except ImportFileError as error:
            if kept is not None and not dry_run:
                # Taken for an import that could not start: keep it for the corrected try.
                kept = checked_file_keep(user=user, file_name=file_name, content=content)
                form.data = form.data.copy()
                form.data["upload"] = kept.token
            form.add_error("file" if "Map a column" not in str(error) else "columns", str(error))
            return self.form_invalid(form)
        if dry_run and kept is None:
            kept = checked_file_keep(user=user, file_name=file_name, content=content)
        if not dry_run:
            messages.success(
                self.request,
                f"Imported {file_name}: {report.created} added, {report.updated} updated.",
            )
        errors_csv = io.StringIO()
        write_error_report(report.errors, errors_csv)
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(
                    initial={**data, "file": None, "upload": kept.token if dry_run else ""}
                ),
                report=report,
                file_name=file_name,
                kept_file_name=file_name if dry_run else "",
                updates=[update_for_page(update) for update in report.updates[:UPDATES_SHOWN]],
                columns_read=[column_for_page(*column) for column in report.columns],
                mapping=mapping_for_page(report) if dry_run else None,
                error_report_href="data:text/csv;charset=utf-8," + quote(errors_csv.getvalue()),
            )
        )

    def _columns(self, data) -> str:
        """The columns option, then what the check's mapping chose for each column (``map``)."""
        chosen = self.request.POST.getlist("map")
        return ",".join(spec for spec in (data["columns"], *chosen) if spec)

    def _in_background(self, form, kept, file_name: str, content: bytes, dry_run: bool):
        """Queue a file too big for a request as a job, and show its page."""
        data = form.cleaned_data
        user = self.request.user
        try:
            parse_column_map(self._columns(data))
        except ImportFileError as error:
            if kept is not None and not dry_run:
                kept = checked_file_keep(user=user, file_name=file_name, content=content)
                form.data = form.data.copy()
                form.data["upload"] = kept.token
            form.add_error("columns", str(error))
            return self.form_invalid(form)
        if dry_run and kept is None:
            kept = checked_file_keep(user=user, file_name=file_name, content=content)
        job = import_start(
            user=user,
            file_name=file_name,
            content=content,
            encoding=data["encoding"],
            columns=self._columns(data),
            dry_run=dry_run,
            skip_existing=data["skip_existing"],
            upload=kept.token if dry_run else "",
        )
        return redirect(job)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        if form is not None and form.is_bound and "kept_file_name" not in kwargs:
            # A refused post that still carries a kept file: say which file it is.
            token = form.data.get("upload") or ""
            kept = checked_file_get(user=self.request.user, token=token) if token else None
            kwargs["kept_file_name"] = kept.file_name if kept else ""
        return super().get_context_data(
            updates_shown=UPDATES_SHOWN,
            background_rows=settings.CLASSICPOS_IMPORT_BACKGROUND_ROWS,
            **kwargs,
        )


def merged_moves(conjunction: str) -> str:
    """What a merge moves, in the merge steps' words: "sales, loyalty points and invoices".

    Each module names its own rows, so these pages name none of them.
    """
    return get_text_list(merge_moves(), conjunction)


class CustomerDuplicateListView(StaffPageMixin, TemplateView):
    """Customers who are likely one person: same email, same phone, similar names at one address."""

    permission_required = MERGE_CUSTOMER
    template_name = "customers/customer_duplicates.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            groups=customer_duplicate_groups(), merge_moves=merged_moves("and"), **kwargs
        )


class CustomerMergeView(StaffPageMixin, FormView):
    """Merge two customers: choose the survivor and each field's value, review, confirm.

    ``/customers/<first>/merge/?duplicate=<second>``. The review step shows what
    will move; only the confirmed post merges.
    """

    permission_required = MERGE_CUSTOMER
    form_class = CustomerMergeForm
    template_name = "customers/customer_merge.html"

    def _load(self) -> bool:
        """Look both customers up (after the login and permission checks); say if usable."""
        self.first = get_object_or_404(Customer, pk=self.kwargs["pk"])
        other = self.request.POST.get("duplicate") or self.request.GET.get("duplicate") or ""
        self.second = get_object_or_404(Customer, pk=int(other)) if other.isdecimal() else None
        if self.second is None or self.second.pk == self.first.pk:
            messages.error(self.request, "Choose two different customers to merge.")
            return False
        return True

    def get(self, request, *args, **kwargs):
        if not self._load():
            return redirect("customers:duplicate_list")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self._load():
            return redirect("customers:duplicate_list")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "first": self.first, "second": self.second}

    def form_valid(self, form):
        arguments = form.merge_arguments()
        if self.request.GET.get("back") == "1":
            return self.render_to_response(self.get_context_data(form=form))
        if "confirmed" not in self.request.POST:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    review=True,
                    survivor=arguments["survivor"],
                    duplicate=arguments["duplicate"],
                    result=[
                        (
                            form.fields[name].label if name in form.fields else name.capitalize(),
                            CustomerMergeForm.display(
                                arguments[arguments["fields"].get(name, "survivor")], name
                            ),
                        )
                        for name in MERGEABLE_FIELDS
                    ],
                    moves=customer_merge_preview(customer=arguments["duplicate"]),
                )
            )
        try:
            survivor = services.customer_merge(**arguments, **change_by(self.request))
        except ValidationError as error:
            # A merge step may refuse on the service's own argument (duplicate_id: what
            # the two owe together), which the page has no field for: said above the form.
            for field, errors in errors_by_field(error).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Merged customer #{arguments['duplicate'].pk} into {survivor.name}; "
            "its history is here now.",
        )
        return redirect(survivor)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            first=self.first,
            second=self.second,
            merge_moves=merged_moves("and"),
            nothing_to_move=merged_moves("or"),
            **kwargs,
        )


class CustomerAnonymiseView(StaffPageMixin, FormView):
    """Erase a customer's personal data on request, after typing their name."""

    permission_required = ANONYMISE_CUSTOMER
    form_class = CustomerAnonymiseForm
    template_name = "customers/customer_confirm_anonymise.html"

    def get(self, request, *args, **kwargs):
        # Looked up after the login and permission checks: no id is confirmed to strangers.
        self.customer = get_object_or_404(Customer, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.customer = get_object_or_404(Customer, pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            customer = services.customer_anonymise(
                customer=self.customer,
                confirm=form.cleaned_data["confirm"],
                **change_by(self.request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Erased the personal data of customer #{customer.pk}. Their sales and invoices stay.",
        )
        return redirect(customer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            customer=self.customer, erasure=customer_erasure(self.customer), **kwargs
        )


class CustomerMarkDistinctView(StaffPageMixin, View):
    """ "Not the same person" on the Duplicates page: the pair leaves it, remembered.

    ``POST /customers/<pk>/not-duplicate/`` with ``other``: a household that shares
    a phone is no longer offered for merging.
    """

    permission_required = MERGE_CUSTOMER

    def post(self, request, pk):
        customer = get_object_or_404(Customer, pk=pk)
        form = DistinctCustomersForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose two different customers.")
            return redirect("customers:duplicate_list")
        other = get_object_or_404(Customer, pk=form.cleaned_data["other"])
        try:
            services.customer_mark_distinct(customer=customer, other=other, **change_by(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("customers:duplicate_list")
        messages.success(
            request,
            f"{customer.name} and {other.name} are kept apart: "
            "they will not be offered as duplicates again.",
        )
        return redirect("customers:duplicate_list")
