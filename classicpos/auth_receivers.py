"""A password change revokes every API token of the user: a stolen till token dies with it."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save


def revoke_tokens_on_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """Delete the user's tokens when the stored password hash is about to change."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    from knox.models import AuthToken

    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    pre_save.connect(
        revoke_tokens_on_password_change,
        sender=get_user_model(),
        dispatch_uid="classicpos_revoke_tokens_on_password_change",
    )
