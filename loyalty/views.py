"""The Manager's points adjustment from the customer page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from classicpos.views import StaffPageMixin
from customers.models import Customer
from loyalty import services


class AdjustPointsView(StaffPageMixin, View):
    permission_required = "loyalty.adjust_points"

    def post(self, request, pk):
        customer = get_object_or_404(Customer, pk=pk)
        raw = request.POST.get("points", "").strip()
        points = int(raw) if raw.lstrip("-").isdigit() else 0
        try:
            row = services.points_adjust(
                customer=customer,
                points=points,
                reason=request.POST.get("reason", ""),
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(customer)
        messages.success(
            request,
            f"Adjusted {customer.name}'s points by {row.points:+d}; balance {row.balance_after}.",
        )
        return redirect(customer)
