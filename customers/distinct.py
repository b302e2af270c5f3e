"""The record that two customers the duplicate finder pairs up are different people.

Households share a phone, an email or an address; once someone has said "not the
same person", the pair leaves the Duplicates page for good. Its own module because
``customers/models.py`` is long; ``customers.models`` imports it, so it is one of
the app's models like the rest.
"""

from django.conf import settings
from django.db import models

from customers.models import Customer


class DistinctCustomers(models.Model):
    """Two customers someone said are not the same person: who said it, and when.

    The pair is stored once, the lower id first, so "A is not B" and "B is not A"
    are the same row and the database refuses the second.
    """

    first = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        db_table = "customer_distinct_pairs"
        verbose_name = "pair of different people"
        verbose_name_plural = "pairs of different people"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="customer_distinct_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="customer_distinct_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} is not #{self.second_id}"
