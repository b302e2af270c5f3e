"""Which till a sale is rung up at, and who may sell there.

A shop with one till never names it: every sale is that till's. Once the chain
has more than one active till, each sale must say which (the page's paired
device, the API's ``tillId``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef

from classicpos import prepared
from classicpos.limits import is_id
from stores.models import Store, Till
from stores.services import first_store

TILL_FIELD = "tillId"


def may_sell_at(user, store: Store) -> bool:
    """A user assigned to stores sells only at those; one assigned to none sells everywhere
    (a one-store shop assigns nobody)."""
    assigned = set(user.stores.values_list("pk", flat=True)) if user.pk else set()
    return not assigned or store.pk in assigned


def _tills_as_seen_by(user_id):
    """Tills with their store, each annotated with whether the user may sell there: the
    till and the staff rule in one query (the till asks on every quote). ``user_id`` may
    be a prepared statement's slot."""
    staff = Store.staff.through.objects.filter(user_id=user_id)
    return Till.objects.select_related("store").annotate(
        seller_assigned=Exists(staff),
        seller_at_store=Exists(staff.filter(store_id=OuterRef("store_id"))),
    )


def _till_lookup(slot):
    """One till as ``_tills_as_seen_by`` reads it, as a prepared statement (its slots bound
    per call): building this query with its two subqueries was a third of a quote's CPU
    under the chain bench."""
    return _tills_as_seen_by(slot("user")).filter(pk=slot("till"))


def _till_as_seen_by(till_id, user) -> Till | None:
    values = {"till": till_id, "user": user.pk if user else None}
    rows = prepared.statement("till as seen by", _till_lookup, values).instances(values)
    return rows[0] if rows else None


def _usable(till: Till | None, till_id, field: str) -> Till:
    """The named till, refused on ``field`` when it is unknown or retired."""
    if till is None:
        raise ValidationError({field: [f"There is no till #{till_id}."]})
    if not till.active:
        raise ValidationError({field: [f"{till.name} is retired: choose another till."]})
    return till


def the_only_till(user=None) -> Till | None:
    """Return the one active till of a chain that has exactly one, else ``None``.

    An empty database gets its first store and till here (``first_store``).
    """
    user_id = user.pk if user else None
    tills = list(_tills_as_seen_by(user_id).filter(active=True)[:2])
    if not tills and not Store.objects.exists():
        first_store()
        tills = list(_tills_as_seen_by(user_id).filter(active=True)[:2])
    return tills[0] if len(tills) == 1 else None


def till_for_sale(*, till_id, user, field: str = TILL_FIELD) -> Till:
    """Return the active till a sale by ``user`` is rung up at.

    Raises ``ValidationError`` on ``field`` when the till is missing (and the
    chain has several), unknown or retired, and ``PermissionDenied`` when the
    user may not sell at its store.
    """
    if till_id in (None, ""):
        till = the_only_till(user)
        if till is None:
            raise ValidationError({field: ["Choose the till this sale is rung up at."]})
    else:
        found = _till_as_seen_by(till_id, user) if is_id(till_id) else None
        till = _usable(found, till_id, field)
    if till.seller_assigned and not till.seller_at_store:
        raise PermissionDenied(f"You may not sell at {till.store.name}'s tills.")
    return till


def store_list():
    return Store.objects.order_by("code")


def till_list():
    return Till.objects.select_related("store").order_by("store__code", "name", "id")


def recorded_at(*, till: Till | None = None, source=None) -> dict:
    """Return ``{"store", "till"}`` for a ledger row (``stores.models.RecordedAtTill``).

    ``till`` is where the write happens when the caller knows it; else the row
    takes the store and till of what caused it (``source``: the sale, refund or
    payment it belongs to); else the chain's only till; else none.
    """
    if till is None and source is not None and getattr(source, "till_id", None):
        return {"store_id": source.store_id, "till_id": source.till_id}
    till = till or the_only_till()
    if till is None:
        return {"store_id": None, "till_id": None}
    return {"store_id": till.store_id, "till_id": till.pk}


def till_named(till_id, *, field: str = TILL_FIELD) -> Till | None:
    """Return the till a write away from the sale screen names (an invoice payment, an
    adjustment): the named active till, else the chain's only till, else ``None`` (a
    back-office write in a chain). An unknown or retired till is a ``ValidationError``."""
    if till_id in (None, ""):
        return the_only_till()
    found = (
        Till.objects.select_related("store").filter(pk=till_id).first() if is_id(till_id) else None
    )
    return _usable(found, till_id, field)
