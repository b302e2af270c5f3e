"""The customers API: ``/api/customers`` and ``/api/customers/:id`` (restore included)."""

from django.urls import re_path

from classicpos.api.routers import OptionalSlashRouter
from customers.api.data_export import CustomerDataExportView
from customers.api.views import CustomerViewSet

router = OptionalSlashRouter()
router.register("customers", CustomerViewSet, basename="customer")

urlpatterns = [
    re_path(
        r"^customers/(?P<pk>\d+)/data-export/?$",
        CustomerDataExportView.as_view(),
        name="customer-data-export",
    ),
]
