"""How accounting takes part in a customer merge, and in an import's opening balances.

Invoices move to the survivor as they are (what is owed moves with them). Store
credit entries are immutable, so the duplicate's balance moves as a pair of
adjustments, each account's balance still the sum of its ledger; the survivor
keeps its credit limit, or takes the duplicate's when it had no account.

A merge that would leave the survivor owing more than that limit is refused: its
next sale on account would be refused for a limit nobody set that low on purpose.
A Manager raises the limit or records a payment first.

An import may carry a customer's store credit from the system the shop leaves
(a ``storeCredit`` column): a customer the import creates opens with it as one
adjustment on the store credit ledger, never as a bare balance.

Download my data: the customer's account, invoices (with their payments, reversals
and credits) and store credit ledger.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from accounting.models import (
    CustomerAccount,
    Invoice,
    InvoiceCredit,
    InvoicePayment,
    StoreCreditEntry,
    StoreCreditKind,
)
from accounting.selectors import account_for, customer_outstanding
from accounting.services import _account, _write_store_credit, store_credit_adjust
from classicpos.limits import check_amount
from customers.extensions import (
    DataExportSection,
    ImportColumn,
    MergeStep,
    register_data_export_section,
    register_import_column,
    register_merge_step,
)
from customers.import_parts import imported_balance
from sales.money import ZERO


def merge_accounts(*, duplicate, survivor, user) -> None:
    """Move invoices and store credit; both customers are locked by the merge.

    What the two owe together must still be an amount the account's figures can
    show, and so must their store credit together (``_write_store_credit``).
    """
    owed_by_duplicate = customer_outstanding(customer=duplicate)
    owed = customer_outstanding(customer=survivor) + owed_by_duplicate
    check_amount(owed, field="duplicate_id", what="What the customer owes")
    old = CustomerAccount.objects.filter(customer=duplicate).first()
    _check_credit_limit(
        survivor=survivor, duplicate_account=old, owed=owed, moved=owed_by_duplicate
    )
    Invoice.objects.filter(customer=duplicate).update(customer=survivor)
    if old is None:
        return
    if not CustomerAccount.objects.filter(customer=survivor).exists():
        CustomerAccount.objects.create(customer=survivor, credit_limit=old.credit_limit)
    if old.store_credit == ZERO:
        return
    amount = old.store_credit
    _write_store_credit(
        customer=duplicate,
        account=old,
        kind=StoreCreditKind.ADJUSTMENT,
        amount=-amount,
        reason=f"Merged into customer #{survivor.pk}",
        user=user,
    )
    _write_store_credit(
        customer=survivor,
        account=_account(survivor),
        kind=StoreCreditKind.ADJUSTMENT,
        amount=amount,
        reason=f"Merged from customer #{duplicate.pk}",
        user=user,
        field="duplicate_id",
    )


def _check_credit_limit(*, survivor, duplicate_account, owed, moved) -> None:
    """Refuse a merge that moves debt onto the survivor past the limit it will have."""
    if moved <= ZERO:
        return
    account = CustomerAccount.objects.filter(customer=survivor).first()
    limit = (account or duplicate_account or account_for(customer=survivor)).credit_limit
    if owed > limit:
        raise ValidationError(
            {
                "duplicate_id": (
                    f"Together they would owe {owed:,.2f}, over customer #{survivor.pk}'s "
                    f"credit limit of {limit:,.2f}. Raise the limit or record a payment "
                    "first, then merge."
                )
            }
        )


def count_accounts(*, customer) -> list[tuple[str, int]]:
    return [("invoices", Invoice.objects.filter(customer=customer).count())]


OPENING_STORE_CREDIT = "Opening balance, imported"


def parse_store_credit(text: str) -> Decimal:
    """Return an imported store credit balance ("25.00", "$1,250.00") as an amount, 0 or more."""
    return imported_balance(text, "Enter the store credit as an amount, 0 or more, e.g. 25.00.")


def open_store_credit(*, values: list, user) -> None:
    """Give customers an import created their opening store credit, through the ledger's writer."""
    for customer, amount in values:
        if amount:
            store_credit_adjust(
                customer=customer, amount=amount, reason=OPENING_STORE_CREDIT, user=user
            )


def export_account(*, customer) -> list[dict]:
    """Return the customer's account (credit limit, store credit), if they have one."""
    return [
        {
            "creditLimit": account.credit_limit,
            "storeCredit": account.store_credit,
            "updatedAt": account.updated_at,
        }
        for account in CustomerAccount.objects.filter(customer=customer)
    ]


def export_invoices(*, customer) -> list[dict]:
    """Return the customer's invoices, oldest first, with payments and credits (3 queries)."""
    invoices = (
        Invoice.objects.filter(customer=customer)
        .select_related("sale")
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=InvoicePayment.objects.select_related("reversal").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch("credits", queryset=InvoiceCredit.objects.order_by("created_at", "pk")),
        )
        .order_by("issued_on", "pk")
    )
    return [
        {
            "id": invoice.pk,
            "number": invoice.number,
            "saleNumber": invoice.sale.number,
            "issuedOn": invoice.issued_on,
            "dueOn": invoice.due_on,
            "total": invoice.total,
            "amountPaid": invoice.amount_paid,
            "amountCredited": invoice.amount_credited,
            "status": invoice.status,
            "payments": [_payment(payment) for payment in invoice.payments.all()],
            "credits": [
                {
                    "createdAt": credit.created_at,
                    "amount": credit.amount,
                    "refundId": credit.refund_id,
                }
                for credit in invoice.credits.all()
            ],
        }
        for invoice in invoices
    ]


def _payment(payment: InvoicePayment) -> dict:
    reversal = getattr(payment, "reversal", None)
    return {
        "id": payment.pk,
        "createdAt": payment.created_at,
        "method": payment.method,
        "amount": payment.amount,
        "reference": payment.reference,
        "reversedAt": reversal.created_at if reversal else None,
        "reversalReason": reversal.reason if reversal else None,
    }


def export_store_credit(*, customer) -> list[dict]:
    """Return every row of the customer's store credit ledger, oldest first (one query)."""
    entries = (
        StoreCreditEntry.objects.filter(customer=customer)
        .select_related("sale", "store")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": entry.pk,
            "createdAt": entry.created_at,
            "kind": entry.kind,
            "amount": entry.amount,
            "balanceAfter": entry.balance_after,
            "saleNumber": entry.sale.number if entry.sale else None,
            "refundId": entry.refund_id,
            "reason": entry.reason,
            "store": entry.store.name if entry.store else None,
        }
        for entry in entries
    ]


def connect() -> None:
    register_import_column(
        ImportColumn(
            field="store_credit",
            header="storeCredit",
            aliases=("store credit", "store credit balance"),
            parse=parse_store_credit,
            apply_to_new=open_store_credit,
            exported=False,
            order=120,
        )
    )
    register_merge_step(
        MergeStep(
            name="accounting",
            merge=merge_accounts,
            count=count_accounts,
            moves=("invoices", "store credit"),
            keeps=("account", "store_credit_entries"),
            order=40,
        )
    )
    for section in (
        DataExportSection(
            name="account",
            label="Account",
            rows=export_account,
            models=("accounting.CustomerAccount",),
            order=40,
        ),
        DataExportSection(
            name="invoices",
            label="Invoices",
            rows=export_invoices,
            models=("accounting.Invoice",),
            order=41,
        ),
        DataExportSection(
            name="storeCredit",
            label="Store credit",
            rows=export_store_credit,
            models=("accounting.StoreCreditEntry",),
            order=42,
        ),
    ):
        register_data_export_section(section)
