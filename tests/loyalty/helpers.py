"""Loyalty's own test checks; ringing up and refunding sales is ``tests.sales.helpers``."""

from django.db.models import Sum

from loyalty.models import LoyaltyTransaction


def assert_balance_matches_ledger(customer) -> None:
    customer.refresh_from_db()
    ledger = LoyaltyTransaction.objects.filter(customer=customer).aggregate(s=Sum("points"))["s"]
    assert customer.loyalty_points == (ledger or 0)
