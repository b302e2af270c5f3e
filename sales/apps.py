from django.apps import AppConfig


class SalesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from sales import customer_data, demo, panels, payment_methods, segments, timeline

        payment_methods.connect()
        customer_data.connect()
        panels.connect()
        demo.connect()
        timeline.connect()
        segments.connect()
