from django.apps import AppConfig


class SalesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from classicpos.navigation import NavItem, register_account_link, register_nav_item
        from sales import customer_data, demo, panels, payment_methods, segments, timeline
        from sales.permissions import ADD_SALE, REFUND_SALE, VIEW_SALE

        payment_methods.connect()
        customer_data.connect()
        panels.connect()
        demo.connect()
        timeline.connect()
        segments.connect()
        register_nav_item(
            NavItem(
                name="checkout",
                label="Checkout",
                url_name="sales:checkout",
                icon="cart",
                permission=ADD_SALE,
                order=20,
            )
        )
        register_nav_item(
            NavItem(
                name="sales",
                label="Sales",
                url_name="sales:sale_list",
                icon="receipt",
                permission=VIEW_SALE,
                order=30,
            )
        )
        # Those who approve refunds set their approval PIN from their name in the navbar.
        register_account_link(
            NavItem(
                name="approval_pin",
                label="Your approval PIN",
                url_name="sales:approval_pin",
                icon="person-circle",
                permission=REFUND_SALE,
            )
        )
