"""``{{ sale.total|money }}``: an amount in the shop's currency and locale."""

from django import template

from classicpos.money_format import format_money

register = template.Library()


@register.filter(name="money")
def money(amount) -> str:
    return format_money(amount)
