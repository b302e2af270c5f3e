from django.apps import AppConfig


class ClassicPOSConfig(AppConfig):
    """The project package doubles as an app for shared models such as idempotency records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "classicpos"
    verbose_name = "ClassicPOS"
