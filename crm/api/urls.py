"""The CRM API: ``/api/leads`` (with convert), ``/api/activities`` and a customer's activities."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from crm.api.views import ActivityViewSet, CustomerActivityListView, LeadViewSet

router = OptionalSlashRouter()
router.register("leads", LeadViewSet, basename="lead")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns = [
    re_path(
        r"^customers/(?P<customer_id>\d+)/activities/?$",
        CustomerActivityListView.as_view(),
        name="customer-activities",
    ),
]
