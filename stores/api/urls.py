"""The stores API: ``/api/stores`` (with ``/staff``) and ``/api/tills``."""

from classicpos.api.routers import OptionalSlashRouter
from stores.api.views import StoreViewSet, TillViewSet

router = OptionalSlashRouter()
router.register("stores", StoreViewSet, basename="store")
router.register("tills", TillViewSet, basename="till")

urlpatterns = router.urls
