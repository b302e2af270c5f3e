"""Demo accounts: a few regulars with credit and one with store credit, through the real
services. The demo's sales (``sales``' seeder, ``--sales``) stay the only demo sales, so
invoices appear as soon as someone sells on account to one of these customers."""

from django.contrib.auth import get_user_model

from accounting import services
from accounting.models import CustomerAccount
from customers.models import Customer

DEMO_ACCOUNTS = 3
DEMO_CREDIT_LIMIT = "500.00"
DEMO_STORE_CREDIT = "5.00"


def _demo_staff():
    """Return the staff user the demo's changes are recorded by (the first one)."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_staff=True).order_by("id").first()
        or (
            user_model.objects.get_or_create(username="demo-till", defaults={"is_active": False})[0]
        )
    )


def seed_demo_accounts(*, options: dict, progress=None) -> str:
    """Give the first customers credit, and the first of them some store credit."""
    customers = list(Customer.objects.active().order_by("id")[:DEMO_ACCOUNTS])
    if not customers:
        return "Skipped accounts: there are no customers."
    staff = _demo_staff()
    for customer in customers:
        services.account_set_credit_limit(
            customer=customer, credit_limit=DEMO_CREDIT_LIMIT, user=staff
        )
    services.store_credit_adjust(
        customer=customers[0], amount=DEMO_STORE_CREDIT, reason="Welcome credit", user=staff
    )
    return (
        f"Gave {len(customers)} customers a credit limit of {DEMO_CREDIT_LIMIT} "
        f"and {customers[0].name} {DEMO_STORE_CREDIT} of store credit."
    )


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(
            name="accounting",
            seed=seed_demo_accounts,
            is_loaded=CustomerAccount.objects.exists,
            order=40,
        )
    )
