"""Gift cards react to refunds: a card's share of a refund goes back onto the card.

Connected in ``GiftcardsConfig.ready()``; inside the refund's transaction, so the
refund and the card's entry commit together or not at all.
"""

from django.dispatch import receiver

from giftcards import services
from sales.signals import sale_refunded


@receiver(sale_refunded, dispatch_uid="giftcards_refund_to_cards")
def refund_to_cards(sender, refund, **kwargs):
    services.cards_refund_for_refund(refund=refund)
