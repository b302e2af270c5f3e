"""Loyalty reacts to sales: points are awarded and reversed inside the sale's transaction.

Connected in ``LoyaltyConfig.ready()``. A receiver that raises rolls the sale back,
so a sale and its points commit together or not at all.
"""

from django.dispatch import receiver

from loyalty import services, vouchers
from sales.signals import sale_completed, sale_paid_later, sale_refunded


@receiver(sale_completed, dispatch_uid="loyalty_award_points")
def award_points(sender, sale, **kwargs):
    services.points_award_for_sale(sale=sale)


@receiver(sale_refunded, dispatch_uid="loyalty_reverse_points")
def reverse_points(sender, refund, **kwargs):
    services.points_reverse_for_refund(refund=refund)


@receiver(sale_refunded, dispatch_uid="loyalty_give_vouchers_back")
def give_vouchers_back(sender, refund, **kwargs):
    vouchers.vouchers_give_back_for_refund(refund=refund)


@receiver(sale_paid_later, dispatch_uid="loyalty_award_points_paid_later")
def award_points_paid_later(sender, sale, paid_so_far, reference, user, reversal=False, **kwargs):
    services.points_award_for_later_payment(
        sale=sale, paid_so_far=paid_so_far, reference=reference, user=user, reversal=reversal
    )
