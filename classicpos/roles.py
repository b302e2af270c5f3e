"""Staff roles (Django groups) and the helpers that grant them each app's permissions.

Every app says what each role may do in its own ``<app>/roles.py``
(``ROLE_PERMISSIONS = {CASHIER: [...], MANAGER: [...]}``, codenames of that app's
models). The app's data migration grants them, and the ``post_migrate`` receiver
below grants them again, so the roles come back whole after a database flush (as
test isolation does) and grow with the modules without this package knowing them.
"""

from importlib import import_module

from django.utils.module_loading import module_has_submodule

CASHIER = "Cashier"
MANAGER = "Manager"
ROLES = (CASHIER, MANAGER)
# What each role may do in apps that have no ``roles.py`` of their own: the project's
# (a Manager lifts login lockouts, ``classicpos.permissions.UNLOCK_LOGIN``) and
# django-rest-knox's (a Manager sees and revokes API tokens in the admin).
PROJECT_ROLE_PERMISSIONS = {
    "classicpos": {MANAGER: ["unlock_login"]},
    "knox": {MANAGER: ["view_authtoken", "delete_authtoken"]},
}


def ensure_permissions(apps, app_label: str) -> None:
    """Create the permissions of ``app_label`` now; Django would only do it after migrating."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    if getattr(app_config, "models_module", None) is not None:
        create_permissions(app_config, apps=apps, verbosity=0)
        return
    # Historical app configs (inside migrations) have no models module, which
    # create_permissions takes as "nothing to do"; lend it one for the call.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None


def grant(apps, *, app_label: str, role_codenames: dict[str, list[str]]) -> None:
    """Give each role the listed permissions of ``app_label``, creating the role if needed."""
    ensure_permissions(apps, app_label)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in role_codenames.items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = permission_model.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, *, app_label: str, role_codenames: dict[str, list[str]]) -> None:
    """Undo :func:`grant` (used when a migration is reversed)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in role_codenames.items():
        group = group_model.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(
                *permission_model.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """Re-grant the role permissions of the app just migrated (a ``post_migrate`` receiver)."""
    from django.apps import apps as global_apps

    role_codenames = app_role_permissions(sender)
    if role_codenames is None:
        return
    grant(kwargs.get("apps", global_apps), app_label=sender.label, role_codenames=role_codenames)


def app_role_permissions(app_config) -> dict[str, list[str]] | None:
    """Return what each role may do in an app: its ``roles.ROLE_PERMISSIONS``, the project's
    ``PROJECT_ROLE_PERMISSIONS`` for the project and third-party apps, or None."""
    if app_config.label in PROJECT_ROLE_PERMISSIONS:
        return PROJECT_ROLE_PERMISSIONS[app_config.label]
    if not module_has_submodule(app_config.module, "roles"):
        return None
    return getattr(import_module(f"{app_config.name}.roles"), "ROLE_PERMISSIONS", None)
