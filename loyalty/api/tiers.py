"""Tier endpoints: the program's tier table and a Manager's tier for one customer.

``GET/POST /api/loyalty/tiers`` and ``POST /api/customers/:id/tier``; the rules are
``loyalty.tier_table`` and ``loyalty.tiers``, these only adapt JSON to them.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from classicpos.api.fields import AmountField
from classicpos.api.idempotency import run_idempotently
from classicpos.api.permissions import IsStaff
from classicpos.api.serializers import ApiSerializer, StrictInputMixin
from customers.models import Customer
from customers.validators import NAME_PATTERN
from loyalty.customer_facts import CustomerTierSerializer, customer_tier_json
from loyalty.models import LoyaltyTier, TierChange
from loyalty.permissions import CHANGE_TIERS, SET_TIER
from loyalty.tier_table import (
    MAX_MULTIPLIER,
    MAX_TIERS,
    MAX_WINDOW_MONTHS,
    NAME_MAX_LENGTH,
    TierInput,
    tier_table,
    tiers_replace,
)
from loyalty.tiers import tier_set

# What the service takes, stated in the schema: a multiplier from 1 to 10, two decimals.
MULTIPLIER_PATTERN = r"^(?:10(?:\.0{0,2})?|0*[1-9](?:\.\d{0,2})?)$"


class TierSerializer(StrictInputMixin, ApiSerializer):
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH, trim_whitespace=False, help_text="Shown at the till."
    )
    qualifying_spend = AmountField(
        positive=True,
        help_text="Money paid (net of refunds) over the window that reaches the tier.",
    )
    multiplier = AmountField(
        max_digits=4, help_text=f"Points earned are multiplied by this: 1 to {MAX_MULTIPLIER}."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_override(
            self.fields["multiplier"],
            "field",
            {"type": "string", "format": "decimal", "pattern": MULTIPLIER_PATTERN},
        )
        set_override(
            self.fields["name"],
            "field",
            {"type": "string", "maxLength": NAME_MAX_LENGTH, "pattern": NAME_PATTERN},
        )


class TierMovesSerializer(ApiSerializer):
    up = serializers.IntegerField(
        help_text="Customers the table moves up (or across to a tier replacing theirs) at their "
        "next sale, refund or the daily job."
    )
    down = serializers.IntegerField(
        help_text="Customers it moves down after the grace period, if their spend stays below."
    )


class TierTableSerializer(ApiSerializer):
    window_months = serializers.IntegerField()
    grace_days = serializers.IntegerField(
        help_text="Days a customer keeps a tier once their spend fell below it."
    )
    results = TierSerializer(many=True, source="tiers", help_text="Lowest first.")
    moves = TierMovesSerializer(
        help_text="What a POST's table moves (nothing moves until each customer's recompute)."
    )
    saved = serializers.BooleanField(help_text="false for a dry run.")


class TierTableInputSerializer(StrictInputMixin, ApiSerializer):
    """The whole table: tiers kept by name, new ones added, those left out retired."""

    tiers = TierSerializer(many=True, max_length=MAX_TIERS)
    window_months = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_WINDOW_MONTHS
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="true: say how many customers the table would move; save nothing."
    )


def _table_json(table) -> dict:
    return TierTableSerializer(
        {
            "tiers": table.tiers,
            "window_months": table.window_months,
            "grace_days": settings.CLASSICPOS_LOYALTY_TIER_GRACE_DAYS,
            "moves": table.moves,
            "saved": table.saved,
        }
    ).data


class TierTableView(generics.GenericAPIView):
    """``GET /api/loyalty/tiers`` (staff) and ``POST`` (Managers: the whole table)."""

    queryset = LoyaltyTier.objects.none()
    serializer_class = TierTableInputSerializer
    permission_classes = [IsStaff]

    @extend_schema(summary="The loyalty tiers, lowest first", responses=TierTableSerializer)
    def get(self, request):
        return Response(_table_json(tier_table()))

    @extend_schema(
        summary="Replace the tier table, or see what it would move (Manager)",
        request=TierTableInputSerializer,
        responses=TierTableSerializer,
    )
    def post(self, request):
        if not request.user.has_perm(CHANGE_TIERS):
            raise PermissionDenied()
        return run_idempotently(request, lambda: self._replace(request))

    def _replace(self, request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        table = tiers_replace(
            tiers=[
                TierInput(tier["name"], tier["qualifying_spend"], tier["multiplier"])
                for tier in values["tiers"]
            ],
            window_months=values.get("window_months"),
            dry_run=values["dry_run"],
        )
        return Response(_table_json(table))


class CustomerTierInputSerializer(StrictInputMixin, ApiSerializer):
    tier = serializers.CharField(
        allow_null=True, help_text="A tier's name, or null to give way to the computed tier."
    )
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)
    until = serializers.DateField(
        required=False, allow_null=True, help_text="The last day it holds (after today)."
    )


class CustomerTierView(generics.GenericAPIView):
    """``POST /api/customers/:id/tier``: a Manager sets a customer's tier by hand."""

    queryset = TierChange.objects.none()
    serializer_class = CustomerTierInputSerializer
    action_permissions = {"create": [SET_TIER]}
    action = "create"

    @extend_schema(
        summary="Set a customer's tier by hand, or clear it (Manager; honours Idempotency-Key)",
        request=CustomerTierInputSerializer,
        responses=CustomerTierSerializer(allow_null=True),
    )
    def post(self, request, customer_id: int):
        return run_idempotently(request, lambda: self._set(request, customer_id))

    def _set(self, request, customer_id: int) -> Response:
        customer = get_object_or_404(Customer, pk=customer_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tier_set(customer=customer, user=request.user, **serializer.validated_data)
        return Response(customer_tier_json(customer=customer))
