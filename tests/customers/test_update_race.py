"""An edit saved from a copy read earlier loses nothing another till wrote meanwhile.

The edit page, the API and the admin each read the customer, then save the edit.
Between the two, a till may ring up a sale (points) or a Manager deactivate the
customer. The edit locks the row and writes only the fields it changed, so the
points the ledger gave and the status stay as the other writer left them.
"""

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from customers import services
from customers.models import Customer
from loyalty.models import LoyaltyTransaction
from loyalty.services import points_adjust
from tests.customers.factories import CustomerFactory
from tests.threads import run_together


def _ledger(customer) -> int:
    return LoyaltyTransaction.objects.filter(customer=customer).aggregate(s=Sum("points"))["s"]


def _give_points(customer, points, manager) -> None:
    """Another till's write: the ledger and the cached balance, on a copy of its own."""
    points_adjust(
        customer=Customer.objects.get(pk=customer.pk),
        points=points,
        reason="Sale at the other till",
        user=manager,
    )


@pytest.mark.django_db
def test_an_edit_from_an_old_copy_keeps_the_points_given_meanwhile(manager):
    customer = CustomerFactory()
    read_by_the_edit_page = Customer.objects.get(pk=customer.pk)
    _give_points(customer, 50, manager)

    services.customer_update(
        customer=read_by_the_edit_page,
        data={"note": "Prefers email"},
        actor=manager,
        channel="page",
    )

    customer.refresh_from_db()
    assert customer.note == "Prefers email"
    assert customer.loyalty_points == 50
    assert _ledger(customer) == 50


@pytest.mark.django_db
def test_an_edit_from_an_old_copy_does_not_reactivate_a_deactivated_customer(manager):
    customer = CustomerFactory()
    read_by_the_edit_page = Customer.objects.get(pk=customer.pk)
    services.customer_deactivate(
        customer=Customer.objects.get(pk=customer.pk), actor=manager, channel="page"
    )

    services.customer_update(
        customer=read_by_the_edit_page, data={"note": "Prefers email"}, actor=manager, channel="api"
    )

    customer.refresh_from_db()
    assert customer.status == "inactive"
    assert customer.note == "Prefers email"


@pytest.mark.django_db
def test_an_edit_writes_only_the_columns_it_changed(manager):
    customer = CustomerFactory()
    with CaptureQueriesContext(connection) as queries:
        services.customer_update(
            customer=customer, data={"note": "Prefers email"}, actor=manager, channel="page"
        )
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "customers"')]
    assert len(updates) == 1
    assert '"note"' in updates[0]
    for column in ('"loyaltyPoints"', '"status"', '"name"', '"email"', '"phone"'):
        assert column not in updates[0]


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_writes_nothing(manager):
    customer = CustomerFactory(note="Prefers email")
    with CaptureQueriesContext(connection) as queries:
        services.customer_update(
            customer=customer, data={"note": "Prefers email"}, actor=manager, channel="page"
        )
    assert not [q for q in queries if q["sql"].startswith('UPDATE "customers"')]


@pytest.mark.django_db
def test_an_edit_leaves_the_callers_copy_as_the_row_now_is(manager):
    """The import remembers the instance it passed for the batch's later rows."""
    customer = CustomerFactory()
    read_by_the_import = Customer.objects.get(pk=customer.pk)
    _give_points(customer, 50, manager)

    services.customer_update(
        customer=read_by_the_import, data={"note": "Prefers email"}, actor=None, channel="import"
    )

    assert read_by_the_import.loyalty_points == 50
    assert read_by_the_import.note == "Prefers email"


@pytest.mark.django_db
def test_restore_from_an_old_copy_records_one_restore(manager):
    customer = CustomerFactory(status="inactive")
    first, second = (Customer.objects.get(pk=customer.pk) for _ in range(2))
    services.customer_restore(customer=first, actor=manager, channel="page")
    services.customer_restore(customer=second, actor=manager, channel="page")
    assert customer.events.filter(kind="customer.restored").count() == 1


@pytest.mark.django_db
def test_deactivate_from_an_old_copy_records_one_deactivation(manager):
    customer = CustomerFactory()
    first, second = (Customer.objects.get(pk=customer.pk) for _ in range(2))
    services.customer_deactivate(customer=first, actor=manager, channel="page")
    services.customer_deactivate(customer=second, actor=manager, channel="page")
    assert customer.events.filter(kind="customer.deactivated").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks under real concurrency need PostgreSQL; SQLite serialises every write.",
)
def test_edits_racing_sales_and_a_deactivation_lose_nothing(manager):
    """Tills give points while others edit the note from copies they read first, and
    one deactivates: the balance is the ledger's sum and the customer stays inactive."""
    customer = CustomerFactory()
    rounds = 15

    def work(index):
        for round_number in range(rounds):
            if index == 0 and round_number == rounds // 2:
                services.customer_deactivate(
                    customer=Customer.objects.get(pk=customer.pk), actor=manager, channel="api"
                )
            elif index % 2:
                _give_points(customer, 1, manager)
            else:
                copy = Customer.objects.get(pk=customer.pk)
                services.customer_update(
                    customer=copy,
                    data={"note": f"Edit {index}.{round_number}"},
                    actor=manager,
                    channel="api",
                )

    _, errors = run_together(work, threads=6)
    assert errors == []
    customer.refresh_from_db()
    assert customer.loyalty_points == _ledger(customer) == 3 * rounds
    assert customer.status == "inactive"
