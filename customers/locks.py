"""Row locks on customers: the first lock of every transaction that takes several.

The order, everywhere in ClassicPOS: **customer, then sale**, then what hangs
on the sale (invoice, ...). A service locks once, at its start, and passes the
locked instance down (``sale.customer`` inside checkout and refund) instead of
locking again; two tills then always wait for each other in the same order and
never deadlock.

On PostgreSQL ``select_for_update`` makes a second transaction wait until the
first commits, so both see the true balance. SQLite ignores it, but there every
write transaction is IMMEDIATE and holds the database's only write lock, which
serialises the tills the same way.
"""

from customers.models import Customer


def customer_for_update(customer_id: int) -> Customer | None:
    """Return the customer row locked until the transaction ends, or ``None``."""
    return Customer.objects.select_for_update().filter(pk=customer_id).first()


def customers_for_update(*customer_ids: int) -> dict[int, Customer]:
    """Lock several customers, in primary-key order, and return them by id.

    Two merges of the same pair, whichever way round they were asked, then
    wait for each other instead of each holding one row the other needs.
    """
    locked = {}
    for customer_id in sorted(set(customer_ids)):
        customer = customer_for_update(customer_id)
        if customer is not None:
            locked[customer_id] = customer
    return locked
