"""Everything under ``/api/``; every route works with or without a trailing slash."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from classicpos.api.views import ObtainTokenView, api_not_found
from customers.api.views import CustomerViewSet
from loyalty.api.views import (
    CustomerLoyaltyAdjustmentView,
    CustomerLoyaltyView,
    LoyaltyProgramView,
    LoyaltyTransactionViewSet,
)
from sales.api.views import CustomerSalesView, ProductViewSet, SaleViewSet


class OptionalSlashRouter(DefaultRouter):
    """A router whose routes match ``/api/customers`` and ``/api/customers/`` alike."""

    include_root_view = True

    def __init__(self):
        super().__init__()
        # The constructor only knows "/" or ""; the regex "/?" accepts both.
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("products", ProductViewSet, basename="product")
router.register("sales", SaleViewSet, basename="sale")
router.register("loyalty-transactions", LoyaltyTransactionViewSet, basename="loyalty-transaction")

urlpatterns = [
    path("auth/token", ObtainTokenView.as_view(), name="api-token"),
    path("auth/token/", ObtainTokenView.as_view()),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^loyalty-program/?$", LoyaltyProgramView.as_view(), name="loyalty-program"),
    re_path(
        r"^customers/(?P<customer_id>\d+)/sales/?$",
        CustomerSalesView.as_view(),
        name="customer-sales",
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
    *router.urls,
    # Last: any other /api/ path is a problem document, even with DEBUG on.
    re_path(r"^.*$", api_not_found),
]
