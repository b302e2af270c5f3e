from django.apps import AppConfig

from crm.permissions import VIEW_LEAD


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = "CRM"

    def ready(self) -> None:
        from classicpos.navigation import ActiveWhen, NavItem, register_nav_item
        from crm import customer_data, demo, panels, timeline

        customer_data.connect()
        panels.connect()
        demo.connect()
        timeline.connect()
        register_nav_item(
            NavItem(
                name="crm",
                label="CRM",
                url_name="crm:home",
                icon="person-lines-fill",
                permission=VIEW_LEAD,
                order=40,
                active_when=ActiveWhen.PREFIX,
            )
        )
