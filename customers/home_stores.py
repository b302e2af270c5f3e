"""Which store a customer added here belongs to, and whether a shop has stores to tell apart.

A customer added at a till belongs to the till's store: the till this browser is
paired with, else the chain's only till (``stores.devices.device_till``). A shop
with one store never sees the choice: its customers all belong to that store, and
the pages show no store field, filter or figure.
"""

from stores.devices import device_till
from stores.models import Store


def store_of_device(request) -> Store | None:
    """Return the store of the till ``request`` comes from, or None away from every till
    (a browser not paired, in a chain of several tills)."""
    till = device_till(request)
    return till.store if till is not None else None


def several_stores() -> bool:
    """Return whether the chain has more than one store (one query, reading two rows at most)."""
    return len(Store.objects.values_list("pk", flat=True)[:2]) > 1


def store_choices() -> list[tuple[int, str]]:
    """Return every store as (id, name), for a choice of home store or of a filter."""
    return list(Store.objects.order_by("name", "pk").values_list("pk", "name"))
