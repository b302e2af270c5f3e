from django.urls import path

from accounting import payment_views, views

app_name = "accounting"

urlpatterns = [
    path("invoices/", views.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path(
        "invoices/<int:pk>/payments/",
        payment_views.InvoicePaymentView.as_view(),
        name="invoice_payment",
    ),
    path(
        "invoices/<int:pk>/payments/<int:payment_pk>/reversal/",
        payment_views.PaymentReversalView.as_view(),
        name="payment_reversal",
    ),
    path("customers/<int:pk>/statement/", views.StatementView.as_view(), name="statement"),
    path("customers/<int:pk>/credit-limit/", views.CreditLimitView.as_view(), name="credit_limit"),
    path(
        "customers/<int:pk>/store-credit/adjust/",
        views.StoreCreditAdjustView.as_view(),
        name="store_credit_adjust",
    ),
]
