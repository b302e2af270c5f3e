"""How sales take part in the customer data tools: a merge moves the duplicate's sales."""

from classicpos.limits import MAX_LIFETIME_AMOUNT, check_amount
from customers.extensions import MergeStep, register_merge_step
from sales.models import CustomerSalesTotals, Sale
from sales.money import ZERO
from sales.services import customer_sales_totals_recompute


def merge_sales(*, duplicate, survivor, user) -> None:
    """Give the duplicate's sales to the survivor (both customers are locked by the merge).

    The survivor's totals are counted again from the sales it now has (a sum of
    the two rows would do, but a recount cannot drift), and the duplicate, left
    without sales, loses its row. Their lifetime spends together must still fit
    the survivor's column, or the merge is refused before anything moves.
    """
    # Added in Decimal, not SQL: SQLite would add floats.
    spends = CustomerSalesTotals.objects.filter(
        customer_id__in=[duplicate.pk, survivor.pk]
    ).values_list("lifetime_spend", flat=True)
    check_amount(
        sum(spends, ZERO),
        field="duplicate_id",
        what="The lifetime spend",
        limit=MAX_LIFETIME_AMOUNT,
    )
    Sale.objects.filter(customer=duplicate).update(customer=survivor)
    customer_sales_totals_recompute(customer_id=duplicate.pk)
    customer_sales_totals_recompute(customer_id=survivor.pk)


def count_sales(*, customer) -> list[tuple[str, int]]:
    return [("sales", Sale.objects.filter(customer=customer).count())]


def connect() -> None:
    register_merge_step(
        MergeStep(name="sales", merge=merge_sales, count=count_sales, moves=("sales",), order=20)
    )
