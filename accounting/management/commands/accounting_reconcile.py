"""``manage.py accounting_reconcile``: prove store credit and invoices equal their rows."""

from django.core.management.base import BaseCommand, CommandError

from accounting.selectors import invoice_mismatches, store_credit_mismatches
from accounting.services import store_credit_reconcile
from sales.money import to_cents


class Command(BaseCommand):
    help = (
        "Check that every store credit balance equals the sum of its ledger, and every "
        "invoice's amount paid and credited equal the sum of its payments and credits. Exits "
        "with status 1 on differences, unless --fix writes a store credit adjustment for each "
        "balance (invoice differences are only reported: they need a person to look)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write a store credit reconciliation adjustment for each balance that differs.",
        )

    def handle(self, *args, **options):
        accounts = list(store_credit_mismatches())
        invoices = list(invoice_mismatches())
        if not accounts and not invoices:
            self.stdout.write(self.style.SUCCESS("Every balance equals its ledger."))
            return
        for account in accounts:
            ledger = to_cents(account.ledger_sum)
            self.stdout.write(
                f"store credit  customer {account.customer_id}: balance {account.store_credit}, "
                f"ledger {ledger}, difference {account.store_credit - ledger:+}  "
                f"{account.customer.name}"
            )
        for invoice in invoices:
            self.stdout.write(
                f"invoice {invoice.number}: paid {invoice.amount_paid} vs payments "
                f"{to_cents(invoice.payments_sum)}; credited {invoice.amount_credited} vs credits "
                f"{to_cents(invoice.credits_sum)}"
            )
        if options["fix"] and accounts:
            for account in accounts:
                store_credit_reconcile(customer_id=account.customer_id)
            self.stdout.write(
                self.style.SUCCESS(f"Wrote {len(accounts)} reconciliation adjustment(s).")
            )
        if invoices or not options["fix"]:
            raise CommandError(
                f"{len(accounts)} store credit balance(s) and {len(invoices)} invoice(s) differ "
                "from their rows."
                + (" Run with --fix to adjust the store credit balances." if accounts else "")
            )
