"""The loyalty API: the ledger, a customer's points, adjustments and the program."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from loyalty.api.reports import PointsLiabilityView
from loyalty.api.tiers import CustomerTierView, TierTableView
from loyalty.api.views import (
    CustomerLoyaltyAdjustmentView,
    CustomerLoyaltyView,
    LoyaltyProgramView,
    LoyaltyTransactionViewSet,
)

router = OptionalSlashRouter()
router.register("loyalty-transactions", LoyaltyTransactionViewSet, basename="loyalty-transaction")

urlpatterns = [
    re_path(r"^loyalty-program/?$", LoyaltyProgramView.as_view(), name="loyalty-program"),
    re_path(r"^loyalty/tiers/?$", TierTableView.as_view(), name="loyalty-tiers"),
    re_path(
        r"^reports/points-liability/?$",
        PointsLiabilityView.as_view(),
        name="report-points-liability",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/tier/?$",
        CustomerTierView.as_view(),
        name="customer-tier",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/loyalty/?$",
        CustomerLoyaltyView.as_view(),
        name="customer-loyalty",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/loyalty-adjustments/?$",
        CustomerLoyaltyAdjustmentView.as_view(),
        name="customer-loyalty-adjustments",
    ),
]
