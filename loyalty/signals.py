"""Signals ``loyalty`` sends; modules above it (``messaging``) receive them.

- ``points_expiring(sender=PointsLot, customer=customer, points=int, on=date)``: the
  customer's ``points`` expire on ``on`` unless they are spent first. Sent by the daily
  ``manage.py loyalty_expire`` (``loyalty.expiry``) once per customer and expiry day,
  inside the transaction that records the notice as given (the lots' ``notified_for``)
  with the customer locked: a receiver's write (a queued email) commits with that record
  or not at all, so a notice is neither lost nor sent twice. Sent whether or not the
  customer agreed to email; the receiver decides whom it may write to.
- ``birthday_rewarded(sender=LoyaltyTransaction, customer=customer, points=int,
  voucher=RewardVoucher|None, greeting=bool)``: the customer was just given ``points``
  (0: none) and a ``voucher`` (None: none) for their birthday by the
  daily ``manage.py birthday_rewards`` (``loyalty.birthdays``), inside the transaction
  that writes the ledger row, with the customer locked; ``greeting`` is the program's
  choice to greet them. A receiver's write commits with the reward or not at all.
"""

from django.dispatch import Signal

points_expiring = Signal()
birthday_rewarded = Signal()
