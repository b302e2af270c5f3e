"""A checked import file kept between "Check the file" and "Import": whose, how long, once."""

import pytest
from django.utils import timezone

from customers.import_uploads import (
    KEPT_FOR,
    CheckedImportFile,
    checked_file_get,
    checked_file_keep,
    checked_file_take,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_kept_file_is_taken_once_by_the_manager_who_checked_it(manager):
    kept = checked_file_keep(user=manager, file_name="shop.csv", content=b"name\nAda\n")
    someone_else = UserFactory()

    assert checked_file_get(user=someone_else, token=kept.token) is None
    assert checked_file_take(user=someone_else, token=kept.token) is None
    assert bytes(checked_file_get(user=manager, token=kept.token).content) == b"name\nAda\n"
    taken = checked_file_take(user=manager, token=kept.token)
    assert (taken.file_name, taken.content) == ("shop.csv", b"name\nAda\n")
    assert checked_file_take(user=manager, token=kept.token) is None
    assert not CheckedImportFile.objects.exists()


def test_a_kept_file_expires_and_the_next_check_forgets_it(manager):
    old = checked_file_keep(user=manager, file_name="old.csv", content=b"name\n")
    CheckedImportFile.objects.filter(pk=old.pk).update(
        checked_at=timezone.now() - KEPT_FOR - timezone.timedelta(seconds=1)
    )
    assert checked_file_get(user=manager, token=old.token) is None
    assert checked_file_take(user=manager, token=old.token) is None

    new = checked_file_keep(user=manager, file_name="new.csv", content=b"name\n")
    assert list(CheckedImportFile.objects.values_list("token", flat=True)) == [new.token]
    assert len(new.token) >= 40
