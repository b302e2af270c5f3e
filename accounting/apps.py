from django.apps import AppConfig

from accounting.permissions import VIEW_INVOICE


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
            self_service,
            timeline,
        )
        from classicpos.navigation import ActiveWhen, NavItem, register_nav_item

        integration.connect()
        customer_data.connect()
        panels.connect()
        self_service.connect()
        demo.connect()
        timeline.connect()
        segments.connect()
        register_nav_item(
            NavItem(
                name="invoices",
                label="Invoices",
                url_name="accounting:invoices",
                icon="file-earmark-text",
                permission=VIEW_INVOICE,
                order=50,
                active_when=ActiveWhen.PREFIX,
            )
        )
