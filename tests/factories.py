"""Factories used across apps (users); app factories live beside their tests."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def staff_user(username: str, role: str):
    """A staff user in ``role`` (not a superuser: permissions come from the role), as the
    ``manager`` and ``cashier`` fixtures make them and as data built once per module needs them."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user
