"""``classicpos.limits``: the one reading of an amount and the bounds of every figure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from classicpos.limits import (
    MAX_AMOUNT,
    MAX_POINTS,
    check_amount,
    check_points,
    is_whole_number,
    parse_amount,
)

NOT_AN_AMOUNT = "Enter an amount such as 12.50."
TOO_LARGE = "Enter an amount of at most 9,999,999,999.99."
TOO_MANY_DECIMALS = "Enter an amount with at most two decimals."


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("12.50", Decimal("12.50")),
        (" 12.50 ", Decimal("12.50")),
        ("12.", Decimal("12")),
        (".5", Decimal("0.5")),
        ("-5.25", Decimal("-5.25")),
        ("0", Decimal("0")),
        ("9999999999.99", MAX_AMOUNT),
        (12, Decimal("12")),
        (12.5, Decimal("12.5")),
        (Decimal("7.10"), Decimal("7.10")),
    ],
)
def test_amounts_as_tills_write_them_are_read(value, amount):
    assert parse_amount(value) == amount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("\u0661\u0662", NOT_AN_AMOUNT),  # Arabic-Indic digits
        ("\uff11\uff12", NOT_AN_AMOUNT),  # full-width digits
        ("\u00b2", NOT_AN_AMOUNT),
        ("1_000", NOT_AN_AMOUNT),
        ("1e3", NOT_AN_AMOUNT),
        ("1E+400", NOT_AN_AMOUNT),
        ("+5", NOT_AN_AMOUNT),
        ("--5", NOT_AN_AMOUNT),
        ("1,000.00", NOT_AN_AMOUNT),
        ("Infinity", NOT_AN_AMOUNT),
        ("NaN", NOT_AN_AMOUNT),
        ("", NOT_AN_AMOUNT),
        (".", NOT_AN_AMOUNT),
        (1e20, NOT_AN_AMOUNT),
        (True, NOT_AN_AMOUNT),
        (None, NOT_AN_AMOUNT),
        ([], NOT_AN_AMOUNT),
        (Decimal("NaN"), NOT_AN_AMOUNT),
        (Decimal("-Infinity"), NOT_AN_AMOUNT),
        ("10000000000.00", TOO_LARGE),
        ("-10000000000", TOO_LARGE),
        pytest.param("9" * 100_000, TOO_LARGE, id="100,000 nines"),
        pytest.param(10**5000, TOO_LARGE, id="an int of 5,001 digits"),
        (Decimal("1E+400"), TOO_LARGE),
        ("1.005", TOO_MANY_DECIMALS),
        (Decimal("0.001"), TOO_MANY_DECIMALS),
    ],
)
def test_anything_else_is_refused_on_its_field(value, message):
    with pytest.raises(ValidationError) as error:
        parse_amount(value, field="payments[0].amount")
    assert error.value.message_dict == {"payments[0].amount": [message]}


def test_a_sum_past_the_columns_is_refused_naming_what_it_is():
    assert check_amount(MAX_AMOUNT, field="payments", what="The payments") == MAX_AMOUNT
    with pytest.raises(ValidationError) as error:
        check_amount(MAX_AMOUNT + Decimal("0.01"), field="payments", what="The payments")
    assert error.value.message_dict == {
        "payments": [
            "The payments would come to 10,000,000,000.00, past the limit of 9,999,999,999.99."
        ]
    }


@pytest.mark.parametrize("points", [MAX_POINTS + 1, -MAX_POINTS - 1])
def test_points_past_a_32_bit_column_are_refused(points):
    assert check_points(MAX_POINTS, field="points") == MAX_POINTS
    with pytest.raises(ValidationError) as error:
        check_points(points, field="points")
    assert error.value.message_dict == {
        "points": [f"The points balance would come to {points:,}, past the limit of 2,147,483,647."]
    }


@pytest.mark.parametrize(
    ("value", "whole"),
    [
        (0, True),
        (-3, True),
        (10**30, True),
        (True, False),
        (False, False),
        (1.0, False),
        ("1", False),
        (Decimal(1), False),
        (None, False),
    ],
)
def test_a_whole_number_is_an_int_and_never_a_bool(value, whole):
    assert is_whole_number(value) is whole
