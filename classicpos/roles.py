"""Staff roles (Django groups) and the helper data migrations use to grant permissions.

Each app's data migration grants its own permissions to the roles, so the
Cashier and Manager groups grow with the modules without any app knowing another.
"""

CASHIER = "Cashier"
MANAGER = "Manager"
ROLES = (CASHIER, MANAGER)


def ensure_permissions(apps, app_label: str) -> None:
    """Create the permissions of ``app_label`` now; Django would only do it after migrating."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
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
