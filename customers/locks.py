"""Locks on customers: the first locks of every transaction that takes several.

The order, everywhere in ClassicPOS: **contact details, customer, then sale**,
then what hangs on the sale (invoice, ...). A service locks once, at its start,
and passes the locked instance down (``sale.customer`` inside checkout and refund) instead of
locking again; two tills then always wait for each other in the same order and
never deadlock.

On PostgreSQL ``select_for_update`` makes a second transaction wait until the
first commits, so both see the true balance. SQLite ignores it, but there every
write transaction is IMMEDIATE and holds the database's only write lock, which
serialises the tills the same way.

A customer who does not exist yet has no row to lock, so finding-or-creating
a customer by a phone or email (the import, CRM's lead conversion) locks the
*contact details* instead, before it looks (``contact_details_lock``). That lock
comes first of all, before any customer row.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection
from django.db.transaction import TransactionManagementError

from customers.models import Customer

# pg_advisory_xact_lock(namespace, key): the first number keeps these apart from
# any other advisory lock; the second is one of CONTACT_LOCK_SLOTS slots.
CONTACT_LOCK_NAMESPACE = 0x43504F53  # "CPOS"
# Few slots on purpose: an import batch of 500 rows then takes at most 256 locks
# (PostgreSQL's shared lock table holds 64 per connection by default), and two
# details that share a slot only wait for each other, never merge.
CONTACT_LOCK_SLOTS = 256


def customer_for_update(customer_id: int) -> Customer | None:
    """Return the customer row locked until the transaction ends, or ``None``."""
    return Customer.objects.select_for_update().filter(pk=customer_id).first()


def customer_lock(customer: Customer) -> Customer:
    """Lock ``customer``'s row until the transaction ends and bring the instance up to date.

    An edit page, the API and the admin read the customer before the edit is
    saved; a till may have given points, or a Manager deactivated the customer,
    in between. The service decides on the row as it is now, not on that copy,
    and the caller's instance (which the import goes on using) shows it too.
    """
    customer.refresh_from_db(from_queryset=Customer.objects.select_for_update())
    return customer


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


def _contact_slot(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % CONTACT_LOCK_SLOTS


def contact_details_lock(*, emails: Iterable[str | None] = (), phones: Iterable[str | None] = ()):
    """Serialise finding-or-creating a customer by these normalised emails and E.164 phones.

    Held until the transaction ends. Two imports of one phone-only file, or two
    tills converting leads with the same phone, then match one after the other:
    the second sees the customer the first created instead of adding another. A
    unique constraint cannot do it, because a family may share a phone.

    Call it inside ``transaction.atomic`` before the lookup, and before locking
    any customer row. Slots are taken in ascending order in one statement, so
    two callers never wait for each other in a circle. PostgreSQL only: SQLite
    already runs one write transaction at a time (every one is IMMEDIATE).
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise TransactionManagementError("contact_details_lock needs a transaction to live in.")
    slots = {_contact_slot("email", email.lower()) for email in emails if email}
    slots |= {_contact_slot("phone", phone) for phone in phones if phone}
    if not slots:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::integer, slot) "
            "FROM (SELECT unnest(%s::integer[]) AS slot ORDER BY slot) AS slots",
            [CONTACT_LOCK_NAMESPACE, sorted(slots)],
        )
