"""The messaging API: the outbox (Managers) and a sale's receipt by email."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from messaging.api.views import MessageViewSet, SaleEmailReceiptView

router = OptionalSlashRouter()
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [
    re_path(
        r"^sales/(?P<pk>\d+)/email-receipt/?$",
        SaleEmailReceiptView.as_view(),
        name="sale-email-receipt",
    ),
]
