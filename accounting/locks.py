"""Row locks of accounting, always taken after the customer's (``customers.locks``).

The order, everywhere: **customer, then sale, then the sale's invoice**, and the
store's counter rows last of all (its sale series, then its invoice series,
``stores.services.next_number``). Checkout and refunds lock the customer (and the
sale) themselves and hand the locked customer over on ``sale.customer``; the
accounting services called inside them lock only what comes after. Standalone
writes (an invoice payment, a credit limit, a store credit adjustment) lock the
customer first themselves, so every write to one customer's account queues
behind the others in the same order and none can deadlock.

SQLite ignores ``select_for_update``; there every write transaction holds the
database's one write lock, which serialises them the same way.
"""

from accounting.models import Invoice


def invoice_for_update(invoice_id: int) -> Invoice:
    """Return the invoice row locked until the transaction ends (lock its customer first)."""
    return Invoice.objects.select_for_update().get(pk=invoice_id)


def invoice_of_sale_for_update(sale_id: int) -> Invoice | None:
    """Return the locked invoice of a sale, or ``None`` (lock customer and sale first)."""
    return Invoice.objects.select_for_update().filter(sale_id=sale_id).first()
