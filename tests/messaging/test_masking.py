import pytest

from messaging.masking import mask_email


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("mary@example.com", "m•••@example.com"),
        ("m@example.com", "m•••@example.com"),
        ("a.b+c@mail.example.org", "a•••@mail.example.org"),
        ("", ""),
        ("not-an-address", "•••"),
    ],
)
def test_mask_email_keeps_the_first_letter_and_the_domain(address, shown):
    assert mask_email(address) == shown
