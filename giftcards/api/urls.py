"""The gift card API."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from giftcards.api.reports import GiftCardLiabilityView
from giftcards.api.views import GiftCardViewSet

router = OptionalSlashRouter()
router.register("gift-cards", GiftCardViewSet, basename="gift-card")

urlpatterns = [
    re_path(
        r"^reports/gift-card-liability/?$",
        GiftCardLiabilityView.as_view(),
        name="report-gift-card-liability",
    ),
]
