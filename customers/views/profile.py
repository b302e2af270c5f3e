"""The customer's everyday pages: the list, a customer's page, the form, deactivate and restore.

Thin views over the customer services and selectors; the timeline is in
``customers.views.timeline``, the Managers' data tools in ``customers.views.data_tools``.
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django_htmx.http import push_url

from classicpos.api.pagination import CappedPaginator
from classicpos.id_lists import count_rows
from classicpos.redirects import safe_next
from classicpos.views import ForgivingPaginationMixin, StaffPageMixin, query_without_page
from customers import services, validators
from customers.alerts import ALERT_HEADINGS, customer_alert
from customers.duplicates import customer_erasure, merged_into
from customers.forms import (
    PAGE_SIZES,
    CustomerForm,
    CustomerListForm,
    DuplicateConfirmationForm,
    DuplicateQueryForm,
)
from customers.home_stores import store_of_device
from customers.models import Channel, Customer
from customers.panels import customer_page_panels, page_summary
from customers.permissions import (
    ADD_CUSTOMER,
    CHANGE_CUSTOMER,
    DEACTIVATE_CUSTOMER,
    EXPORT_CUSTOMER,
    TAG_CUSTOMER,
    VIEW_CUSTOMER,
)
from customers.selectors import (
    PAGE_DEFAULT_STATUS,
    CustomerListFilters,
    customer_duplicates_to_confirm,
    customer_find_duplicates,
    customer_list,
)

# key, header, numeric, first click sorts descending
SORT_COLUMNS = (
    ("name", "Name", False, False),
    ("loyaltyPoints", "Points", True, True),
    ("createdAt", "Added", False, True),
)


def sort_columns(query, current: str) -> list[dict]:
    """Return each sortable header's link (toggling direction) and its aria-sort state."""
    columns = []
    for key, label, numeric, descending_first in SORT_COLUMNS:
        if current == key:
            state, next_ordering, icon = "ascending", f"-{key}", "bi-sort-up-alt"
        elif current == f"-{key}":
            state, next_ordering, icon = "descending", key, "bi-sort-down"
        else:
            state, icon = "none", ""
            next_ordering = f"-{key}" if descending_first else key
        link = query.copy()
        link.pop("page", None)
        link["ordering"] = next_ordering
        columns.append(
            {
                "label": label,
                "numeric": numeric,
                "aria_sort": state,
                "icon": icon,
                "query": link.urlencode(),
            }
        )
    return columns


def list_filters(values: dict) -> CustomerListFilters:
    """Return the selector's filters from the list form's values (the page and its export)."""
    return CustomerListFilters(
        search=values["search"],
        status=values["status"],
        ordering=values["ordering"],
        min_points=values["min_points"],
        segments=values["segments"],
    )


class CustomerListView(StaffPageMixin, ForgivingPaginationMixin, ListView):
    permission_required = VIEW_CUSTOMER
    # Counts stop at 10,000 ("10,000+ customers"): an exact count of a million rows
    # would cost more than the page itself.
    paginator_class = CappedPaginator
    # A search names someone; paging through the base is the export's (a Manager's).
    bulk_read_permission = EXPORT_CUSTOMER
    bulk_read_name = "customers"
    template_name = "customers/customer_list.html"
    context_object_name = "customers"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "customer-results":
            return ["customers/_customer_results.html"]
        return [self.template_name]

    def get_queryset(self):
        self.filter_form = CustomerListForm(self.request.GET, user=self.request.user)
        self.values = self.filter_form.values()
        self.filters = list_filters(self.values)
        return customer_list(filters=self.filters)

    def inactive_matches(self, page) -> int:
        """Return how many inactive customers the active list hides.

        Asked only when the active list came back empty, so a cashier who searched for
        a deactivated customer learns they exist (and a Manager can restore them).
        """
        if page.paginator.count or self.filters.status != "active":
            return 0
        return count_rows(customer_list(filters=replace(self.filters, status="inactive")))

    def get_paginate_by(self, queryset):
        return self.values["page_size"]

    def get_context_data(self, **kwargs):
        values = self.values
        context = super().get_context_data(
            form=self.filter_form,
            values=values,
            page_sizes=PAGE_SIZES,
            sort_columns=sort_columns(self.request.GET, values["ordering"]),
            query_without_page=query_without_page(self.request),
            filtered=bool(values["search"] or values["segments"])
            or values["min_points"] is not None
            or values["status"] != PAGE_DEFAULT_STATUS,
            segments_open=bool(values["segments"]) or values["min_points"] is not None,
            can_deactivate=self.request.user.has_perm(DEACTIVATE_CUSTOMER),
            **kwargs,
        )
        inactive_matches = self.inactive_matches(context["page_obj"])
        if inactive_matches:
            query = self.request.GET.copy()
            query.pop("page", None)
            query["status"] = "inactive"
            context.update(inactive_matches=inactive_matches, inactive_query=query.urlencode())
        return context


