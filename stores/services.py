"""Every write of stores and tills, one transaction each, and the numbers a store gives."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from stores.models import FIRST_STORE_CODE, FIRST_TILL_NAME, Store, StoreCounter, Till

STORE_FIELDS = ("code", "name", "address", "phone", "tax_id", "tax_rate", "time_zone")
# What a Manager may change after the store is made: its code is printed on its receipts.
STORE_EDITABLE_FIELDS = tuple(field for field in STORE_FIELDS if field != "code")


def _clean_text(value) -> str:
    return " ".join(str(value or "").split())


def _save_store(store: Store, *, update_fields=None) -> Store:
    store.full_clean(exclude=["staff"])
    try:
        with transaction.atomic():
            store.save(update_fields=update_fields)
    except IntegrityError:
        # Two Managers took the same code at once: the unique index decided.
        raise ValidationError({"code": ["Another store has this code."]}) from None
    return store


@transaction.atomic
def store_create(*, code: str, name: str, **details) -> Store:
    store = Store(code=_clean_text(code).upper(), name=_clean_text(name))
    for field in STORE_EDITABLE_FIELDS:
        if field in details and field != "name":
            value = details[field]
            setattr(store, field, value if field == "tax_rate" else _clean_text(value))
    return _save_store(store)


@transaction.atomic
def store_update(*, store: Store, data: dict) -> Store:
    """Change what ``data`` names; the code is refused (its receipts are printed)."""
    if "code" in data and _clean_text(data["code"]).upper() != store.code:
        raise ValidationError(
            {"code": ["A store's code is printed on its receipts and cannot change."]}
        )
    store = Store.objects.select_for_update().get(pk=store.pk)
    changed = []
    for field in STORE_EDITABLE_FIELDS:
        if field not in data:
            continue
        value = data[field] if field == "tax_rate" else _clean_text(data[field])
        if getattr(store, field) != value:
            setattr(store, field, value)
            changed.append(field)
    if changed:
        _save_store(store, update_fields=changed)
    return store


@transaction.atomic
def store_set_staff(*, store: Store, usernames: list[str]) -> list:
    """Let exactly these users sell at ``store``; an unknown or inactive name is refused."""
    wanted = sorted({name.strip() for name in usernames if name and name.strip()})
    users = list(get_user_model().objects.filter(username__in=wanted, is_active=True))
    unknown = sorted(set(wanted) - {user.username for user in users})
    if unknown:
        raise ValidationError({"usernames": [f"No active user is called {', '.join(unknown)}."]})
    Store.objects.select_for_update().get(pk=store.pk)
    store.staff.set(users)
    return users


@transaction.atomic
def till_create(*, store: Store, name: str, active: bool = True) -> Till:
    till = Till(store=store, name=_clean_text(name), active=active)
    till.full_clean()
    till.save()
    return till


@transaction.atomic
def till_update(*, till: Till, data: dict) -> Till:
    """Rename, move or retire a till; its past sales keep naming it."""
    till = Till.objects.select_for_update().get(pk=till.pk)
    changed = []
    for field in ("name", "active", "store"):
        if field not in data:
            continue
        value = _clean_text(data[field]) if field == "name" else data[field]
        if getattr(till, field) != value:
            setattr(till, field, value)
            changed.append(field)
    if changed:
        till.full_clean()
        till.save(update_fields=changed)
    return till


def first_store() -> Store:
    """Return the chain's first store, making "Main" (code ``S``) and its till on an empty
    database: a one-shop database needs no set-up step before its first sale."""
    store = Store.objects.order_by("pk").first()
    if store is not None:
        return store
    try:
        with transaction.atomic():
            store = Store.objects.create(code=FIRST_STORE_CODE, name="Main")
            Till.objects.create(store=store, name=FIRST_TILL_NAME)
    except IntegrityError:
        # Another request made it first.
        return Store.objects.order_by("pk").first()
    return store


def next_number(*, store_id: int, series: str) -> int:
    """Take the next number of a store's series, inside the caller's transaction.

    One ``UPDATE ... SET last_number = last_number + 1 ... RETURNING`` locks the
    store's own row until the caller commits, so a series is gap-free and never
    gives a number twice; call it after every check, just before the write that
    prints it, to hold the row as briefly as possible. (SQLite has had
    ``RETURNING`` since 3.35.)
    """
    number = _increment(store_id, series)
    if number is None:
        try:
            with transaction.atomic():
                StoreCounter.objects.create(store_id=store_id, series=series, last_number=0)
        except IntegrityError:
            pass  # another till made the row first: ours waits on its lock below
        number = _increment(store_id, series)
    return number


def _increment(store_id: int, series: str) -> int | None:
    table = connection.ops.quote_name(StoreCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608 - the model's table
            "WHERE store_id = %s AND series = %s RETURNING last_number",
            [store_id, series],
        )
        row = cursor.fetchone()
    return row[0] if row else None
