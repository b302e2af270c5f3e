"""Demo customers for a new shop and for load tests: realistic, valid and unique.

Built from small word lists so that seeding needs no test-only packages.
"""

import random
from collections.abc import Iterator

from django.db import transaction

from customers.models import Customer

FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Felix",
    "Grace",
    "Henry",
    "Isla",
    "Jack",
    "Karen",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Peter",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Xena",
    "Yusuf",
    "Zoe",
    "Ana",
    "Bruno",
    "Carmen",
    "Diego",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Lopez",
    "Wilson",
    "Clark",
    "Lewis",
    "Young",
    "Walker",
    "Hall",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park", "River", "Main"]
CITIES = ["Springfield, IL", "Portland, OR", "Austin, TX", "Denver, CO", "Madison, WI"]
# Area codes in use in the US; exchanges 200-999 avoid reserved prefixes.
AREA_CODES = (201, 212, 303, 312, 415, 503, 512, 608, 617, 702, 718, 808, 917)


def demo_customer(index: int, rng: random.Random) -> Customer:
    """Return an unsaved, already normalised customer; ``index`` keeps email and phone unique."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    area = AREA_CODES[index % len(AREA_CODES)]
    exchange = 200 + (index // 10_000) % 800
    line = index % 10_000
    return Customer(
        name=f"{first} {last}",
        email=f"{first}.{last}.{index}@example.com".lower() if index % 5 else None,
        phone=f"+1{area}{exchange}{line:04d}" if index % 7 else None,
        address=f"{rng.randint(1, 999)} {rng.choice(STREETS)} St, {rng.choice(CITIES)}",
        loyalty_points=0,
        status="inactive" if index % 17 == 0 else "active",
    )


def _batches(start: int, count: int, size: int, rng: random.Random) -> Iterator[list[Customer]]:
    for offset in range(0, count, size):
        stop = min(offset + size, count)
        yield [demo_customer(start + i, rng) for i in range(offset, stop)]


def seed_customers(*, count: int, seed: int = 42, batch_size: int = 5000, progress=None) -> int:
    """Insert ``count`` demo customers in batches; return how many were created.

    Demo rows are valid by construction, so they skip per-row validation: that is
    what makes a million rows take seconds rather than hours.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    start = (Customer.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    created = 0
    for batch in _batches(start, count, batch_size, rng):
        with transaction.atomic():
            Customer.objects.bulk_create(batch, batch_size=batch_size)
        created += len(batch)
        if progress is not None:
            progress(created, count)
    return created


def seed_demo_customers(*, options: dict, progress=None) -> str:
    created = seed_customers(count=options["customers"], seed=options["seed"], progress=progress)
    return f"Created {created} demo customers."


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(
            name="customers",
            seed=seed_demo_customers,
            is_loaded=Customer.objects.exists,
            order=10,
        )
    )
