from django.urls import path

from sales import report_views, views

app_name = "sales"

urlpatterns = [
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("sales/", views.SaleListView.as_view(), name="sale_list"),
    path("sales/<int:pk>/", views.SaleDetailView.as_view(), name="sale_detail"),
    path("sales/<int:pk>/refund/", views.RefundView.as_view(), name="refund"),
    path(
        "reports/sales-by-store/",
        report_views.SalesByStoreView.as_view(),
        name="sales_by_store",
    ),
    path("sales/approval-pin/", views.ApprovalPinView.as_view(), name="approval_pin"),
    path(
        "sales/<int:pk>/refund/preview/",
        views.RefundPreviewView.as_view(),
        name="refund_preview",
    ),
]
