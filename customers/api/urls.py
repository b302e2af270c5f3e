"""The customers API: ``/api/customers`` and ``/api/customers/:id`` (restore included)."""

from classicpos.api.routers import OptionalSlashRouter
from customers.api.views import CustomerViewSet

router = OptionalSlashRouter()
router.register("customers", CustomerViewSet, basename="customer")

urlpatterns = []
