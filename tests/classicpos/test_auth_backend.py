"""A user's permissions, their own and their groups', read in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it: nothing cached."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def clerk():
    return get_user_model().objects.create_user("clerk", password="not-used-here-1", is_staff=True)


def test_own_and_group_permissions_in_one_query(clerk, django_assert_num_queries):
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    group = Group.objects.create(name="Stock")
    group.permissions.add(Permission.objects.get(codename="add_customer"))
    clerk.groups.add(group)
    clerk = fresh(clerk)
    with django_assert_num_queries(1):
        permissions = clerk.get_all_permissions()
        assert clerk.has_perms(["customers.view_customer", "customers.add_customer"])
    assert permissions == {"customers.view_customer", "customers.add_customer"}
    assert not clerk.has_perm("customers.delete_customer")


def test_a_permission_taken_away_is_gone_on_the_next_request(clerk):
    group = Group.objects.create(name="Stock")
    group.permissions.add(Permission.objects.get(codename="add_customer"))
    clerk.groups.add(group)
    assert fresh(clerk).has_perm("customers.add_customer")
    group.permissions.clear()
    assert not fresh(clerk).has_perm("customers.add_customer")


def test_the_same_answers_as_djangos_backend(clerk, manager, cashier):
    from django.contrib.auth.backends import ModelBackend

    django_backend = ModelBackend()
    for user in (clerk, manager, cashier):
        user = fresh(user)
        assert user.get_all_permissions() == django_backend.get_all_permissions(fresh(user))


def test_inactive_and_superusers_as_django_has_them(clerk):
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    clerk.is_active = False
    clerk.save()
    assert fresh(clerk).get_all_permissions() == set()
    boss = get_user_model().objects.create_superuser("boss", password="not-used-here-2")
    assert len(fresh(boss).get_all_permissions()) == Permission.objects.count()
