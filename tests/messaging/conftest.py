"""A real SMTP server for the messaging tests (aiosmtpd), and sales to send receipts of."""

import socket
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller

from sales.quotes import LineInput, PaymentInput, sale_quote
from sales.services import sale_checkout
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory


class Inbox:
    """An aiosmtpd handler that keeps every envelope it accepts, and refuses when told to."""

    def __init__(self):
        self.envelopes = []
        self.refusals: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            return self.refusals.pop(0)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [envelope for envelope in self.envelopes if address in envelope.rcpt_tos]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server on a free port and point Django's email settings at it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Corner Shop <receipts@shop.example>"
    yield inbox
    controller.stop()


def sell(*, cashier, customer=None, name="Blue scarf", price="20.00", quantity=2):
    """Ring up ``quantity`` of a product, paid exactly in cash."""
    product = ProductFactory(name=name, price=Decimal(price))
    lines = [LineInput(product_id=product.pk, quantity=quantity)]
    total = sale_quote(lines=lines, customer=customer).total
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=lines,
        payments=[PaymentInput(method="cash", amount=total)],
    )


@pytest.fixture
def mary(db):
    return CustomerFactory(name="Mary Major", email="mary@example.com")


@pytest.fixture
def sale(cashier, mary):
    return sell(cashier=cashier, customer=mary)
