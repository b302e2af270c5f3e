from django.apps import AppConfig


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from crm import customer_data, demo, panels, timeline

        customer_data.connect()
        panels.connect()
        demo.connect()
        timeline.connect()
