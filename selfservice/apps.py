from django.apps import AppConfig


class SelfserviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "selfservice"
    verbose_name = "Self-service"

    def ready(self) -> None:
        # No navbar link: staff send a link from the customer's page; customers open theirs
        # from the email, or ask for one at /my/.
        from selfservice import customer_data, panels

        customer_data.connect()
        panels.connect()
