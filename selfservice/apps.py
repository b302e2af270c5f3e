from django.apps import AppConfig


class SelfserviceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "selfservice"
    verbose_name = "Self-service"

    def ready(self) -> None:
        # No navbar link: staff send a link from the customer's page; customers open theirs
        # from the email, or ask for one at /my/.
        from django.core.signals import request_finished, request_started

        from selfservice import customer_data, panels, services

        customer_data.connect()
        panels.connect()
        request_started.connect(services.forget_requested_links, dispatch_uid="selfservice_start")
        request_finished.connect(services.send_requested_links, dispatch_uid="selfservice_send")
