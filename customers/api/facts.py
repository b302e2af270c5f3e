"""Keys other modules add to one customer's JSON (``GET /api/customers/:id``).

``customers`` names no module: a module registers ``CustomerFacts`` from its
``AppConfig.ready()`` (loyalty's tier and expiring points), as it registers its
panels. Only the one customer's JSON carries them, like ``externalRef``: a page of
the list stays two queries at a million customers, and the till searches it on
every key.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rest_framework import serializers

from classicpos.registry import Registry


@dataclass(frozen=True)
class CustomerFacts:
    name: str  # one set of facts per module ("loyalty")
    # (*, customer) -> {"camelCaseKey": value}, in a constant number of queries.
    api: Callable[..., dict]
    # () -> {"snake_case_name": a read-only serializer field}: the keys' schema.
    fields: Callable[[], dict[str, serializers.Field]]
    order: int = 100


_customer_facts: Registry[CustomerFacts] = Registry("customer facts")


def register_customer_facts(facts: CustomerFacts) -> None:
    _customer_facts.register(facts)


def customer_facts() -> list[CustomerFacts]:
    return list(_customer_facts)
