"""Signals ``sales`` sends inside the sale's database transaction.

Receivers (loyalty, accounting) run in the same transaction: if one raises, the
sale or refund is rolled back with everything they wrote. ``sales`` does not
know its receivers; they connect in their own ``AppConfig.ready()``.

- ``sale_completed(sender=Sale, sale=sale)`` after a checkout's rows are written.
- ``sale_refunded(sender=Refund, refund=refund, sale=sale)`` after a refund's rows are written.
"""

from django.dispatch import Signal

sale_completed = Signal()
sale_refunded = Signal()
