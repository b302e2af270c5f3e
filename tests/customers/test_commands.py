"""The commands operators run: demo data and the two staff logins."""

from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from customers.models import Customer

pytestmark = pytest.mark.django_db


def run(*args, **env) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_valid_unique_customers():
    output = run("seed_demo", "--customers", "120", "--sales", "0")
    assert "Created 120 demo customers" in output
    customers = list(Customer.objects.all())
    assert len(customers) == 120
    emails = [c.email for c in customers if c.email]
    assert len(emails) == len(set(emails))
    for customer in customers[:30]:
        customer.full_clean()
        if customer.phone:
            assert phonenumbers.is_valid_number(phonenumbers.parse(customer.phone))
    assert any(c.status == "inactive" for c in customers)


def test_seed_demo_if_empty_loads_nothing_the_second_time():
    run("seed_demo", "--if-empty", "--customers", "5")
    assert "customers: data already exists" in run("seed_demo", "--if-empty", "--customers", "5")
    assert Customer.objects.count() == 5


def test_seed_demo_can_add_more_later_without_clashes():
    run("seed_demo", "--customers", "10", "--sales", "0")
    run("seed_demo", "--customers", "10", "--sales", "0")
    assert Customer.objects.count() == 20


def test_seed_demo_refuses_a_negative_count():
    with pytest.raises(CommandError):
        run("seed_demo", "--customers", "-1")


def test_ensure_staff_users_creates_admin_and_cashier_once(monkeypatch):
    monkeypatch.setenv("CLASSICPOS_ADMIN_PASSWORD", "admin-pass-123")
    monkeypatch.delenv("CLASSICPOS_CASHIER_PASSWORD", raising=False)
    first = run("ensure_staff_users")
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    cashier = user_model.objects.get(username="cashier")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("admin-pass-123")
    assert list(admin.groups.values_list("name", flat=True)) == ["Manager"]
    assert cashier.is_staff
    assert not cashier.is_superuser
    assert list(cashier.groups.values_list("name", flat=True)) == ["Cashier"]
    generated = first.split("Created user 'cashier' (Cashier); password: ")[1].split()[0]
    assert cashier.check_password(generated)
    second = run("ensure_staff_users")
    assert "password unchanged" in second
    assert generated not in second


def test_roles_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    cashier = set(Group.objects.get(name="Cashier").permissions.values_list("codename", flat=True))
    manager = set(Group.objects.get(name="Manager").permissions.values_list("codename", flat=True))
    assert {"view_customer", "add_customer", "change_customer"} <= cashier
    assert "deactivate_customer" not in cashier
    assert {"deactivate_customer", "view_customer"} <= manager
