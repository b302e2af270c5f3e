"""How sales take part in the customer data tools.

- Merge: the duplicate's sales move to the survivor.
- Download my data: the customer's sales with their lines, payments and refunds,
  and the figures counted from them.
"""

from django.db.models import Prefetch

from classicpos.limits import MAX_LIFETIME_AMOUNT, check_amount
from customers.extensions import (
    DataExportSection,
    MergeStep,
    register_data_export_section,
    register_merge_step,
)
from sales.models import CustomerSalesTotals, Refund, Sale
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


def export_sales(*, customer) -> list[dict]:
    """Return the customer's sales, oldest first, each with its lines, payments and refunds.

    Five queries however many sales: the sales, then each kind of their rows.
    """
    sales = (
        Sale.objects.filter(customer=customer)
        .select_related("store")
        .prefetch_related(
            "lines",
            "payments",
            Prefetch(
                "refunds",
                queryset=Refund.objects.order_by("created_at", "pk").prefetch_related("lines"),
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": sale.pk,
            "number": sale.number,
            "createdAt": sale.created_at,
            "store": sale.store.name,
            "status": sale.status,
            "subtotal": sale.subtotal,
            "discount": sale.discount,
            "tax": sale.tax,
            "total": sale.total,
            "storedValue": sale.stored_value,
            "amountTendered": sale.amount_tendered,
            "change": sale.change,
            "refundedTotal": sale.refunded_total,
            "lines": [
                {
                    "id": line.pk,
                    "sku": line.sku,
                    "name": line.name,
                    "kind": line.kind,
                    "unitPrice": line.unit_price,
                    "quantity": line.quantity,
                    "discount": line.discount,
                    "lineTotal": line.line_total,
                    "refundedQuantity": line.refunded_quantity,
                }
                for line in sale.lines.all()
            ],
            "payments": [
                {"method": payment.method, "amount": payment.amount}
                for payment in sale.payments.all()
            ],
            "refunds": [
                {
                    "id": refund.pk,
                    "createdAt": refund.created_at,
                    "total": refund.total,
                    "paidBack": refund.paid_back,
                    "paidBackTo": refund.paid_back_to,
                    "reason": refund.reason,
                    "lines": [
                        {
                            "saleLineId": line.sale_line_id,
                            "quantity": line.quantity,
                            "amount": line.amount,
                        }
                        for line in refund.lines.all()
                    ],
                }
                for refund in sale.refunds.all()
            ],
        }
        for sale in sales
    ]


def export_sales_totals(*, customer) -> list[dict]:
    """Return the figures kept from the customer's sales (the list's spend and visit filters)."""
    return [
        {
            "lifetimeSpend": totals.lifetime_spend,
            "visits": totals.visits,
            "lastVisitAt": totals.last_visit_at,
        }
        for totals in CustomerSalesTotals.objects.filter(customer=customer)
    ]


def connect() -> None:
    register_merge_step(
        MergeStep(name="sales", merge=merge_sales, count=count_sales, moves=("sales",), order=20)
    )
    register_data_export_section(
        DataExportSection(
            name="sales", label="Sales", rows=export_sales, models=("sales.Sale",), order=20
        )
    )
    register_data_export_section(
        DataExportSection(
            name="salesFigures",
            label="Spend and visits",
            rows=export_sales_totals,
            models=("sales.CustomerSalesTotals",),
            order=21,
        )
    )
