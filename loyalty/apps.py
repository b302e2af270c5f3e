from django.apps import AppConfig

from classicpos.navigation import NavItem, register_nav_item
from loyalty.permissions import CHANGE_TIERS


class LoyaltyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loyalty"
    verbose_name = "Loyalty"

    def ready(self) -> None:
        from loyalty import (  # noqa: F401 - receivers connect
            customer_data,
            customer_facts,
            demo,
            integration,
            panels,
            receivers,
            self_service,
            timeline,
        )

        integration.connect()
        customer_data.connect()
        customer_facts.connect()
        panels.connect()
        self_service.connect()
        demo.connect()
        timeline.connect()
        register_nav_item(
            NavItem(
                name="loyalty-tiers",
                label="Tiers",
                url_name="loyalty:tiers",
                icon="award",
                permission=CHANGE_TIERS,
                order=65,
            )
        )
