"""Admin helpers shared by the apps."""


class ReadOnlyAdminMixin:
    """History shown in the admin but never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
