"""Upgrading a shop that already sells: its sales, invoices and ledgers land in "Main" (code
``S``), and both number series go on where they were."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from loyalty.models import LoyaltyTransaction
from sales.models import Refund, Sale
from stores.models import Store, StoreCounter
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

BEFORE_STORES = [("stores", None)]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_shop_with_sales_upgrades_into_its_first_store(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sales = [ring_up(customer=customer, price="10.00", cashier=cashier) for _ in range(3)]
    refund(sale=sales[0], user=manager)
    on_account = sell_on_account(customer, "20.00", cashier)
    pay(on_account.invoice, "5.00", cashier)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE_STORES)
        with connection.cursor() as cursor:
            # As the shop numbered them before stores: sales by id, invoices by one counter.
            cursor.execute("SELECT id FROM sales_sale")
            for (pk,) in cursor.fetchall():
                cursor.execute(
                    "UPDATE sales_sale SET number = %s WHERE id = %s", [f"S-{pk:06d}", pk]
                )
            cursor.execute("UPDATE accounting_invoice SET number = 'INV-000007'")
            cursor.execute(
                "INSERT INTO accounting_invoicecounter (name, last_number) VALUES ('invoice', 7)"
            )
    finally:
        _migrate(leaves)

    store = Store.objects.get()
    assert (store.code, store.name, store.tax_rate) == ("S", "Main", None)
    till = store.tills.get()
    for model in (Sale, Refund, LoyaltyTransaction):
        assert set(model.objects.values_list("store_id", "till_id")) == {(store.pk, till.pk)}
    last_sale = max(Sale.objects.values_list("pk", flat=True))
    assert StoreCounter.objects.get(series="sale").last_number == last_sale
    assert StoreCounter.objects.get(series="invoice").last_number == 7
    next_sale = sell_on_account(customer, "1.00", cashier)
    assert next_sale.number == f"S-{last_sale + 1:06d}"
    assert next_sale.invoice.number == "INV-S-000008"
    assert on_account.invoice.payments.get().store_id == store.pk
