from django.apps import AppConfig


class StoresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stores"
    verbose_name = "Stores and tills"

    def ready(self) -> None:
        from classicpos.navigation import NavItem, register_nav_item
        from stores.permissions import CHANGE_STORE

        # Managers set stores up; a Cashier's navbar stays as a one-shop till's.
        register_nav_item(
            NavItem(
                name="stores",
                label="Stores",
                url_name="stores:store_list",
                icon="shop",
                permission=CHANGE_STORE,
                order=80,
            )
        )
