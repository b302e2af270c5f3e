"""The record that two customers the duplicate finder pairs up are different people.

Households share a phone, an email or an address; once someone has said "not the
same person", the pair leaves the Duplicates page for good. Its own module because
``customers/models.py`` is long; ``customers.models`` imports it, so it is one of
the app's models like the rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

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


def carry_distinct_pairs(*, duplicate: Customer, survivor: Customer) -> None:
    """Say of the survivor what was said of the duplicate: it is not those customers either.

    The duplicate was the survivor all along; without this, a household member decided
    apart from the duplicate would be offered again once the survivor took its phone.
    """
    pairs = DistinctCustomers.objects.filter(Q(first=duplicate) | Q(second=duplicate))
    carried = []
    for pair in pairs:
        other_id = pair.second_id if pair.first_id == duplicate.pk else pair.first_id
        if other_id != survivor.pk:
            first_id, second_id = sorted((survivor.pk, other_id))
            carried.append(
                DistinctCustomers(
                    first_id=first_id, second_id=second_id, decided_by_id=pair.decided_by_id
                )
            )
    # A pair the survivor already has stays as it was decided.
    DistinctCustomers.objects.bulk_create(carried, ignore_conflicts=True)
