"""One similar-name rule for the form's duplicate check and the likely-duplicates list."""

import pytest

from customers.names import names_alike


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        ("Jon Smith", "John Smith", True),
        ("JOHN SMITH", "john smith", True),
        ("Ann Lee", "Dan Lee", True),
        ("Ann Lee", "Bob Stone", False),
        ("Jo", "Joanna Lumley", False),
    ],
)
def test_names_are_alike_when_close_in_any_case(first, second, alike):
    assert names_alike(first, second) is alike
    assert names_alike(second, first) is alike
