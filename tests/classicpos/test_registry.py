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


def test_the_tills_and_the_demos_registries_refuse_a_second_entry_under_one_name():
    from classicpos.api.idempotency import register_reference_key
    from classicpos.demo import DemoSeeder, register_seeder, seeders
    from sales.extensions import (
        CheckoutWidget,
        PaymentMethodType,
        SaleFacts,
        checkout_widgets_for,
        payment_method,
        register_checkout_widget,
        register_payment_method,
        register_sale_facts,
        sale_facts,
    )

    # Registering what is there already (a ready() run twice) changes nothing...
    cash = payment_method("cash")
    register_payment_method(cash)
    seeder = seeders()[0]
    register_seeder(seeder)
    register_reference_key("customerId", resource="customers")
    # ...another entry under a name taken is a mistake said at start-up, not a silent swap.
    with pytest.raises(ImproperlyConfigured, match="payment methods"):
        register_payment_method(PaymentMethodType(code="cash", label="Cash"))
    with pytest.raises(ImproperlyConfigured, match="sale facts"):
        register_sale_facts(SaleFacts(name=sale_facts()[0].name, api=dict, receipt=list))
    widget = CheckoutWidget(template_name="loyalty/_checkout_points.html")
    with pytest.raises(ImproperlyConfigured, match="checkout widgets"):
        register_checkout_widget(widget)
    with pytest.raises(ImproperlyConfigured, match="demo seeders"):
        register_seeder(DemoSeeder(name=seeder.name, seed=str, is_loaded=bool))
    with pytest.raises(ImproperlyConfigured, match="reference keys"):
        register_reference_key("customerId", resource="leads")
    assert payment_method("cash") is cash
    assert widget not in checkout_widgets_for(UserFactory.build(is_superuser=True))
