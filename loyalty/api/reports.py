"""``GET /api/reports/points-liability``: the points the shop owes, from ``loyalty.liability``
(the page's and the CSV's figures)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from classicpos.api.serializers import ApiSerializer
from loyalty.liability import points_liability
from loyalty.models import PointsLot
from loyalty.permissions import VIEW_LIABILITY


def _worth():
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Face value: what the points would pay."
    )


class TierRowSerializer(ApiSerializer):
    tier = serializers.CharField(source="key", allow_null=True, help_text="null: no tier.")
    points = serializers.IntegerField()
    worth = _worth()


class MonthRowSerializer(ApiSerializer):
    month = serializers.CharField(source="key", help_text="The month earned: YYYY-MM.")
    points = serializers.IntegerField()
    worth = _worth()


class ExpiringRowSerializer(ApiSerializer):
    within_days = serializers.IntegerField(
        source="key", help_text="Expiring within this many days (30, 60, 90), those due included."
    )
    points = serializers.IntegerField()
    worth = _worth()


class PointsLiabilitySerializer(ApiSerializer):
    as_of = serializers.DateField()
    points = serializers.IntegerField(help_text="Points held (a balance below zero owes none).")
    worth = _worth()
    by_tier = TierRowSerializer(many=True)
    by_month_earned = MonthRowSerializer(many=True)
    expiring = ExpiringRowSerializer(many=True)


class PointsLiabilityView(generics.GenericAPIView):
    """The points customers hold and their worth, by tier, month earned and expiry."""

    queryset = PointsLot.objects.none()
    serializer_class = PointsLiabilitySerializer
    filter_backends = []
    pagination_class = None
    action_permissions = {"report": [VIEW_LIABILITY]}
    action = "report"

    @extend_schema(
        summary="Points liability (Manager): points held and their worth by tier, month, expiry",
        responses=PointsLiabilitySerializer,
    )
    def get(self, request, format=None):
        return Response(PointsLiabilitySerializer(points_liability()).data)
