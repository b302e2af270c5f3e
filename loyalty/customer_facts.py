"""Loyalty's keys in one customer's JSON: ``tier`` and ``pointsExpiring``.

Registered into ``customers.api.facts`` (customers names no module). The same
dicts answer ``POST /api/customers/:id/tier``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from classicpos.api.serializers import ApiSerializer
from customers.api.facts import CustomerFacts, register_customer_facts
from loyalty.selectors import customer_tier_state, points_expiring


class CustomerTierSerializer(ApiSerializer):
    name = serializers.CharField()
    multiplier = serializers.DecimalField(max_digits=4, decimal_places=2)
    since = serializers.DateTimeField()
    valid_until = serializers.DateField(
        allow_null=True,
        help_text="A tier set by hand: its last day. Otherwise the day a lower tier applies "
        "when the customer's spend has fallen below this one (null: not falling).",
    )
    manual = serializers.BooleanField(help_text="Set by a Manager, not by the spend.")


def customer_tier_json(*, customer) -> dict | None:
    """Return ``{"name", "multiplier", "since", "validUntil", "manual"}``, or None (one query)."""
    state = customer_tier_state(customer=customer)
    if state is None or state.tier is None:
        return None
    return CustomerTierSerializer(
        {
            "name": state.tier.name,
            "multiplier": state.tier.multiplier,
            "since": state.since,
            "valid_until": state.manual_until if state.manual else state.downgrade_on,
            "manual": state.manual,
        }
    ).data


class PointsExpiringSerializer(ApiSerializer):
    points = serializers.IntegerField(help_text="Points held now that expire on the day.")
    on = serializers.DateField(help_text="The day they expire unless spent first.")


def points_expiring_json(*, customer) -> list[dict]:
    """Return ``[{"points", "on"}]``, soonest first; empty when none expire (one query)."""
    return PointsExpiringSerializer(
        [{"points": points, "on": day} for day, points in points_expiring(customer=customer)],
        many=True,
    ).data


@extend_schema_field(PointsExpiringSerializer(many=True))
class PointsExpiringField(serializers.Field):
    """The customer's points that will expire, by day (read-only)."""


@extend_schema_field(CustomerTierSerializer(allow_null=True))
class TierField(serializers.Field):
    """The customer's tier, read-only (``POST /api/customers/:id/tier`` sets one)."""


def _api(*, customer) -> dict:
    return {
        "tier": customer_tier_json(customer=customer),
        "pointsExpiring": points_expiring_json(customer=customer),
    }


def _fields() -> dict:
    return {
        "tier": TierField(read_only=True, allow_null=True),
        "points_expiring": PointsExpiringField(read_only=True),
    }


def connect() -> None:
    register_customer_facts(CustomerFacts(name="loyalty", api=_api, fields=_fields))
