"""``manage.py giftcards_reconcile``: prove every card's balance is the sum of its entries."""

from django.core.management.base import BaseCommand, CommandError

from giftcards.selectors import card_mismatches


class Command(BaseCommand):
    help = (
        "Check that every gift card's balance equals the sum of its entries, that its last "
        "entry left that balance and that each entry starts where the one before ended. "
        "Exits with status 1 on a difference (a person must look: nothing is fixed here)."
    )

    def handle(self, *args, **options):
        cards = list(card_mismatches())
        if not cards:
            self.stdout.write(self.style.SUCCESS("Every gift card's balance equals its ledger."))
            return
        for card in cards:
            self.stdout.write(
                f"gift card {card.pk} {card.masked}: balance {card.balance}, ledger "
                f"{card.ledger_sum} over {card.ledger_entries} entries (card says "
                f"{card.entry_count}), last entry left {card.last_balance}"
            )
        raise CommandError(f"{len(cards)} gift card(s) differ from their ledger.")
