"""CRM staff pages: thin views over the CRM services and selectors.

Forms collect input, services decide; a refusal (a Cashier marking a lead lost,
converting onto an inactive customer) becomes a message beside the field and a
toast. The inline activity forms post with htmx and get their section back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from classicpos.api.pagination import CappedPaginator
from classicpos.redirects import safe_next
from classicpos.views import StaffPageMixin, page_cursors, query_without_page
from crm import services
from crm.forms import (
    PAGE_SIZE,
    ActivityForm,
    ContactListForm,
    LeadForm,
    LeadListForm,
    TaskListForm,
)
from crm.models import OPEN_STATUSES, Activity, Lead
from crm.panels import crm_panel_context
from crm.permissions import (
    ADD_ACTIVITY,
    ADD_LEAD,
    CHANGE_ACTIVITY,
    CHANGE_LEAD,
    CONVERT_LEAD,
    VIEW_ACTIVITY,
    VIEW_LEAD,
)
from crm.selectors import (
    ContactKind,
    ContactListFilters,
    LeadListFilters,
    contact_list,
    lead_activities,
    lead_conversion_plan,
    lead_list,
    lead_pipeline,
    task_list,
)
from crm.services import CrmPermissionDenied
from customers.models import Customer
from customers.permissions import VIEW_CUSTOMER

RECENT_ACTIVITIES = 20


def plan_sentence(lead: Lead, plan) -> str:
    """Say in one sentence what converting will do, before anyone confirms it."""
    if plan.refusal:
        return plan.refusal
    if plan.customer is None:
        return (
            f"No customer has this email or phone, so a new customer {lead.name} "
            "will be created with the lead's name, email and phone."
        )
    text = (
        f"{plan.customer.name} (customer #{plan.customer.pk}) has the {plan.reason}, "
        "so the lead will be linked to them; no new customer is created."
    )
    if plan.restore:
        text += f" {plan.customer.name} is inactive and will be restored."
    return text


class CrmPageMixin(StaffPageMixin):
    """Every CRM page: the section's tabs know which one is current."""

    crm_tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(crm_tab=self.crm_tab, **kwargs)


# --- leads ------------------------------------------------------------------------------


