from django.apps import AppConfig


class ClassicPOSConfig(AppConfig):
    """The project package doubles as an app for shared models such as idempotency records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "classicpos"
    verbose_name = "ClassicPOS"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from classicpos import devices
        from classicpos.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="classicpos_sync_roles")
        devices.connect()
