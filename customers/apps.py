from django.apps import AppConfig


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from classicpos.api.idempotency import register_reference_key
        from classicpos.navigation import ActiveWhen, NavItem, register_nav_item
        from customers import (
            data_export,
            demo,
            history,
            import_sources,
            jobs,
            panels,
            prior_history,
            segments,
        )
        from customers.erasure import API_RESOURCE
        from customers.permissions import VIEW_CUSTOMER
        from customers.search_text import register_fold

        # Every SQLite connection computes the search document with the app's fold.
        connection_created.connect(register_fold, dispatch_uid="customers.register_fold")

        # Stored API answers that name a customer are forgotten when the customer is erased.
        register_reference_key("customerId", resource=API_RESOURCE)
        register_reference_key("duplicateId", resource=API_RESOURCE)
        demo.connect()
        jobs.register()
        import_sources.connect()
        prior_history.connect()
        history.connect()
        data_export.connect()
        panels.connect()
        segments.connect()
        register_nav_item(
            NavItem(
                name="customers",
                label="Customers",
                url_name="customers:list",
                icon="people",
                permission=VIEW_CUSTOMER,
                order=10,
                active_when=ActiveWhen.PREFIX,
            )
        )
