"""Accounting reacts to refunds inside the refund's transaction: an invoiced sale's
refund reduces its invoice, and what is owed back in store credit is credited.

Connected in ``AccountingConfig.ready()``; a receiver that raises rolls the refund back.
"""

from django.dispatch import receiver

from accounting import services
from sales.signals import sale_refunded


@receiver(sale_refunded, dispatch_uid="accounting_credit_refund")
def credit_refund(sender, refund, **kwargs):
    services.credit_for_refund(refund=refund)
