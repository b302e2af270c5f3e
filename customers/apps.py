from django.apps import AppConfig


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from classicpos.api.idempotency import register_reference_key
        from customers import demo, history, panels, segments
        from customers.erasure import API_RESOURCE

        # Stored API answers that name a customer are forgotten when the customer is erased.
        register_reference_key("customerId", resource=API_RESOURCE)
        register_reference_key("duplicateId", resource=API_RESOURCE)
        demo.connect()
        history.connect()
        panels.connect()
        segments.connect()
