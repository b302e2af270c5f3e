"""``manage.py loyalty_reconcile``: prove every points balance equals its ledger, and
that the points lots (what expiry takes from) hold every positive balance."""

from django.core.management.base import BaseCommand, CommandError

from loyalty.selectors import balance_mismatches, lot_mismatches
from loyalty.services import points_lots_reconcile, points_reconcile


class Command(BaseCommand):
    help = (
        "Check that every customer's loyalty balance equals the sum of their ledger and print "
        "the differences, then that each customer's points lots hold their balance (zero "
        "while it is negative). Exits with status 1 when differences are found, unless --fix "
        "writes an adjustment row for each so that the ledger explains the balance, and "
        "brings the lots in line."
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
            self._check_lots(fix=options["fix"])
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
        self._check_lots(fix=True)

    def _check_lots(self, *, fix: bool) -> None:
        drifted = list(lot_mismatches())
        if not drifted:
            self.stdout.write(self.style.SUCCESS("Every balance is held by its points lots."))
            return
        self.stdout.write(f"{'customer':>10}  {'balance':>10}  {'lots hold':>10}")
        for customer in drifted:
            self.stdout.write(
                f"{customer.pk:>10}  {customer.loyalty_points:>10}  {customer.lots_sum:>10}  "
                f"{customer.name}"
            )
        if not fix:
            raise CommandError(
                f"{len(drifted)} customer(s)' points lots differ from their balance; run with "
                "--fix to bring them in line."
            )
        for customer in drifted:
            points_lots_reconcile(customer_id=customer.pk)
        self.stdout.write(self.style.SUCCESS(f"Brought {len(drifted)} customer(s)' lots in line."))
