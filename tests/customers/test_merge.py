"""Merging duplicate customers: every related row moves, every balance still adds up."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from accounting import services as accounting
from accounting.models import Invoice
from crm import services as crm
from crm.models import Activity, Lead
from customers import extensions, services
from customers.duplicates import customer_duplicate_groups, customer_merge_preview, merged_into
from customers.models import Customer, CustomerMerge
from loyalty.models import LoyaltyTransaction
from loyalty.services import points_adjust
from sales.models import Sale
from tests.accounting.helpers import (
    assert_invariants,
    give_credit,
    pay,
    sell_on_account,
    store_credit,
)
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


def points_match_ledger(customer) -> bool:
    customer.refresh_from_db()
    ledger = LoyaltyTransaction.objects.filter(customer=customer).aggregate(s=Sum("points"))["s"]
    return customer.loyalty_points == (ledger or 0)


@pytest.fixture
def pair(cashier, manager):
    """A survivor and a duplicate, each with sales, points, invoices, credit and notes."""
    survivor = CustomerFactory(name="Ada Lovelace", email="ada@example.com", address=None)
    duplicate = CustomerFactory(
        name="Ada Lovelace", email="ada.l@example.com", phone="+14155550199", address="1 Main St"
    )
    for customer in (survivor, duplicate):
        give_credit(customer, "500.00", manager)
        ring_up(customer=customer, price="40.00", cashier=cashier)
        points_adjust(customer=customer, points=25, reason="Welcome", user=manager)
        ActivityFactory(customer=customer, subject=f"Call with #{customer.pk}")
    invoiced = sell_on_account(duplicate, "90.00", cashier)
    pay(invoiced.invoice, "30.00", manager)
    accounting.store_credit_adjust(
        customer=duplicate, amount="15.00", reason="Goodwill", user=manager
    )
    lead = LeadFactory(email="lead@example.com")
    lead.email = duplicate.email
    lead.save()
    crm.lead_convert(lead=lead, user=manager)
    return survivor, duplicate


def test_a_merge_moves_every_row_and_keeps_every_balance(pair, manager):
    survivor, duplicate = pair
    points = survivor.loyalty_points + Customer.objects.get(pk=duplicate.pk).loyalty_points
    credit = store_credit(survivor) + store_credit(duplicate)
    owed_before = sum((i.balance for i in Invoice.objects.all()), Decimal(0))
    sales = Sale.objects.filter(customer__in=pair).count()
    activities = Activity.objects.filter(customer__in=pair).count()

    merged = services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
    )

    assert Sale.objects.filter(customer=merged).count() == sales
    assert Activity.objects.filter(customer=merged).count() == activities
    assert Invoice.objects.filter(customer=merged).count() == 1
    assert Lead.objects.get().customer == merged
    assert not Sale.objects.filter(customer=duplicate).exists()
    merged.refresh_from_db()
    assert merged.loyalty_points == points
    assert Customer.objects.get(pk=duplicate.pk).loyalty_points == 0
    assert points_match_ledger(merged)
    assert points_match_ledger(duplicate)
    assert store_credit(merged) == credit
    assert store_credit(duplicate) == 0
    assert sum((i.balance for i in Invoice.objects.all()), Decimal(0)) == owed_before
    assert_invariants(merged, duplicate)


def test_the_duplicate_is_deactivated_and_leads_to_the_survivor(pair, manager):
    survivor, duplicate = pair
    services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
    )
    duplicate.refresh_from_db()
    assert duplicate.status == "inactive"
    record = CustomerMerge.objects.get(duplicate=duplicate)
    assert (record.survivor, record.merged_by) == (survivor, manager)
    assert merged_into(duplicate) == survivor.pk
    assert merged_into(survivor) is None


def test_the_survivor_takes_the_chosen_values_and_fills_its_blanks(pair, manager):
    survivor, duplicate = pair
    merged = services.customer_merge(
        survivor=survivor,
        duplicate=duplicate,
        actor=manager,
        fields={"email": "duplicate"},
        channel="command",
    )
    merged.refresh_from_db()
    assert merged.email == "ada.l@example.com"  # chosen
    assert merged.address == "1 Main St"  # the survivor had none
    assert merged.phone == survivor.phone  # kept
    assert Customer.objects.get(pk=duplicate.pk).email is None  # released


def test_refunding_a_moved_sale_after_the_merge_keeps_the_books(pair, manager):
    survivor, duplicate = pair
    sale = Sale.objects.filter(customer=duplicate).order_by("pk").first()
    services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
    )
    sale.refresh_from_db()
    refund(sale=sale, user=manager)
    assert points_match_ledger(survivor)
    assert_invariants(survivor, duplicate)


def test_a_merge_is_refused_for_the_same_customer_and_again_for_a_merged_one(pair, manager):
    survivor, duplicate = pair
    with pytest.raises(ValidationError, match="into itself"):
        services.customer_merge(
            survivor=survivor, duplicate=survivor, actor=manager, channel="command"
        )
    services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
    )
    with pytest.raises(ValidationError, match="already merged"):
        services.customer_merge(
            survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
        )
    with pytest.raises(ValidationError, match=f"merged into customer #{survivor.pk}"):
        services.customer_update(
            actor=None,
            channel="command",
            customer=Customer.objects.get(pk=duplicate.pk),
            data={"name": "X"},
        )
    with pytest.raises(ValidationError):
        services.customer_restore(
            actor=None, channel="command", customer=Customer.objects.get(pk=duplicate.pk)
        )


def test_merging_twice_points_the_first_duplicate_at_the_last_survivor(manager):
    first, second, third = CustomerFactory.create_batch(3)
    services.customer_merge(survivor=second, duplicate=first, actor=manager, channel="command")
    services.customer_merge(survivor=third, duplicate=second, actor=manager, channel="command")
    assert merged_into(Customer.objects.get(pk=first.pk)) == third.pk


def test_a_relation_no_step_moves_refuses_the_merge(pair, manager, monkeypatch):
    survivor, duplicate = pair
    steps = [step for step in extensions.merge_steps() if step.name != "sales"]
    monkeypatch.setattr("customers.services.merge_steps", lambda: steps)
    with pytest.raises(RuntimeError, match=r"sales\.Sale\.customer"):
        services.customer_merge(
            survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
        )
    assert not CustomerMerge.objects.exists()
    assert Sale.objects.filter(customer=duplicate).exists()


def test_a_failing_step_rolls_the_whole_merge_back(pair, manager, monkeypatch):
    survivor, duplicate = pair
    points = Customer.objects.get(pk=survivor.pk).loyalty_points

    def broken(**kwargs):
        raise RuntimeError("crm is down")

    steps = [
        extensions.MergeStep(name=s.name, merge=broken, count=s.count, keeps=s.keeps)
        if s.name == "crm"
        else s
        for s in extensions.merge_steps()
    ]
    monkeypatch.setattr("customers.services.merge_steps", lambda: steps)
    with pytest.raises(RuntimeError):
        services.customer_merge(
            survivor=survivor, duplicate=duplicate, actor=manager, channel="command"
        )
    assert Customer.objects.get(pk=survivor.pk).loyalty_points == points
    assert Sale.objects.filter(customer=duplicate).exists()


def test_the_preview_counts_what_would_move(pair):
    _, duplicate = pair
    preview = dict(customer_merge_preview(customer=Customer.objects.get(pk=duplicate.pk)))
    assert preview["sales"] == 2
    assert preview["invoices"] == 1
    assert preview["loyalty points"] == Customer.objects.get(pk=duplicate.pk).loyalty_points
    assert preview["CRM activities"] == 1


def test_each_step_counts_only_what_it_says_it_moves(pair):
    # The merge pages name what a merge moves from ``moves``; the review counts by label.
    _, duplicate = pair
    duplicate = Customer.objects.get(pk=duplicate.pk)
    for step in extensions.merge_steps():
        assert {label for label, _ in step.count(customer=duplicate)} <= set(step.moves)
    assert extensions.merge_moves()[:5] == [
        "sales",
        "loyalty points",
        "invoices",
        "store credit",
        "gift cards",
    ]


def test_likely_duplicates_are_same_phone_or_similar_names_at_one_address(manager):
    a = CustomerFactory(name="Grace Hopper", phone="+14155550150", address="5 Navy Rd")
    b = CustomerFactory(name="Grace Hoper", phone="+14155550150", email=None, address="5 navy rd")
    c = CustomerFactory(name="Alan Turing", address="1 Bletchley Park", phone=None)
    d = CustomerFactory(name="Alan M Turing", address="1 Bletchley Park", phone=None)
    CustomerFactory(name="Someone Else", address="1 Bletchley Park", phone=None)
    CustomerFactory(name="Unrelated")
    groups = {(g.reason, tuple(c.pk for c in g.customers)) for g in customer_duplicate_groups()}
    assert groups == {
        ("Same phone; similar names at the same address", (a.pk, b.pk)),
        ("Similar names at the same address", (c.pk, d.pk)),
    }
    services.customer_merge(survivor=a, duplicate=b, actor=manager, channel="command")
    groups = {(g.reason, tuple(c.pk for c in g.customers)) for g in customer_duplicate_groups()}
    assert groups == {("Similar names at the same address", (c.pk, d.pk))}


def test_finding_duplicates_takes_the_same_queries_for_more_customers(
    django_assert_num_queries,
):
    for n in range(3):
        CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}")
        CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}", email=None)
    # Per kind with members (here the phones): the shared values, their customers; then
    # the emails' and the addresses' groupings, and the pairs already decided apart.
    with django_assert_num_queries(5):
        assert len(customer_duplicate_groups()) == 3
    for n in range(3, 6):
        CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}")
        CustomerFactory(phone=f"+1415555017{n}", name=f"Twin {n}", email=None)
    with django_assert_num_queries(5):
        assert len(customer_duplicate_groups()) == 6
