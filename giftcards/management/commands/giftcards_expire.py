"""``manage.py giftcards_expire``: daily, write an expire entry for each card past its date."""

from django.core.management.base import BaseCommand

from giftcards.services import cards_expire


class Command(BaseCommand):
    help = (
        "Write an expire entry for every active gift card past its expiry date that still "
        "holds money. Cards never expire unless a Manager set a validity, and then only "
        "cards issued after it. Safe to run twice, or twice at once: an emptied card is skipped."
    )

    def handle(self, *args, **options):
        expired = cards_expire()
        self.stdout.write(self.style.SUCCESS(f"Expired {expired} gift card(s)."))