class LeadListView(CrmPageMixin, TemplateView):
    permission_required = VIEW_LEAD
    template_name = "crm/lead_list.html"
    crm_tab = "leads"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "lead-results":
            return ["crm/_lead_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        form = LeadListForm(self.request.GET)
        values = form.values()
        leads = lead_list(
            filters=LeadListFilters(
                search=values["search"],
                status=values["status"],
                owner_id=self.request.user.pk if values["owner"] == "me" else None,
            )
        )
        page = Paginator(leads, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            values=values,
            page_obj=page,
            leads=page.object_list,
            query_without_page=query_without_page(self.request),
            filtered=any(values.values()),
            **kwargs,
        )


class LeadBoardView(CrmPageMixin, TemplateView):
    """The pipeline: one column per status."""

    permission_required = VIEW_LEAD
    template_name = "crm/lead_board.html"
    crm_tab = "board"

    def get_context_data(self, **kwargs):
        mine = self.request.GET.get("owner") == "me"
        return super().get_context_data(
            columns=lead_pipeline(owner_id=self.request.user.pk if mine else None),
            mine=mine,
            open_statuses=[status.value for status in OPEN_STATUSES],
            **kwargs,
        )


class LeadDetailView(CrmPageMixin, TemplateView):
    permission_required = VIEW_LEAD
    template_name = "crm/lead_detail.html"
    crm_tab = "leads"

    def get_context_data(self, **kwargs):
        lead = get_object_or_404(Lead.objects.select_related("owner", "customer"), pk=kwargs["pk"])
        plan = lead_conversion_plan(lead=lead, user=self.request.user)
        return super().get_context_data(
            lead=lead,
            plan=plan,
            plan_sentence=plan_sentence(lead, plan),
            **activity_section_context(
                activities=list(lead_activities(lead=lead)[:RECENT_ACTIVITIES]),
                post_url=reverse("crm:lead_activity_create", args=[lead.pk]),
                section_id="lead-activities",
                show_form=not lead.is_converted,
            ),
            **kwargs,
        )


class LeadFormView(CrmPageMixin, FormView):
    """Add (no ``pk``) or edit a lead: one form, one template, the service's rules."""

    form_class = LeadForm
    template_name = "crm/lead_form.html"
    crm_tab = "leads"

    def get_permission_required(self):
        return [CHANGE_LEAD if "pk" in self.kwargs else ADD_LEAD]

    @cached_property
    def lead(self) -> Lead | None:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Lead, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, *args, **kwargs):
        if self.lead is not None and self.lead.is_converted:
            messages.info(request, f"{self.lead.name} is a customer now; edit the customer.")
            return redirect(self.lead.customer)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "lead": self.lead}

    def get_initial(self):
        if self.lead is None:
            return {"owner": self.request.user, "name": self.request.GET.get("name", "")}
        lead = self.lead
        return {
            "name": lead.name,
            "company": lead.company,
            "email": lead.email or "",
            "phone": lead.phone_display,
            "source": lead.source,
            "status": lead.status,
            "owner": lead.owner,
            "notes": lead.notes,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.lead is None:
                lead = services.lead_create(user=self.request.user, **data)
                messages.success(self.request, f"Added lead {lead.name}.")
            else:
                lead = services.lead_update(lead=self.lead, user=self.request.user, data=data)
                messages.success(self.request, f"Saved {lead.name}.")
        except CrmPermissionDenied as refusal:
            form.add_error(refusal.field, refusal.message)
            messages.error(self.request, refusal.message)
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(lead)

    def get_context_data(self, **kwargs):
        return super().get_context_data(lead=self.lead, **kwargs)


class LeadStatusView(CrmPageMixin, View):
    """Move a lead to another status from the pipeline board (one click)."""

    permission_required = CHANGE_LEAD

    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        fallback = reverse("crm:lead_board")
        new_status = request.POST.get("status", "")
        try:
            lead = services.lead_update(lead=lead, user=request.user, data={"status": new_status})
        except (CrmPermissionDenied, ValidationError) as error:
            for message in getattr(error, "messages", None) or [error.message]:
                messages.error(request, message)
        else:
            messages.success(request, f"{lead.name} is now {lead.get_status_display().lower()}.")
        return redirect(safe_next(request, fallback))


class LeadConvertView(CrmPageMixin, TemplateView):
    """GET: the confirmation page (the no-JavaScript path) saying what will happen. POST: do it."""

    permission_required = CONVERT_LEAD
    template_name = "crm/lead_confirm_convert.html"
    crm_tab = "leads"

    def get_context_data(self, **kwargs):
        lead = get_object_or_404(Lead, pk=kwargs["pk"])
        plan = lead_conversion_plan(lead=lead, user=self.request.user)
        return super().get_context_data(
            lead=lead, plan=plan, plan_sentence=plan_sentence(lead, plan), **kwargs
        )

    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        try:
            result = services.lead_convert(lead=lead, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(lead)
        customer = result.customer
        if result.created:
            messages.success(request, f"Converted {lead.name}: added customer {customer.name}.")
        else:
            messages.success(
                request, f"Converted {lead.name}: linked to existing customer {customer.name}."
            )
        return redirect(customer)


# --- contacts ---------------------------------------------------------------------------


class ContactListView(CrmPageMixin, TemplateView):
    """Customers and leads in one searchable list, a badge saying which is which."""

    permission_required = (VIEW_LEAD, VIEW_CUSTOMER)
    template_name = "crm/contact_list.html"
    crm_tab = "contacts"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "contact-results":
            return ["crm/_contact_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        form = ContactListForm(self.request.GET)
        values = form.values()
        contacts = contact_list(
            filters=ContactListFilters(search=values["search"], kind=values["kind"])
        )
        # Customers and leads together run to a million rows: the count stops at 10,000.
        paginator = CappedPaginator(contacts, PAGE_SIZE, **page_cursors(self.request))
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            values=values,
            page_obj=page,
            contacts=page.object_list,
            query_without_page=query_without_page(self.request),
            filtered=bool(values["search"]) or values["kind"] != ContactKind.ALL,
            **kwargs,
        )


# --- activities and tasks ---------------------------------------------------------------


def activity_section_context(
    *, activities, post_url: str, section_id: str, form=None, show_form=True
) -> dict:
    return {
        "activities": activities,
        "activity_form": form or ActivityForm(),
        "activity_post_url": post_url,
        "section_id": section_id,
        "show_activity_form": show_form,
    }


class TaskListView(CrmPageMixin, TemplateView):
    """Open tasks by due date, overdue ones first and in red; done with one click."""

    permission_required = VIEW_ACTIVITY
    template_name = "crm/task_list.html"
    crm_tab = "tasks"

    def get_context_data(self, **kwargs):
        values = TaskListForm(self.request.GET).values()
        tasks = task_list(author_id=self.request.user.pk if values["who"] == "me" else None)
        page = Paginator(tasks, PAGE_SIZE * 2).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            values=values,
            page_obj=page,
            tasks=page.object_list,
            query_without_page=query_without_page(self.request),
            **kwargs,
        )


class ActivityCreateView(StaffPageMixin, View):
    """Log an activity from the customer's CRM panel or a lead's page (htmx, or a plain post)."""

    permission_required = ADD_ACTIVITY

    def post(self, request, customer_pk=None, lead_pk=None):
        customer = get_object_or_404(Customer, pk=customer_pk) if customer_pk else None
        lead = get_object_or_404(Lead, pk=lead_pk) if lead_pk else None
        form = ActivityForm(request.POST)
        activity = None
        if form.is_valid():
            try:
                activity = services.activity_create(
                    author=request.user, customer=customer, lead=lead, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
        if activity is not None:
            messages.success(request, f"Saved {activity.get_kind_display().lower()}.")
            form = ActivityForm()
        contact_url = (customer or lead).get_absolute_url()
        if not request.htmx:
            if activity is None:
                for field_errors in form.errors.values():
                    for message in field_errors:
                        messages.error(request, message)
            return redirect(contact_url)
        if customer is not None:
            context = crm_panel_context(customer, request, form=form)
            return render(
                request,
                "crm/_activity_section.html",
                {"customer": customer, **context, "oob_toasts": True, "focus_form": True},
            )
        return render(
            request,
            "crm/_activity_section.html",
            {
                "lead": lead,
                **activity_section_context(
                    activities=list(lead_activities(lead=lead)[:RECENT_ACTIVITIES]),
                    post_url=reverse("crm:lead_activity_create", args=[lead.pk]),
                    section_id="lead-activities",
                    form=form,
                ),
                "oob_toasts": True,
                "focus_form": True,
            },
        )


class ActivityDoneView(StaffPageMixin, View):
    """Mark a task done with one click; htmx gets the updated row back."""

    permission_required = CHANGE_ACTIVITY

    def post(self, request, pk):
        activity = get_object_or_404(Activity, pk=pk)
        try:
            activity = services.activity_complete(activity=activity)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Done: {activity.subject}.")
        if not request.htmx:
            return redirect(safe_next(request, reverse("crm:tasks")))
        activity = Activity.objects.select_related("author", "customer", "lead").get(pk=pk)
        return render(
            request,
            "crm/_activity_item.html",
            {
                "activity": activity,
                "show_contact": request.POST.get("show_contact") == "1",
                "oob_toasts": True,
            },
        )