class CustomerDetailView(StaffPageMixin, DetailView):
    permission_required = VIEW_CUSTOMER
    model = Customer
    template_name = "customers/customer_detail.html"
    context_object_name = "customer"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        survivor_id = merged_into(self.object)
        if survivor_id is not None:
            # A merged duplicate's page is the survivor's now.
            messages.info(request, f"Customer #{self.object.pk} was merged into this customer.")
            return redirect("customers:detail", pk=survivor_id)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        # Each panel's context once: the panels below and the summary at the top read it.
        shown = customer_page_panels(self.object, self.request)
        alert = customer_alert(self.object)
        return super().get_context_data(
            alert=alert,
            alert_heading=ALERT_HEADINGS[alert["level"]] if alert else "",
            can_deactivate=self.request.user.has_perm(DEACTIVATE_CUSTOMER),
            erasure=customer_erasure(self.object),
            panels=shown,
            summary=page_summary(self.object, shown),
            **kwargs,
        )


def change_by(request) -> dict:
    """Return who changes a customer from these pages, as the services record it."""
    return {"actor": request.user, "channel": Channel.PAGE}


class CustomerFormView(StaffPageMixin, FormView):
    """Add (no ``pk``) or edit a customer: one form, one template, the service's rules."""

    form_class = CustomerForm
    template_name = "customers/customer_form.html"

    def get_permission_required(self):
        return [CHANGE_CUSTOMER if "pk" in self.kwargs else ADD_CUSTOMER]

    @cached_property
    def customer(self) -> Customer | None:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Customer, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    @cached_property
    def store_of_device(self):
        """The store of the till this page is used at: a new customer's home store."""
        return store_of_device(self.request)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "can_tag": self.request.user.has_perm(TAG_CUSTOMER)}

    def get_initial(self):
        if self.customer is None:
            return {
                "name": self.request.GET.get("name", ""),
                "home_store": self.store_of_device,
            }
        customer = self.customer
        return {
            "home_store": customer.home_store_id,
            "name": customer.name,
            "email": customer.email or "",
            "phone": customer.phone_display,
            "address": customer.address or "",
            "birthday": customer.birthday.isoformat() if customer.birthday else "",
            "preferred_contact": customer.preferred_contact,
            "email_consent": customer.email_consent,
            "sms_consent": customer.sms_consent,
            "note": customer.note or "",
            "note_alert": customer.note_alert or "",
            "tags": ", ".join(tag.name for tag in customer.tags.all()),
        }

    def form_valid(self, form):
        try:
            services.customer_check(customer=self.customer, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # Someone else has this phone: show who, and save only once the user says so.
        to_confirm = customer_duplicates_to_confirm(
            name=form.cleaned_data.get("name") or "",
            phone=form.cleaned_data.get("phone") or "",
            customer=self.customer,
        )
        if to_confirm and not DuplicateConfirmationForm(self.request.POST).confirms(to_confirm):
            return self.render_to_response(
                self.get_context_data(form=form, duplicates_to_confirm=to_confirm)
            )
        try:
            if self.customer is None:
                data = {"home_store": self.store_of_device, **form.cleaned_data}
                customer = services.customer_create(**data, **change_by(self.request))
                messages.success(self.request, f"Added {customer.name}.")
            else:
                customer = services.customer_update(
                    customer=self.customer, data=form.cleaned_data, **change_by(self.request)
                )
                messages.success(self.request, f"Saved {customer.name}.")
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(customer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(customer=self.customer, **kwargs)
        form = context["form"]
        if not form.is_bound:
            return context
        form.focus_first_error()
        # The "possible duplicates" panel is filled again after a submit, not left empty.
        context["duplicates"] = customer_find_duplicates(
            name=form.data.get("name", ""),
            email=form.data.get("email", ""),
            phone=form.data.get("phone", ""),
            exclude_id=self.customer.pk if self.customer else None,
        )
        to_confirm = context.get("duplicates_to_confirm")
        if to_confirm:
            # The question gets the focus; Name keeps what was typed.
            form.fields["name"].widget.attrs.pop("autofocus", None)
            ids = ",".join(str(item.customer.pk) for item in to_confirm)
            context["confirmation"] = DuplicateConfirmationForm(
                initial={"confirmed_duplicates": ids}
            )
        else:
            # A confirmation already given survives a field error on the same submit.
            context["confirmation"] = DuplicateConfirmationForm(self.request.POST)
        if "email" in form.errors:
            # Link to the customer who already has this email (and restore them if inactive):
            # the model's own rule, not the duplicate finder's list, which leaves out
            # customers decided apart from this one and keeps only its first few.
            try:
                email = validators.normalize_email(form.data.get("email", ""))
            except ValidationError:
                email = None
            asking = Customer(pk=self.customer.pk if self.customer else None, email=email)
            context["email_owner"] = asking.find_email_owner()
        return context


class CustomerDuplicatesView(StaffPageMixin, View):
    """The "possible duplicates" panel the form asks for while the cashier types."""

    permission_required = VIEW_CUSTOMER

    def get(self, request):
        values = DuplicateQueryForm(request.GET).values()
        duplicates = customer_find_duplicates(
            name=values.get("name", ""),
            email=values.get("email", ""),
            phone=values.get("phone", ""),
            exclude_id=values.get("exclude"),
        )
        response = render(request, "customers/_duplicates.html", {"duplicates": duplicates})
        # The check answers a fragment: it must never become the page's address, whatever
        # hx-push-url the form around it has (a late answer once pushed it over the saved
        # customer's page, and Reload then showed the bare fragment).
        return push_url(response, False)


class CustomerDeactivateView(StaffPageMixin, DetailView):
    """GET: the confirmation page (the no-JavaScript path). POST: deactivate."""

    permission_required = DEACTIVATE_CUSTOMER
    model = Customer
    context_object_name = "customer"
    template_name = "customers/customer_confirm_deactivate.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=safe_next(self.request, ""), **kwargs)

    def post(self, request, pk):
        customer = services.customer_deactivate(
            customer=get_object_or_404(Customer, pk=pk), **change_by(request)
        )
        messages.success(
            request, f"Deactivated {customer.name}. Their history is kept; restore them any time."
        )
        return redirect(safe_next(request, customer.get_absolute_url()))


class CustomerRestoreView(StaffPageMixin, View):
    permission_required = DEACTIVATE_CUSTOMER

    def post(self, request, pk):
        customer = services.customer_restore(
            customer=get_object_or_404(Customer, pk=pk), **change_by(request)
        )
        messages.success(request, f"Restored {customer.name}.")
        return redirect(safe_next(request, customer.get_absolute_url()))
