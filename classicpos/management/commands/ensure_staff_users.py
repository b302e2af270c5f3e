"""``manage.py ensure_staff_users``: make sure the ``admin`` and ``cashier`` logins exist."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from classicpos.roles import CASHIER, MANAGER

ACCOUNTS = (
    # username, role, superuser, environment variable holding the password
    ("admin", MANAGER, True, "CLASSICPOS_ADMIN_PASSWORD"),
    ("cashier", CASHIER, False, "CLASSICPOS_CASHIER_PASSWORD"),
)


class Command(BaseCommand):
    help = (
        "Create the 'admin' (Manager, superuser) and 'cashier' users when missing. Passwords "
        "come from CLASSICPOS_ADMIN_PASSWORD / CLASSICPOS_CASHIER_PASSWORD, or are generated "
        "and printed once. Existing users are left as they are."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        user_model = get_user_model()
        for username, role, superuser, variable in ACCOUNTS:
            try:
                group = Group.objects.get(name=role)
            except Group.DoesNotExist:
                raise CommandError(f"Role {role!r} is missing: run 'manage.py migrate'.") from None
            if user_model.objects.filter(username=username).exists():
                self.stdout.write(f"User '{username}' ({role}) exists; password unchanged.")
                continue
            password = os.environ.get(variable) or secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username=username, password=password, is_staff=True, is_superuser=superuser
            )
            user.groups.add(group)
            source = f"from {variable}" if os.environ.get(variable) else password
            self.stdout.write(
                self.style.SUCCESS(f"Created user '{username}' ({role}); password: {source}")
            )
