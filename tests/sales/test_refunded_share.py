"""The running share a refund gives back: one function for money, points and credit."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales.money import refunded_share


def test_money_is_rounded_to_cents_and_points_to_whole_points():
    assert refunded_share(Decimal("10.00"), refunded=Decimal("1.00"), total=Decimal("3.00")) == (
        Decimal("3.33")
    )
    assert refunded_share(10, refunded=Decimal("1.00"), total=Decimal("3.00")) == 3


def test_a_half_cent_is_not_lost_to_a_fraction_rounded_first():
    # 0.03 x 5/6 is 0.025 exactly; 5/6 written out first is 0.8333... and gave 0.02.
    share = refunded_share(Decimal("0.03"), refunded=Decimal("5.00"), total=Decimal("6.00"))
    assert share == Decimal("0.03")


@pytest.mark.parametrize("refunded", [Decimal("0.00"), Decimal("-1.00")])
def test_nothing_refunded_gives_nothing_back(refunded):
    assert refunded_share(Decimal("7.00"), refunded=refunded, total=Decimal("9.00")) == 0


@given(
    whole=st.integers(min_value=0, max_value=10**6),
    total_cents=st.integers(min_value=1, max_value=10**7),
    cuts=st.lists(st.integers(min_value=1, max_value=10**7), max_size=6),
)
def test_refunds_give_back_the_whole_and_never_more(whole, total_cents, cuts):
    total = Decimal(total_cents) / 100
    given_back, refunded = 0, Decimal(0)
    for cut in [*cuts, total_cents]:
        refunded = min(refunded + Decimal(cut) / 100, total)
        this_refund = refunded_share(whole, refunded=refunded, total=total) - given_back
        assert this_refund >= 0
        given_back += this_refund
        assert given_back <= whole
    assert given_back == whole
