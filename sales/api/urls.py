"""The sales API: products, sales (checkout, refunds) and a customer's sales."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from sales.api.reports import SalesByStoreView
from sales.api.views import CustomerSalesView, ProductViewSet, SaleViewSet

router = OptionalSlashRouter()
router.register("products", ProductViewSet, basename="product")
router.register("sales", SaleViewSet, basename="sale")

urlpatterns = [
    re_path(
        r"^reports/sales-by-store/?$", SalesByStoreView.as_view(), name="report-sales-by-store"
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/sales/?$",
        CustomerSalesView.as_view(),
        name="customer-sales",
    ),
]
