"""``manage.py loyalty_reconcile``: prove every points balance equals its ledger."""

from django.core.management.base import BaseCommand, CommandError

from loyalty.selectors import balance_mismatches
from loyalty.services import points_reconcile


class Command(BaseCommand):
    help = (
        "Check that every customer's loyalty balance equals the sum of their ledger and print "
        "the differences. Exits with status 1 when differences are found, unless --fix writes "
        "an adjustment row for each so that the ledger explains the balance."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write a reconciliation adjustment for each difference found.",
        )

    def handle(self, *args, **options):
        mismatches = list(balance_mismatches())
        if not mismatches:
            self.stdout.write(self.style.SUCCESS("Every balance equals its ledger."))
            return
        self.stdout.write(f"{'customer':>10}  {'balance':>10}  {'ledger':>10}  {'difference':>10}")
        for customer in mismatches:
            difference = customer.loyalty_points - customer.ledger_sum
            self.stdout.write(
                f"{customer.pk:>10}  {customer.loyalty_points:>10}  {customer.ledger_sum:>10}  "
                f"{difference:>+10}  {customer.name}"
            )
        if not options["fix"]:
            raise CommandError(
                f"{len(mismatches)} balance(s) differ from their ledger; run with --fix to "
                "write reconciliation adjustments."
            )
        for customer in mismatches:
            points_reconcile(customer_id=customer.pk)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(mismatches)} reconciliation adjustment(s).")
        )
