"""Benchmark the customer list API on a large shop: ``python scripts/bench_customer_search.py``.

Seeds ``--customers`` demo customers into a scratch database (a separate SQLite
file under var/ unless DATABASE_URL is set, whose database is then used as is),
then times ``GET /api/customers`` for typical till searches through the whole
Django stack (middleware, auth, filters, serializer) and prints the median and
95th percentile per query. Run it with the project's virtual environment.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(line: str) -> None:
    """Write one line of the report to standard output."""
    sys.stdout.write(line + "\n")


QUERIES = {
    "first page (name order)": "/api/customers",
    "name fragment": "/api/customers?search=smith",
    "email fragment": "/api/customers?search=olivia.king",
    "phone digits": "/api/customers?search=555-0123",
    "active, most points": "/api/customers?status=active&ordering=-loyaltyPoints",
    "newest first": "/api/customers?ordering=-createdAt",
    "deep page": "/api/customers?page=2000&pageSize=25",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "classicpos.settings")
    if "DATABASE_URL" not in os.environ:
        scratch = ROOT / "var" / f"bench-{args.customers}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from bench.seed import seed_customers
    from customers.models import Customer

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    missing = args.customers - Customer.objects.count()
    if missing > 0:
        started = time.perf_counter()
        seed_customers(count=missing)
        say(f"seeded {missing:,} customers in {time.perf_counter() - started:.1f} s")
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = APIClient()
    client.force_authenticate(user)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    say(f"{Customer.objects.count():,} customers on {engine}, {args.repeat} runs each")
    say(f"{'query':<28} {'median ms':>10} {'p95 ms':>10} {'rows':>8}")
    for label, url in QUERIES.items():
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        p95 = statistics.quantiles(timings, n=20)[-1]
        count = response.json()["count"]
        say(f"{label:<28} {statistics.median(timings):>10.1f} {p95:>10.1f} {count:>8}")


if __name__ == "__main__":
    main()
