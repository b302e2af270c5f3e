"""The accounting API: invoices and their payments, a customer's account, store credit
and statement."""

from django.urls import re_path

from accounting.api.reversal_views import InvoicePaymentReversalView
from accounting.api.views import (
    CustomerAccountView,
    CustomerStatementView,
    CustomerStoreCreditAdjustmentView,
    CustomerStoreCreditView,
    InvoiceViewSet,
)
from classicpos.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")

urlpatterns = [
    re_path(
        r"^invoices/(?P<invoice_id>\d+)/payments/(?P<payment_id>\d+)/reversal/?$",
        InvoicePaymentReversalView.as_view(),
        name="invoice-payment-reversal",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/account/?$",
        CustomerAccountView.as_view(),
        name="customer-account",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/store-credit/?$",
        CustomerStoreCreditView.as_view(),
        name="customer-store-credit",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/store-credit-adjustments/?$",
        CustomerStoreCreditAdjustmentView.as_view(),
        name="customer-store-credit-adjustments",
    ),
    re_path(
        r"^customers/(?P<customer_id>\d+)/statement/?$",
        CustomerStatementView.as_view(),
        name="customer-statement",
    ),
]
