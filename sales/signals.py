"""Signals ``sales`` sends inside the sale's database transaction.

Receivers (loyalty, accounting) run in the same transaction: if one raises, the
sale or refund is rolled back with everything they wrote. ``sales`` does not
know its receivers; they connect in their own ``AppConfig.ready()``.

- ``sale_completed(sender=Sale, sale=sale)`` after a checkout's rows are written.
- ``sale_refunded(sender=Refund, refund=refund, sale=sale)`` after a refund's rows are written.
- ``sale_paid_later(sender=Sale, sale=sale, paid_so_far=Decimal, reference=str, user=user)``
  when money for a sale arrives after checkout (a payment of its invoice), sent by the module
  that takes it, inside that payment's transaction with the customer locked. ``paid_so_far``
  is all the money paid later for the sale until now; ``reference`` names this payment once
  ("invoice-payment-12"), so a receiver can act on it exactly once. It is sent again when
  such a payment is reversed, with the lower ``paid_so_far``, the reversal's own reference
  ("invoice-payment-reversal-3") and ``reversal=True``: a receiver brings what it gave down
  to match. A payment only ever gives; a reversal only ever takes back.
"""

from django.dispatch import Signal

sale_completed = Signal()
sale_refunded = Signal()
sale_paid_later = Signal()
