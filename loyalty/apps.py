from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loyalty"
    verbose_name = "Loyalty"

    def ready(self) -> None:
        from loyalty import (  # noqa: F401 - receivers connect
            customer_data,
            demo,
            integration,
            panels,
            receivers,
            self_service,
            timeline,
        )

        integration.connect()
        customer_data.connect()
        panels.connect()
        self_service.connect()
        demo.connect()
        timeline.connect()
