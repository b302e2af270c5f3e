"""The one-time vouchers customers pay with at the till (issue 33 §3's birthday voucher)."""

from django.db import models


class RewardVoucher(models.Model):
    """A one-time voucher the customer pays with at the till: a birthday's, or the share of
    one a refund gave back.

    Used once, whole: the sale that uses it records what it paid (``used_amount``), and
    what it did not pay is not kept. Written only by ``loyalty.vouchers`` (issued once
    per ``reference``, used under the customer's lock), so a voucher pays one sale.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="reward_vouchers"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(max_length=80)
    # What issued it, once: "birthday-<customer>-<year>", "refund-<refund>".
    reference = models.CharField(max_length=40, unique=True)
    valid_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sale = models.ForeignKey(
        "sales.Sale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_vouchers",
    )
    used_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["valid_until", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="loyalty_voucher_amount_positive"
            ),
            # Used means a sale, what it paid (some, at most the voucher) and when.
            models.CheckConstraint(
                condition=models.Q(sale__isnull=True, used_amount__isnull=True)
                | models.Q(
                    sale__isnull=False,
                    used_amount__gt=0,
                    used_amount__lte=models.F("amount"),
                    used_at__isnull=False,
                ),
                name="loyalty_voucher_used_once_within_amount",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "valid_until"],
                condition=models.Q(sale__isnull=True),
                name="loyalty_voucher_usable_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.amount} until {self.valid_until}"
