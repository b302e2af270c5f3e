"""Row locks on sales, taken after the customer's (see ``customers.locks`` for the order)."""

from sales.models import Sale


def sale_for_update(sale_id: int) -> Sale:
    """Return the sale row locked until the transaction ends.

    ``select_related`` is not used: ``FOR UPDATE`` would then lock the joined
    customer row too, out of order. Lock the customer first with
    ``customers.locks.customer_for_update`` and attach it to the sale.
    """
    return Sale.objects.select_for_update().get(pk=sale_id)
