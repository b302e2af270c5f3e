"""Rows that are written once: the one base of the ledgers.

A ledger is history. The loyalty ledger, the payments, reversals, credits and store
credit entries of accounting, and the customer events each record what happened, with
the balance it left where there is one; a balance is their running sum, an audit reads
them back. Changing or deleting a row would rewrite that history and leave the balances
and the audit without their source, so a correction is a new row (a reversal, an
adjustment), never an edit. The models refuse it here, in one place, rather than each
ledger spelling the rule its own way.

A ledger's model subclasses ``ImmutableModel`` and keeps its rows through an
``ImmutableQuerySet`` (or a subclass with its own filters), so ``save()`` of a row
already stored, ``delete()``, and a queryset's ``update()`` and ``delete()`` all raise
``ImmutableRowError``. A permitted exception, such as blanking personal data for an
erasure, calls ``models.QuerySet.update`` explicitly and says why.
"""

from django.db import models


class ImmutableRowError(Exception):
    """Raised when code tries to change or delete a row that is written once."""


class ImmutableQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: they would rewrite a ledger's history."""

    def update(self, **kwargs):
        raise ImmutableRowError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self):
        raise ImmutableRowError(f"{self.model.__name__} rows cannot be deleted.")


class ImmutableModel(models.Model):
    """A model whose rows are inserted once and then never saved again nor deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and not kwargs.get("force_insert"):
            raise ImmutableRowError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(f"{type(self).__name__} rows cannot be deleted.")
