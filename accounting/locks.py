"""Row locks of accounting, always taken after the customer's (``customers.locks``).

The order, everywhere: **customer, then sale, then the sale's invoice**, and the
invoice counter last of all. Checkout and refunds lock the customer (and the
sale) themselves and hand the locked customer over on ``sale.customer``; the
accounting services called inside them lock only what comes after. Standalone
writes (an invoice payment, a credit limit, a store credit adjustment) lock the
customer first themselves, so every write to one customer's account queues
behind the others in the same order and none can deadlock.

SQLite ignores ``select_for_update``; there every write transaction holds the
database's one write lock, which serialises them the same way.
"""

from django.db import IntegrityError, transaction

from accounting.models import Invoice, InvoiceCounter

INVOICE_SERIES = "invoice"


def invoice_for_update(invoice_id: int) -> Invoice:
    """Return the invoice row locked until the transaction ends (lock its customer first)."""
    return Invoice.objects.select_for_update().get(pk=invoice_id)


def invoice_of_sale_for_update(sale_id: int) -> Invoice | None:
    """Return the locked invoice of a sale, or ``None`` (lock customer and sale first)."""
    return Invoice.objects.select_for_update().filter(sale_id=sale_id).first()


def next_invoice_number() -> int:
    """Take the next invoice number in the caller's transaction.

    The counter row stays locked until the transaction ends, so two tills never
    get the same number, and a sale that is refused gives its number back.
    """
    counter = InvoiceCounter.objects.select_for_update().filter(pk=INVOICE_SERIES).first()
    if counter is None:
        # The first invoice of this database (or after a test flush): create the
        # row; a racing till that created it first makes ours fail, so lock theirs.
        try:
            with transaction.atomic():
                InvoiceCounter.objects.create(name=INVOICE_SERIES, last_number=0)
        except IntegrityError:
            pass
        counter = InvoiceCounter.objects.select_for_update().get(pk=INVOICE_SERIES)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
