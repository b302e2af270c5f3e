"""The shop's own modules (customers, sales, loyalty, ...) among the installed apps.

The project package finds them instead of naming them, so adding a module means
adding it to ``INSTALLED_APPS`` and nothing here.
"""

from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def module_app_configs() -> list[AppConfig]:
    """Return the installed apps that live in this repository, ``classicpos`` itself excluded.

    They are the top-level packages of the repository (third-party apps live in
    the virtual environment, which may sit inside it too).
    """
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if config.name != "classicpos" and Path(config.path).resolve().parent == base
    ]


def module_submodules(dotted: str) -> list[ModuleType]:
    """Import ``<app>.<dotted>`` (e.g. ``api.urls``) from every module app that has it."""
    found = []
    for config in module_app_configs():
        package = config.module
        parts = dotted.split(".")
        for index, part in enumerate(parts):
            if not module_has_submodule(package, part):
                break
            package = import_module(f"{config.name}.{'.'.join(parts[: index + 1])}")
        else:
            found.append(package)
    return found
