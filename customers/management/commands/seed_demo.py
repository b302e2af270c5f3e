"""``manage.py seed_demo``: a demo shop, small by default, large on request."""

from django.core.management.base import BaseCommand, CommandError

from customers.demo import seed_customers
from customers.models import Customer


class Command(BaseCommand):
    help = "Load demo customers (and, as modules land, products and sales)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers",
            type=int,
            default=40,
            help="How many demo customers to create (default 40; try 1000000 for load tests).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has customers (used by make run).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed for repeatable data.")

    def handle(self, *args, **options):
        count = options["customers"]
        if count < 0:
            raise CommandError("--customers must be zero or more.")
        if options["if_empty"] and Customer.objects.exists():
            self.stdout.write("Customers already exist; demo data not loaded.")
            return
        created = seed_customers(count=count, seed=options["seed"], progress=self._progress)
        if count >= 10_000:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Created {created} demo customers."))

    def _progress(self, done: int, total: int) -> None:
        if total >= 10_000:
            self.stdout.write(f"\r  {done:>10,} / {total:,} customers", ending="")
            self.stdout.flush()
