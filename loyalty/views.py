"""The Manager's points adjustment from the customer page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views.generic import FormView
from django_htmx.http import HttpResponseClientRedirect

from classicpos.views import StaffPageMixin
from customers.models import Customer
from loyalty import services
from loyalty.forms import AdjustPointsForm, SetTierForm
from loyalty.panels import loyalty_panel_context
from loyalty.permissions import ADJUST_POINTS, SET_TIER
from loyalty.tiers import tier_set
from stores.devices import device_till


class AdjustPointsView(StaffPageMixin, FormView):
    """POST only: the form lives in a modal on the customer page.

    From the modal (htmx) a refused adjustment comes back as the same form with the
    messages beside its fields; a saved one reloads the customer page, which shows
    the new balance and a toast. Without JavaScript, every outcome is a toast there.
    """

    permission_required = ADJUST_POINTS
    form_class = AdjustPointsForm
    http_method_names = ["post"]
    panel_template_name = "loyalty/_loyalty_panel.html"

    @cached_property
    def customer(self) -> Customer:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Customer, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        if self.request.htmx:
            # The page picks the form out of the panel (hx-select) and swaps it in place.
            context = {"customer": self.customer, "adjust_form": form}
            context.update(loyalty_panel_context(self.customer, self.request))
            return TemplateResponse(self.request, self.panel_template_name, context)
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, message)
        return redirect(self.customer)

    def form_valid(self, form):
        customer = self.customer
        try:
            row = services.points_adjust(
                customer=customer,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                till=device_till(self.request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Adjusted {customer.name}'s points by {row.points:+d}; balance {row.balance_after}.",
        )
        if self.request.htmx:
            return HttpResponseClientRedirect(customer.get_absolute_url())
        return redirect(customer)


class SetTierView(StaffPageMixin, FormView):
    """POST only, from the Loyalty panel: a Manager's tier; every outcome is a toast there."""

    permission_required = SET_TIER
    form_class = SetTierForm
    http_method_names = ["post"]

    @cached_property
    def customer(self) -> Customer:
        return get_object_or_404(Customer, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, message)
        return redirect(self.customer)

    def form_valid(self, form):
        values = form.cleaned_data
        try:
            state = tier_set(
                customer=self.customer,
                tier=values["tier"].strip() or None,
                reason=values["reason"],
                until=values["until"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        tier = state.tier.name if state and state.tier else "no tier"
        messages.success(self.request, f"{self.customer.name}'s tier: {tier}.")
        return redirect(self.customer)
