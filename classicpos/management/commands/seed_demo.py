"""``manage.py seed_demo``: a demo shop — customers, products and a sales history."""

from django.core.management.base import BaseCommand, CommandError

from classicpos.demo import seeders


class Command(BaseCommand):
    help = (
        "Load a demo shop: customers, then what each module adds (products and sales). "
        "At scale for load tests: --customers 1000000 --sales 0."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers",
            type=int,
            default=40,
            help="How many demo customers to create (default 40).",
        )
        parser.add_argument(
            "--sales",
            type=int,
            default=60,
            help="How many demo sales to ring up through the checkout (default 60).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Skip each part that already has data (used by make run).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed for repeatable data.")

    def handle(self, *args, **options):
        if options["customers"] < 0 or options["sales"] < 0:
            raise CommandError("--customers and --sales must be zero or more.")
        for seeder in seeders():
            if options["if_empty"] and seeder.is_loaded():
                self.stdout.write(f"{seeder.name}: data already exists; demo data not loaded.")
                continue
            summary = seeder.seed(options=options, progress=self._progress)
            self.stdout.write(self.style.SUCCESS(summary))

    def _progress(self, done: int, total: int) -> None:
        if total >= 10_000:
            self.stdout.write(f"\r  {done:>10,} / {total:,}", ending="" if done < total else "\n")
            self.stdout.flush()
