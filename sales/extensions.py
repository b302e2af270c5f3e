"""Hooks other modules plug into a sale without ``sales`` importing them.

- Payment handlers: a method such as ``points`` or ``on_account`` is accepted at
  checkout only when a module registered a handler for it. The handler is called
  directly inside the checkout transaction (not through a signal) because it
  must be able to refuse the sale: raising ``ValidationError`` rolls it back.
- Sale facts: extra figures a module adds to a sale's API response and receipt
  (loyalty adds points earned and redeemed), with the prefetches they need so
  lists keep a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PaymentHandler = Callable[..., None]

_payment_handlers: dict[str, PaymentHandler] = {}


def register_payment_handler(method: str, handler: PaymentHandler) -> None:
    """Accept ``method`` at checkout; ``handler(sale=, payment=, user=)`` may refuse it."""
    _payment_handlers[method] = handler


def payment_handler(method: str) -> PaymentHandler | None:
    return _payment_handlers.get(method)


@dataclass(frozen=True)
class SaleFacts:
    """Extra facts about a sale: ``api(sale) -> dict`` and ``receipt(sale) -> [(label, value)]``."""

    api: Callable[[object], dict]
    receipt: Callable[[object], list[tuple[str, str]]]
    prefetch: tuple[str, ...] = field(default_factory=tuple)


_sale_facts: list[SaleFacts] = []


def register_sale_facts(facts: SaleFacts) -> None:
    _sale_facts.append(facts)


def sale_facts() -> list[SaleFacts]:
    return list(_sale_facts)


def sale_prefetches() -> list[str]:
    return [name for facts in _sale_facts for name in facts.prefetch]
