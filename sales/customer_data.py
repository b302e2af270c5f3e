"""How sales take part in the customer data tools: a merge moves the duplicate's sales."""

from customers.extensions import MergeStep, register_merge_step
from sales.models import Sale


def merge_sales(*, duplicate, survivor, user) -> None:
    """Give the duplicate's sales to the survivor (both customers are locked by the merge)."""
    Sale.objects.filter(customer=duplicate).update(customer=survivor)


def count_sales(*, customer) -> list[tuple[str, int]]:
    return [("sales", Sale.objects.filter(customer=customer).count())]


def connect() -> None:
    register_merge_step(MergeStep(name="sales", merge=merge_sales, count=count_sales, order=20))
