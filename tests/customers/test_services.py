"""Customer services: one validation path, normalisation, soft delete."""

import pytest
from django.core.exceptions import ValidationError

from customers import services
from customers.models import Customer
from customers.validators import MESSAGES
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_create_normalises_every_field():
    customer = services.customer_create(
        actor=None,
        channel="command",
        name="  Ada   Lovelace ",
        email=" ADA@Example.COM ",
        phone="(415) 555-2671",
        address="  12 Analytical Row  ",
    )
    customer.refresh_from_db()
    assert customer.name == "Ada Lovelace"
    assert customer.email == "ada@example.com"
    assert customer.phone == "+14155552671"
    assert customer.phone_display == "(415) 555-2671"
    assert customer.address == "12 Analytical Row"
    assert customer.status == "active"
    assert customer.loyalty_points == 0


def test_blank_optional_fields_are_stored_as_null():
    customer = services.customer_create(
        actor=None, channel="command", name="Walk In", email="  ", phone="", address=" "
    )
    customer.refresh_from_db()
    assert (customer.email, customer.phone, customer.address) == (None, None, None)


def test_foreign_number_is_kept_in_international_form():
    customer = services.customer_create(
        actor=None, channel="command", name="Brit", phone="+44 20 7946 0958"
    )
    assert customer.phone == "+442079460958"
    assert customer.phone_display == "+44 20 7946 0958"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", MESSAGES["name_required"]),
        ({"name": "   "}, "name", MESSAGES["name_required"]),
        ({"name": "x" * 201}, "name", MESSAGES["name_too_long"]),
        ({"name": "A", "email": "not-an-email"}, "email", MESSAGES["email_invalid"]),
        ({"name": "A", "phone": "12"}, "phone", MESSAGES["phone_invalid"]),
        ({"name": "A", "phone": "call me"}, "phone", MESSAGES["phone_invalid"]),
        ({"name": "A", "address": "y" * 501}, "address", MESSAGES["address_too_long"]),
        # Only invisible characters make no name; text-direction controls are refused.
        ({"name": "\u200b\u200d \ufeff"}, "name", MESSAGES["name_required"]),
        ({"name": "Ann\u202eyrraH"}, "name", MESSAGES["name_bidi"]),
        ({"name": "\u2067Ann"}, "name", MESSAGES["name_bidi"]),
        ({"name": "A\x00B"}, "name", MESSAGES["nul"]),
        ({"name": "A", "address": "1 Main\x00St"}, "address", MESSAGES["nul"]),
    ],
)
def test_each_rule_has_its_message_and_nothing_is_saved(fields, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(actor=None, channel="command", **fields)
    assert errors_of(excinfo)[field] == [message]
    assert Customer.objects.count() == 0


def test_limits_are_inclusive():
    customer = services.customer_create(
        actor=None, channel="command", name="n" * 200, address="a" * 500
    )
    assert len(customer.name) == 200


def test_all_field_errors_are_reported_together():
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(actor=None, channel="command", name="", email="bad", phone="1")
    assert set(errors_of(excinfo)) == {"name", "email", "phone"}


def test_duplicate_email_names_the_customer_who_has_it_case_insensitively():
    owner = CustomerFactory(name="Grace Hopper", email="grace@example.com")
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(actor=None, channel="command", name="G", email="GRACE@example.com")
    assert errors_of(excinfo)["email"] == [
        f"Grace Hopper (customer #{owner.pk}) already has this email."
    ]


def test_duplicate_email_of_an_inactive_customer_says_so():
    owner = CustomerFactory(name="Old Timer", email="old@example.com", status="inactive")
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(actor=None, channel="command", name="New", email="old@example.com")
    assert errors_of(excinfo)["email"] == [
        f"Old Timer (customer #{owner.pk}, inactive) already has this email."
    ]


def test_update_keeps_own_email_and_changes_only_given_fields():
    customer = CustomerFactory(email="me@example.com", address="Here")
    services.customer_update(
        actor=None,
        channel="command",
        customer=customer,
        data={"name": "Renamed", "email": "ME@example.com"},
    )
    customer.refresh_from_db()
    assert customer.name == "Renamed"
    assert customer.email == "me@example.com"
    assert customer.address == "Here"


def test_update_refuses_fields_that_are_not_editable():
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.customer_update(
            actor=None, channel="command", customer=customer, data={"loyalty_points": 10}
        )
    assert "loyalty_points" in errors_of(excinfo)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0


def test_failed_update_saves_nothing():
    customer = CustomerFactory(name="Before")
    with pytest.raises(ValidationError):
        services.customer_update(
            actor=None,
            channel="command",
            customer=customer,
            data={"name": "After", "phone": "nope"},
        )
    customer.refresh_from_db()
    assert customer.name == "Before"


def test_deactivate_is_idempotent_and_keeps_the_row():
    customer = CustomerFactory()
    services.customer_deactivate(actor=None, channel="command", customer=customer)
    services.customer_deactivate(actor=None, channel="command", customer=customer)
    customer.refresh_from_db()
    assert customer.status == "inactive"
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_restore_is_idempotent():
    customer = CustomerFactory(status="inactive")
    services.customer_restore(actor=None, channel="command", customer=customer)
    services.customer_restore(actor=None, channel="command", customer=customer)
    customer.refresh_from_db()
    assert customer.status == "active"


def test_queryset_filters():
    active = CustomerFactory(name="On")
    inactive = CustomerFactory(name="Off", status="inactive")
    assert list(Customer.objects.active()) == [active]
    assert list(Customer.objects.inactive()) == [inactive]


def test_check_raises_what_a_save_would_and_saves_nothing():
    grace = CustomerFactory(name="Grace", email="grace@example.com")
    with pytest.raises(ValidationError) as raised:
        services.customer_check(data={"name": " ", "email": "GRACE@example.com", "phone": "12"})
    assert set(raised.value.message_dict) == {"name", "email", "phone"}
    with pytest.raises(ValidationError):
        services.customer_check(customer=grace, data={"email": "bad"})
    assert grace.email == "grace@example.com"  # the instance itself is left alone
    services.customer_check(customer=grace, data={"name": "Grace Hopper"})
    services.customer_check(data={"name": "New Person", "phone": "415 555 2671"})
    assert Customer.objects.count() == 1
    assert Customer.objects.get().name == "Grace"
