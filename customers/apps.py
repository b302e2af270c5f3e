from django.apps import AppConfig


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from customers import demo, history, panels, segments

        demo.connect()
        history.connect()
        panels.connect()
        segments.connect()
