"""``manage.py loyalty_tiers``: the daily recompute of customers' tiers."""

from django.core.management.base import BaseCommand

from loyalty.tiers import tiers_recompute_all


class Command(BaseCommand):
    help = (
        "Recompute every customer's loyalty tier (daily): downgrades whose grace period "
        "ended, tiers set by hand that ended, and moves a changed tier table makes. "
        "Safe to run twice, or twice at once."
    )

    def handle(self, *args, **options):
        changed = tiers_recompute_all()
        self.stdout.write(f"{changed} tier change(s).")
