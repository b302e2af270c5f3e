"""The Manager's points adjustment from the customer page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from classicpos.views import StaffPageMixin
from customers.models import Customer
from loyalty import services
from loyalty.forms import AdjustPointsForm
from loyalty.permissions import ADJUST_POINTS


class AdjustPointsView(StaffPageMixin, FormView):
    """POST only: the form lives in a modal on the customer page, which shows the outcome."""

    permission_required = ADJUST_POINTS
    form_class = AdjustPointsForm
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.customer = get_object_or_404(Customer, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
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
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(customer)
        messages.success(
            self.request,
            f"Adjusted {customer.name}'s points by {row.points:+d}; balance {row.balance_after}.",
        )
        return redirect(customer)
