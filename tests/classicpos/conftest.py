"""Fixtures of the cross-cutting tests: a shop with one row of each kind a URL can name."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from classicpos.jobs import Job
from classicpos.roles import CASHIER, MANAGER
from loyalty.models import LoyaltyTransaction
from messaging.models import Message, MessageKind, MessageState
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.classicpos.routes import Shop
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.factories import staff_user
from tests.giftcards.helpers import sell_card
from tests.sales.factories import ProductFactory


def build_shop(*, cashier, manager) -> Shop:
    """Write one row of each kind a URL can name, sold and paid by ``cashier`` and ``manager``."""
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    sale = sell_on_account(customer, "20.00", cashier)
    payment = pay(sale.invoice, "5.00", cashier)
    lead = LeadFactory()
    return Shop(
        ids={
            "customers": customer.pk,
            "products": ProductFactory().pk,
            "sales": sale.pk,
            "invoices": sale.invoice.pk,
            "payments": payment.pk,
            "loyalty-transactions": LoyaltyTransaction.objects.create(
                customer=customer, kind="adjustment", points=5, balance_after=5, reason="Matrix"
            ).pk,
            "leads": lead.pk,
            "activities": ActivityFactory(customer=customer).pk,
            "jobs": Job.objects.create(kind="customers.export", requested_by=manager).pk,
            "stores": sale.store_id,
            "tills": sale.till_id,
            "gift-cards": sell_card(cashier=cashier, amount="15.00")
            .gift_card_entries.get()
            .card_id,
            "messages": Message.objects.create(
                kind=MessageKind.RECEIPT,
                to="matrix@example.com",
                subject="Receipt",
                text_body="Receipt",
                customer=customer,
                state=MessageState.FAILED,
            ).pk,
        }
    )


@pytest.fixture
def shop(cashier, manager):
    return build_shop(cashier=cashier, manager=manager)


@pytest.fixture(scope="module")
def shop_built_once(django_db_setup, django_db_blocker):
    """The shop, with the ``manager`` and ``cashier`` users, written once for a module of many
    tests (the bad input corpus: hundreds of them, a tenth of a second each to rebuild it).

    It is written in a transaction that stays open while the module's tests run. Each test's
    own transaction (pytest-django's ``db``) is a savepoint inside it, rolled back when the
    test ends: every test starts from these rows as written, and none sees another's writes.
    The transaction is rolled back after the module's last test, leaving the database empty
    for the next module, as Django's ``TestCase.setUpTestData`` does for a class."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            built = build_shop(
                cashier=staff_user("cashier", CASHIER), manager=staff_user("manager", MANAGER)
            )
        except BaseException as error:
            module_transaction.__exit__(type(error), error, error.__traceback__)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def module_shop(shop_built_once, db):
    """The shop written once for the module (``shop_built_once``), which each test's own
    transaction rolls back to. Its export job is dated now, as a shop written for the test
    would be: older than ten seconds, its page would tell the Manager the job runner is late.
    A module of many tests takes it as its ``shop`` (``shop = module_shop`` fixtures)."""
    Job.objects.filter(pk=shop_built_once.ids["jobs"]).update(created_at=timezone.now())
    return Shop(ids=dict(shop_built_once.ids))


@pytest.fixture
def module_manager(module_shop):
    """The Manager the module's shop was written with."""
    return get_user_model().objects.get(username="manager")


@pytest.fixture
def module_cashier(module_shop):
    """The Cashier the module's shop was written with."""
    return get_user_model().objects.get(username="cashier")
