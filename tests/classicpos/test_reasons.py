"""A reason staff type is one rule everywhere: one line, at most 500 characters, never cut."""

import pytest
from django.core.exceptions import ValidationError

from accounting.reversals import invoice_payment_reverse
from accounting.services import store_credit_adjust
from classicpos.reasons import REASON_MAX_LENGTH, TOO_LONG, clean_reason
from loyalty.services import points_adjust
from sales.models import Refund
from sales.services import sale_refund
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db

TOO_LONG_REASON = "x" * (REASON_MAX_LENGTH + 1)


def test_a_reason_is_one_line_and_a_long_one_is_refused():
    assert clean_reason("  Damaged\n  box  ") == "Damaged box"
    assert clean_reason("") == ""
    assert clean_reason("x" * REASON_MAX_LENGTH) == "x" * REASON_MAX_LENGTH
    with pytest.raises(ValidationError) as refused:
        clean_reason(TOO_LONG_REASON)
    assert refused.value.message_dict == {"reason": [TOO_LONG]}
    with pytest.raises(ValidationError) as missing:
        clean_reason(" ", missing="Say why.")
    assert missing.value.message_dict == {"reason": ["Say why."]}


def test_a_refund_refuses_a_reason_too_long_instead_of_cutting_it(cashier, manager):
    sale = ring_up(customer=None, cashier=cashier, price="10.00")
    with pytest.raises(ValidationError) as refused:
        sale_refund(sale=sale, user=manager, reason=TOO_LONG_REASON)
    assert refused.value.message_dict["reason"] == [TOO_LONG]
    assert not Refund.objects.exists()


def test_every_reason_too_long_gets_the_same_message(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    payment = pay(sell_on_account(customer, "20.00", cashier).invoice, "5.00", cashier)
    writes = [
        lambda: sale_refund(
            sale=ring_up(customer=None, cashier=cashier, price="10.00"),
            user=manager,
            reason=TOO_LONG_REASON,
        ),
        lambda: points_adjust(customer=customer, points=5, reason=TOO_LONG_REASON, user=manager),
        lambda: store_credit_adjust(
            customer=customer, amount="5.00", reason=TOO_LONG_REASON, user=manager
        ),
        lambda: invoice_payment_reverse(payment=payment, reason=TOO_LONG_REASON, user=manager),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as refused:
            write()
        assert refused.value.message_dict["reason"] == [TOO_LONG]
