"""``GET /api/reports/gift-card-liability``: what the shop owes on gift cards, by month of
issue and issuing store, from ``giftcards.reports`` (the page's and the CSV's figures)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from classicpos.api.serializers import ApiSerializer
from giftcards.models import GiftCard
from giftcards.permissions import VIEW_LIABILITY
from giftcards.reports import liability_report, month_label


class LiabilityRowSerializer(ApiSerializer):
    month = serializers.SerializerMethodField(help_text="The month the cards were issued: YYYY-MM.")
    store_id = serializers.IntegerField(
        allow_null=True, help_text="The issuing store; null for cards issued away from a till."
    )
    store_name = serializers.CharField()
    cards = serializers.IntegerField(help_text="Cards of the month and store that hold money.")
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)

    def get_month(self, row) -> str:
        return month_label(row)


class LiabilityTotalSerializer(ApiSerializer):
    cards = serializers.IntegerField()
    outstanding = serializers.DecimalField(max_digits=16, decimal_places=2)


class LiabilitySerializer(ApiSerializer):
    rows = LiabilityRowSerializer(many=True)
    total = LiabilityTotalSerializer(source="*", help_text="Every row's cards and outstanding.")


class GiftCardLiabilityView(generics.GenericAPIView):
    """The outstanding balance of cards that can still be spent (active or blocked)."""

    queryset = GiftCard.objects.none()
    serializer_class = LiabilitySerializer
    filter_backends = []
    pagination_class = None
    action_permissions = {"report": [VIEW_LIABILITY]}
    action = "report"

    @extend_schema(
        summary="Gift card liability (Manager): outstanding balances by month of issue and store",
        responses=LiabilitySerializer,
    )
    def get(self, request, format=None):
        return Response(LiabilitySerializer(liability_report()).data)
