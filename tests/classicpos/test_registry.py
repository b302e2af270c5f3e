"""The one registry shape: keyed by name, ordered, a different duplicate refused, per user."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured

from classicpos.registry import Registry
from tests.factories import UserFactory


@dataclass(frozen=True)
class Panel:
    name: str
    order: int = 100
    permission: str | None = None


def test_entries_come_in_their_order_then_in_the_order_they_came():
    panels = Registry("panels")
    for panel in (Panel("b"), Panel("a", order=10), Panel("c"), Panel("first", order=1)):
        panels.register(panel)

    assert [panel.name for panel in panels] == ["first", "a", "b", "c"]
    assert panels["a"] == Panel("a", order=10)
    assert panels.get("nope") is None
    assert ("b" in panels, len(panels)) == (True, 4)


def test_the_same_entry_again_is_harmless_and_another_under_its_name_is_refused():
    panels = Registry("panels")
    panels.register(Panel("a"))
    panels.register(Panel("a"))

    with pytest.raises(ImproperlyConfigured, match="Two panels are named 'a'"):
        panels.register(Panel("a", order=5))
    with pytest.raises(ImproperlyConfigured, match="No panels is named 'b'"):
        panels["b"]


@pytest.mark.django_db
def test_for_user_keeps_what_the_user_may_see(manager, cashier):
    panels = Registry("panels")
    panels.register(Panel("open"))
    panels.register(Panel("export", permission="customers.export_customer"))

    assert [panel.name for panel in panels.for_user(manager)] == ["open", "export"]
    assert [panel.name for panel in panels.for_user(cashier)] == ["open"]
    assert [panel.name for panel in panels.for_user(UserFactory())] == ["open"]
