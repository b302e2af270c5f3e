"""A customer's note flagged for the till (issue 32 §5): its shape, who may set it, merges.

``Customer.note_alert`` says how loudly the till shows the note beside it: *warn* (shown
prominently when the customer is picked at the till, and at the top of their page) or
*block* (the till refuses sales to them until a Manager allows one, with a reason; that
rule is the sale's, ``sales.customer_alerts``). A flag without a note says nothing, so
``Customer.clean`` refuses one; the rest of the rule lives here, once, for the API, the
pages, the admin, the services and the till.
"""

from django.core.exceptions import ValidationError

from customers.events import event_user
from customers.models import Customer, NoteAlert
from customers.permissions import BLOCK_CUSTOMER

BLOCK_NEEDS_MANAGER = "Only a Manager can block sales to a customer or lift a block."
# What the pages say above a flagged note.
ALERT_HEADINGS = {
    NoteAlert.WARN: "Shown at the till",
    NoteAlert.BLOCK: "Sales blocked at the till: a Manager must allow each sale",
}
# How loud each level is: a merge keeps the louder of two notes unless told otherwise.
_LOUDNESS = {NoteAlert.WARN: 1, NoteAlert.BLOCK: 2}


def customer_alert(customer: Customer) -> dict | None:
    """Return ``{"level": "warn"|"block", "text": <the note>}``, or None.

    None also when the note is empty: an erasure or an old row may leave a level
    behind, and an alert that says nothing must not stop a sale.
    """
    if not customer.note_alert or not customer.note:
        return None
    return {"level": customer.note_alert, "text": customer.note}


def is_blocked(customer: Customer) -> bool:
    """Return whether the till must refuse sales to ``customer`` unless a Manager allows one."""
    alert = customer_alert(customer)
    return alert is not None and alert["level"] == NoteAlert.BLOCK


def alert_change_check(*, before: str | None, after: str | None, actor) -> None:
    """Refuse a block set or lifted by someone who may not (a Cashier).

    A Cashier who could lift a block at the edit page would make "until a Manager
    allows a sale" mean nothing. A warning is anyone's to set; an operator's command
    (no actor) may do either.
    """
    if before == after or NoteAlert.BLOCK not in (before, after):
        return
    user = event_user(actor)
    if user is not None and not user.has_perm(BLOCK_CUSTOMER):
        raise ValidationError({"note_alert": [BLOCK_NEEDS_MANAGER]})


def louder_note(survivor: Customer, duplicate: Customer) -> bool:
    """Return whether ``duplicate``'s note carries a louder alert than ``survivor``'s: a
    merge then keeps that note by default, so no block is dropped unless someone says so."""
    return _loudness(duplicate) > _loudness(survivor)


def _loudness(customer: Customer) -> int:
    alert = customer_alert(customer)
    return _LOUDNESS[alert["level"]] if alert else 0
