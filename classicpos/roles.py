"""Staff roles (Django groups) and the helper data migrations use to grant permissions.

Each app's data migration grants its own permissions to the roles, so the
Cashier and Manager groups grow with the modules without any app knowing another.
"""

CASHIER = "Cashier"
MANAGER = "Manager"
ROLES = (CASHIER, MANAGER)

# What each role may do, per app label. An app's data migration grants its own
# entry; the post_migrate receiver below re-grants them all, so the roles come
# back whole after a database flush (as test isolation does).
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "customers": {
        CASHIER: ["view_customer", "add_customer", "change_customer"],
        MANAGER: [
            "view_customer",
            "add_customer",
            "change_customer",
            "delete_customer",
            "deactivate_customer",
        ],
    },
    "sales": {
        CASHIER: ["view_product", "view_sale", "add_sale"],
        MANAGER: [
            "view_product",
            "add_product",
            "change_product",
            "delete_product",
            "view_sale",
            "add_sale",
            "refund_sale",
        ],
    },
    "loyalty": {
        CASHIER: ["view_loyaltytransaction"],
        MANAGER: [
            "view_loyaltytransaction",
            "adjust_points",
            "view_loyaltyprogram",
            "change_loyaltyprogram",
        ],
    },
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

    role_codenames = ROLE_PERMISSIONS.get(sender.label)
    if role_codenames is None:
        return
    grant(kwargs.get("apps", global_apps), app_label=sender.label, role_codenames=role_codenames)
