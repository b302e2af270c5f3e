"""A merge never leaves the survivor owing more than its credit limit (issue 27).

What the duplicate owes moves to the survivor with its invoices; over the
survivor's limit, the next sale on account is refused with a limit nobody set that
low on purpose. The merge is refused instead, saying what to do first.
"""

import pytest

from accounting.models import Invoice
from tests.accounting.helpers import assert_invariants, give_credit, pay, sell_on_account
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _merge(client, survivor, duplicate):
    return post_json(client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk})


@pytest.fixture
def owing_pair(manager, cashier):
    """A survivor owing 80.00 of a 100.00 limit and a duplicate owing 50.00 of its own 100.00."""
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    for customer, owed in ((survivor, "80.00"), (duplicate, "50.00")):
        give_credit(customer, "100.00", manager)
        sell_on_account(customer, owed, cashier)
    return survivor, duplicate


def test_a_merge_that_would_put_the_survivor_over_its_credit_limit_is_refused(
    manager_client, owing_pair
):
    survivor, duplicate = owing_pair
    body = assert_problem(_merge(manager_client, survivor, duplicate), 400)
    assert body["errors"] == {
        "duplicateId": [
            f"Together they would owe 130.00, over customer #{survivor.pk}'s credit limit "
            "of 100.00. Raise the limit or record a payment first, then merge."
        ]
    }
    assert Invoice.objects.filter(customer=duplicate).count() == 1
    duplicate.refresh_from_db()
    assert duplicate.is_active
    assert_invariants(survivor, duplicate)


def test_once_the_limit_allows_it_the_merge_goes_through(
    manager_client, manager, cashier, owing_pair
):
    survivor, duplicate = owing_pair
    give_credit(survivor, "130.00", manager)
    assert _merge(manager_client, survivor, duplicate).status_code == 200
    assert Invoice.objects.filter(customer=survivor).count() == 2


def test_a_payment_first_makes_room_too(manager_client, cashier, owing_pair):
    survivor, duplicate = owing_pair
    pay(duplicate.invoices.get(), "30.00", cashier)
    assert _merge(manager_client, survivor, duplicate).status_code == 200


def test_a_duplicate_that_owes_nothing_merges_whatever_the_survivor_owes(
    manager_client, manager, cashier
):
    """The survivor's own debt over a limit lowered later is not the merge's doing."""
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    give_credit(survivor, "100.00", manager)
    sell_on_account(survivor, "90.00", cashier)
    give_credit(survivor, "10.00", manager)
    assert _merge(manager_client, survivor, duplicate).status_code == 200


def test_the_merge_page_says_why_and_merges_nothing(manager_page, owing_pair):
    survivor, duplicate = owing_pair
    url = f"/customers/{survivor.pk}/merge/?duplicate={duplicate.pk}"
    differing = manager_page.get(url).context["form"].differing
    choices = {
        "duplicate": duplicate.pk,
        "survivor": "first",
        "confirmed": "1",
        **dict.fromkeys(differing, "first"),
    }
    page = manager_page.post(url, choices)
    assert page.status_code == 200
    assert "Raise the limit or record a payment first, then merge." in page.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.is_active
