"""Demo points: a few regulars start with enough points to pay with them at the till."""

import random

from django.contrib.auth import get_user_model

from customers.models import Customer
from loyalty import services
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, TransactionKind

DEMO_REASON = "Welcome bonus (demo shop)"
REGULARS = 6


def seed_demo_points(*, options: dict, progress=None) -> str:
    """Give up to six active customers between one and six redemption steps of points."""
    program = LoyaltyProgram.current()
    manager = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    rng = random.Random(options["seed"])  # noqa: S311 - demo data, not security
    regulars = list(Customer.objects.active().order_by("id")[:REGULARS])
    for customer in regulars:
        steps = rng.randint(1, 6)
        services.points_adjust(
            customer=customer,
            points=steps * program.redeem_step + rng.randint(0, program.redeem_step - 1),
            reason=DEMO_REASON,
            user=manager,
        )
    return f"Gave {len(regulars)} regulars enough points to pay with them."


def _loaded() -> bool:
    return LoyaltyTransaction.objects.filter(
        kind=TransactionKind.ADJUSTMENT, reason=DEMO_REASON
    ).exists()


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(DemoSeeder(name="loyalty", seed=seed_demo_points, is_loaded=_loaded, order=30))
