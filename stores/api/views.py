"""``/api/stores`` and ``/api/tills``: thin adapters to ``stores.services``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from classicpos.api.idempotency import IdempotentCreateMixin
from stores import services
from stores.api.serializers import StoreSerializer, StoreStaffSerializer, TillSerializer
from stores.models import Store
from stores.permissions import CHANGE_STORE, VIEW_STORE
from stores.selectors import store_list, till_list


def _patch(view, request) -> Response:
    """``PATCH``: change what the body names (the viewsets take no ``PUT`` of the whole)."""
    serializer = view.get_serializer(view.get_object(), data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    view.perform_update(serializer)
    return Response(view.get_serializer(serializer.instance).data)


class StoreViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The chain's stores. Managers add and change them; a store is never deleted."""

    serializer_class = StoreSerializer
    queryset = Store.objects.none()
    lookup_value_regex = r"\d+"
    action_permissions = {"staff": [VIEW_STORE], "set_staff": [CHANGE_STORE, VIEW_STORE]}

    def get_queryset(self):
        return store_list()

    def partial_update(self, request, *args, **kwargs):
        return _patch(self, request)

    def perform_create(self, serializer):
        serializer.instance = services.store_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.store_update(
            store=serializer.instance, data=serializer.validated_data
        )

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/stores/{data['id']}")}

    @extend_schema(summary="Who may sell at the store", responses=StoreStaffSerializer)
    @action(detail=True, methods=["get"])
    def staff(self, request, pk=None, format=None):
        store = self.get_object()
        names = list(store.staff.order_by("username").values_list("username", flat=True))
        return Response({"usernames": names})

    @extend_schema(
        summary="Set who may sell at the store (Manager); nobody: everyone may",
        request=StoreStaffSerializer,
        responses=StoreStaffSerializer,
    )
    @staff.mapping.put
    def set_staff(self, request, pk=None, format=None):
        store = self.get_object()
        data = StoreStaffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users = services.store_set_staff(store=store, usernames=data.validated_data["usernames"])
        return Response({"usernames": sorted(user.username for user in users)})


class TillViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tills (registers). ``PATCH {"active": false}`` retires one; its sales keep naming it."""

    serializer_class = TillSerializer
    queryset = till_list().none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return till_list()

    def partial_update(self, request, *args, **kwargs):
        return _patch(self, request)

    def perform_create(self, serializer):
        serializer.instance = services.till_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.till_update(
            till=serializer.instance, data=serializer.validated_data
        )

    def get_success_headers(self, data):
        return {"Location": self.request.build_absolute_uri(f"/api/tills/{data['id']}")}
