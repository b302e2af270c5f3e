"""Fixtures of the cross-cutting tests: a shop with one row of each kind a URL can name."""

import pytest

from classicpos.jobs import Job
from loyalty.models import LoyaltyTransaction
from messaging.models import Message, MessageKind, MessageState
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.classicpos.routes import Shop
from tests.crm.factories import ActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import sell_card
from tests.sales.factories import ProductFactory


@pytest.fixture
def shop(cashier, manager):
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
