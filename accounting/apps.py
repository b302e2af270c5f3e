from django.apps import AppConfig


class AccountingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounting"
    verbose_name = "Accounting"

    def ready(self) -> None:
        from accounting import (  # noqa: F401 - receivers connect on import
            customer_data,
            demo,
            integration,
            panels,
            receivers,
            segments,
            timeline,
        )

        integration.connect()
        customer_data.connect()
        panels.connect()
        demo.connect()
        timeline.connect()
        segments.connect()
