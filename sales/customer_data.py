"""How sales take part in the customer data tools: a merge moves the duplicate's sales."""

from customers.extensions import MergeStep, register_merge_step
from sales.models import Sale
from sales.services import customer_sales_totals_recompute


def merge_sales(*, duplicate, survivor, user) -> None:
    """Give the duplicate's sales to the survivor (both customers are locked by the merge).

    The survivor's totals are counted again from the sales it now has (a sum of
    the two rows would do, but a recount cannot drift), and the duplicate, left
    without sales, loses its row.
    """
    Sale.objects.filter(customer=duplicate).update(customer=survivor)
    customer_sales_totals_recompute(customer_id=duplicate.pk)
    customer_sales_totals_recompute(customer_id=survivor.pk)


def count_sales(*, customer) -> list[tuple[str, int]]:
    return [("sales", Sale.objects.filter(customer=customer).count())]


def connect() -> None:
    register_merge_step(MergeStep(name="sales", merge=merge_sales, count=count_sales, order=20))
