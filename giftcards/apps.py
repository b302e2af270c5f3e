from django.apps import AppConfig


class GiftcardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "giftcards"
    verbose_name = "Gift cards"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from classicpos.navigation import ActiveWhen, NavItem, register_nav_item
        from giftcards import (  # noqa: F401 - receivers connect on import
            customer_data,
            demo,
            integration,
            lookups,
            panels,
            receivers,
            self_service,
            timeline,
        )
        from giftcards.permissions import VIEW_GIFT_CARD

        integration.connect()
        customer_data.connect()
        panels.connect()
        self_service.connect()
        timeline.connect()
        demo.connect()
        request_started.connect(lookups.forget_pending_misses, dispatch_uid="giftcards_stale")
        request_finished.connect(lookups.write_pending_misses, dispatch_uid="giftcards_misses")
        register_nav_item(
            NavItem(
                name="gift-cards",
                label="Gift cards",
                url_name="giftcards:home",
                icon="gift",
                permission=VIEW_GIFT_CARD,
                order=60,
                active_when=ActiveWhen.PREFIX,
            )
        )
