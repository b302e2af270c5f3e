from django.apps import AppConfig


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"
    verbose_name = "Messages"

    def ready(self) -> None:
        # No navbar link: a Manager's navbar is full at 1280 px. The Messages page is reached
        # from a receipt's "Email receipt" section and from the customer's timeline.
        from messaging import customer_data, integration, loyalty_notices, timeline  # noqa: F401

        customer_data.connect()
        integration.connect()
        timeline.connect()
