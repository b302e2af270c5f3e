"""Finding a card by its code, without becoming an oracle for guessed codes.

Every path that reads a code someone typed (the balance lookup, a payment in a quote
or at checkout) comes through ``card_for_code``: ten wrong codes a minute per user and
per address, then ``TooManyMisses`` (a 429 in the API, a message at the till). Unknown,
voided and expired codes all read "No active gift card with this code."; the reason is
told only once the code matched a card (``refusal``).
"""

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from giftcards import codes
from giftcards.models import GiftCard, GiftCardStatus, LookupMiss

MISSES_PER_MINUTE = 10
WINDOW = timedelta(minutes=1)
NO_ACTIVE_CARD = "No active gift card with this code."
TOO_MANY = "Too many wrong gift card codes: wait a minute before trying another."


class TooManyMisses(Exception):
    """Raised once a user or an address typed too many wrong codes in the last minute."""


def _user_id(user) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


_pending = threading.local()


def _pending_misses() -> list[tuple[int | None, str | None]]:
    return _pending.__dict__.setdefault("misses", [])


def _recent(user_id, address) -> bool:
    since = timezone.now() - WINDOW
    pending = _pending_misses()
    checks = []
    if user_id is not None:
        checks.append(
            (
                LookupMiss.objects.filter(user_id=user_id, at__gte=since),
                [m for m in pending if m[0] == user_id],
            )
        )
    if address:
        checks.append(
            (
                LookupMiss.objects.filter(address=address, at__gte=since),
                [m for m in pending if m[1] == address],
            )
        )
    return any(
        len(waiting) + rows[:MISSES_PER_MINUTE].count() >= MISSES_PER_MINUTE
        for rows, waiting in checks
    )


def _note_miss(user_id, address) -> None:
    """Count a miss. Inside a transaction (a checkout) the miss waits for the request's
    end: the checkout it refused rolls back, and the miss must not roll back with it."""
    if connection.in_atomic_block:
        _pending_misses().append((user_id, address))
        return
    _write([(user_id, address)])


def _write(misses) -> None:
    LookupMiss.objects.bulk_create(
        LookupMiss(user_id=user_id, address=address) for user_id, address in misses
    )
    LookupMiss.objects.filter(at__lt=timezone.now() - WINDOW * 10).delete()


def forget_pending_misses(**kwargs) -> None:
    """Start a request with no misses waiting (``request_started`` calls this): a miss
    counted outside any request (a command, a test) has no one to limit."""
    _pending_misses().clear()


def write_pending_misses(**kwargs) -> None:
    """Write the misses counted inside transactions (``request_finished`` calls this)."""
    misses = _pending_misses()
    if misses:
        pending, misses[:] = list(misses), []
        _write(pending)


def card_for_code(code, *, user=None, address: str | None = None) -> GiftCard | None:
    """Return the card ``code`` names, or ``None`` (a miss, counted).

    Raises ``TooManyMisses`` before reading the code once the user or address is
    over the limit, so a right code guessed after the limit is refused too.
    """
    user_id = _user_id(user)
    address = address or None
    if _recent(user_id, address):
        raise TooManyMisses(TOO_MANY)
    normalized = codes.normalize(code)
    card = None
    if codes.SCANNED_PATTERN.fullmatch(normalized):
        card = GiftCard.objects.filter(code_hash=codes.code_hash(normalized)).first()
    if card is None:
        _note_miss(user_id, address)
    return card


def refusal(card: GiftCard, *, today=None) -> str:
    """Return why a matched card cannot be used now, or ``""`` when it can."""
    today = today or timezone.localdate()
    if card.status == GiftCardStatus.VOIDED:
        return f"Gift card {card.masked} was voided."
    if card.status == GiftCardStatus.BLOCKED:
        return f"Gift card {card.masked} is blocked: a Manager can unblock it."
    if card.expires_on is not None and card.expires_on < today:
        day = card.expires_on
        return f"Gift card {card.masked} expired on {day:%b} {day.day}, {day.year}."
    return ""
