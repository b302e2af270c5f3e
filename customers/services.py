"""Every write to a customer goes through these functions, each one transaction.

Forms, the API, the admin and the import command call them, so validation and
history rules live here once.
"""

from copy import copy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from customers.models import EDITABLE_FIELDS, Customer, CustomerStatus, duplicate_email_message

__all__ = [
    "EDITABLE_FIELDS",
    "customer_check",
    "customer_create",
    "customer_deactivate",
    "customer_restore",
    "customer_update",
]


def _validate_and_save(customer: Customer) -> Customer:
    """Normalise, validate and save; a lost race on the email becomes a field error."""
    customer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        # Another till saved the same email between our check and our insert.
        owner = customer.find_email_owner()
        if owner is None:
            raise
        raise ValidationError({"email": [duplicate_email_message(owner)]}) from None
    return customer


def _apply(customer: Customer, data: dict) -> Customer:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    for field, value in data.items():
        setattr(customer, field, value)
    return customer


def customer_check(*, customer: Customer | None = None, data: dict) -> None:
    """Raise the ``ValidationError`` that creating (or updating ``customer``) would; save nothing.

    The staff form uses it to show field errors before asking about a possible
    duplicate, so a confirmation is never asked for input that would be refused.
    """
    candidate = copy(customer) if customer is not None else Customer()
    _apply(candidate, data).full_clean(validate_constraints=False)


@transaction.atomic
def customer_create(
    *, name: str, email: str | None = None, phone: str | None = None, address: str | None = None
) -> Customer:
    """Create an active customer after validating every field."""
    customer = Customer(name=name, email=email, phone=phone, address=address)
    return _validate_and_save(customer)


@transaction.atomic
def customer_update(*, customer: Customer, data: dict) -> Customer:
    """Change the editable fields given in ``data``; others stay as they are."""
    return _validate_and_save(_apply(customer, data))


@transaction.atomic
def customer_deactivate(*, customer: Customer) -> Customer:
    """Mark a customer inactive; the row and its history stay. Idempotent."""
    if customer.status != CustomerStatus.INACTIVE:
        customer.status = CustomerStatus.INACTIVE
        customer.save(update_fields=["status", "updated_at"])
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer) -> Customer:
    """Make an inactive customer active again. Idempotent."""
    if customer.status != CustomerStatus.ACTIVE:
        customer.status = CustomerStatus.ACTIVE
        customer.save(update_fields=["status", "updated_at"])
    return customer
