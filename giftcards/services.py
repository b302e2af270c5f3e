"""Every write to gift cards: one transaction each, the card's row locked, a ledger entry.

Lock order, as everywhere (``accounting/locks.py``): the customer, then the sale,
then the gift cards (in id order when several), then the store's counter rows. A
checkout holds the customer and numbers the sale only after its payments and lines
are settled, so a card is locked inside that order.
"""

import calendar
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from classicpos.limits import check_amount, is_id, parse_amount
from classicpos.reasons import clean_reason
from customers.models import Customer
from customers.services import customer_is_closed
from giftcards import codes
from giftcards.lookups import NO_ACTIVE_CARD, TooManyMisses, card_for_code, refusal
from giftcards.models import EntryKind, GiftCard, GiftCardEntry, GiftCardProgram, GiftCardStatus
from sales.money import ZERO, refunded_share
from stores.selectors import recorded_at


def card_for_update(card_id: int) -> GiftCard:
    return GiftCard.objects.select_for_update().get(pk=card_id)


def _write(
    card: GiftCard,
    *,
    kind: str,
    amount: Decimal,
    user=None,
    reason: str = "",
    sale=None,
    sale_line=None,
    payment=None,
    refund=None,
    till=None,
    field: str = "amount",
) -> GiftCardEntry:
    """Apply ``amount`` to the locked ``card`` and write its entry: the one way a balance
    changes. The balance's bounds are checked before anything is written."""
    balance = check_amount(card.balance + amount, field=field, what="The gift card's balance")
    if balance < 0:
        raise ValidationError({field: [f"Gift card {card.masked} holds {card.balance}."]})
    entry = GiftCardEntry.objects.create(
        card=card,
        sequence=card.entry_count + 1,
        kind=kind,
        amount=amount,
        balance_before=card.balance,
        balance_after=balance,
        sale=sale,
        sale_line=sale_line,
        payment=payment,
        refund=refund,
        reason=reason,
        created_by=user if user is not None and user.is_authenticated else None,
        **recorded_at(till=till, source=refund or sale),
    )
    GiftCard.objects.filter(pk=card.pk).update(balance=balance, entry_count=F("entry_count") + 1)
    card.balance = balance
    card.entry_count += 1
    return entry


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for_new_card(today: date | None = None) -> date | None:
    """The expiry date of a card issued today: none unless a Manager set a validity, and
    then only for cards issued after it was set (never retroactively)."""
    months = GiftCardProgram.current().validity_months
    if not months:
        return None
    return _add_months(today or timezone.localdate(), months)


def positive_amount(value, *, field: str = "amount") -> Decimal:
    amount = parse_amount(value, field=field)
    if amount <= 0:
        raise ValidationError({field: ["Amount must be more than zero."]})
    return amount


def _new_card(*, code: str, seed: str, customer=None, user=None, store=None) -> GiftCard:
    hashed = codes.code_hash(code)
    taken = ValidationError({"code": ["This code is already a gift card: reload it instead."]})
    if GiftCard.objects.filter(code_hash=hashed).exists():
        raise taken
    try:
        # Two tills selling the same printed card at once: the unique hash lets one through.
        with transaction.atomic():
            return GiftCard.objects.create(
                code_hash=hashed,
                last4=codes.last4(code),
                print_seed=seed,
                customer=customer,
                issued_at_store=store,
                expires_on=expiry_for_new_card(),
                created_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        raise taken from None


def _customer(customer_id) -> Customer | None:
    if customer_id in (None, ""):
        return None
    customer = Customer.objects.filter(pk=customer_id).first() if is_id(customer_id) else None
    if customer is None:
        raise ValidationError({"customerId": [f"There is no customer #{customer_id}."]})
    if customer_is_closed(customer):
        raise ValidationError(
            {"customerId": [f"Customer #{customer_id} was merged or anonymised: choose another."]}
        )
    return customer


@transaction.atomic
def card_issue(
    *, amount, user, code: str = "", customer_id=None, till=None
) -> tuple[GiftCard, str]:
    """Issue a card outside a sale (a Manager's goodwill card, a promotion); return the card
    and its code, which the caller shows once and nothing keeps."""
    errors: dict[str, list[str]] = {}
    try:
        amount = positive_amount(amount)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        plain = codes.checked(code) if code else ""
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        customer = _customer(customer_id)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    seed = ""
    if not plain:
        plain, _ = codes.generate()
    store = till.store if till is not None else None
    card = _new_card(code=plain, seed=seed, customer=customer, user=user, store=store)
    _write(card, kind=EntryKind.ISSUE, amount=amount, user=user, till=till, reason="Issued")
    return card, plain


def _card_with_code(code: str) -> GiftCard | None:
    return GiftCard.objects.filter(code_hash=codes.code_hash(code)).first()


def _name_line(line, name: str) -> None:
    line.name = name
    type(line).objects.filter(pk=line.pk).update(name=name)


def card_issue_or_load_for_line(*, sale, line, code: str, amount: Decimal, user) -> GiftCard:
    """Sell ``line``'s value onto a card inside checkout: a new card (``code`` scanned from
    a printed card, or generated and printed once on the receipt) or a reload of the active
    card ``code`` names. Names the line after the card (``Gift card ••••7QX2``)."""
    written = {"amount": amount, "user": user, "sale": sale, "sale_line": line}
    existing = _card_with_code(code) if code else None
    if existing is None:
        seed = ""
        if not code:
            code, seed = codes.generate()
        try:
            card = _new_card(
                code=code, seed=seed, customer=sale.customer, user=user, store=sale.store
            )
        except ValidationError:
            # Another till sold this printed card a moment ago: this sale loads it, as it
            # would have a moment later.
            existing = _card_with_code(code)
        else:
            _write(card, kind=EntryKind.ISSUE, reason=f"Sale {sale.number}", **written)
            _name_line(line, f"Gift card {card.masked}")
            return card
    card = card_for_update(existing.pk)
    reason = refusal(card)
    if reason:
        raise ValidationError({"code": [reason]})
    _write(card, kind=EntryKind.LOAD, reason=f"Sale {sale.number}", **written)
    _name_line(line, f"Gift card reload {card.masked}")
    return card


def usable_card(code, *, user, amount: Decimal | None = None, address=None) -> GiftCard:
    """Return the card ``code`` names if it can pay ``amount`` now; else raise
    ``ValidationError`` keyed ``reference`` (the code) or ``amount`` (the balance)."""
    try:
        card = card_for_code(code, user=user, address=address)
    except TooManyMisses as error:
        raise ValidationError({"reference": [str(error)]}) from None
    if card is None:
        raise ValidationError({"reference": [NO_ACTIVE_CARD]})
    reason = refusal(card)
    if reason:
        raise ValidationError({"reference": [reason]})
    if amount is not None and amount > card.balance:
        raise ValidationError({"amount": [f"Gift card {card.masked} holds {card.balance}."]})
    return card


def card_redeem_for_payment(*, sale, payment, user, reference: str) -> GiftCardEntry:
    """Spend ``payment.amount`` from the card ``reference`` names, inside checkout; short of
    balance, voided, blocked or expired, the sale is refused on that payment."""
    found = usable_card(reference, user=user)
    card = card_for_update(found.pk)
    usable_card_now(card, payment.amount)
    return _write(
        card,
        kind=EntryKind.REDEEM,
        amount=-payment.amount,
        user=user,
        sale=sale,
        payment=payment,
        reason=f"Sale {sale.number}",
    )


def usable_card_now(card: GiftCard, amount: Decimal) -> None:
    """Check the locked ``card`` again: another till may have spent or voided it since it
    was read."""
    reason = refusal(card)
    if reason:
        raise ValidationError({"reference": [reason]})
    if amount > card.balance:
        raise ValidationError({"amount": [f"Gift card {card.masked} holds {card.balance}."]})


def cards_refund_for_refund(*, refund) -> list[GiftCardEntry]:
    """Give back to each card its share of a refund of a sale it paid for.

    Each card's share is the running share of what it paid (``sales.money.refunded_share``
    over the sale's goods), less what earlier refunds gave back, so several partial refunds
    never give back more than the card paid. A voided card cannot take it back: the refund
    is refused with the reason (pay it from the till instead by voiding nothing).
    """
    sale = refund.sale
    redeemed = list(
        GiftCardEntry.objects.filter(sale=sale, kind=EntryKind.REDEEM).order_by("card_id", "pk")
    )
    if not redeemed:
        return []
    refunded_before = sale.refunded_total - refund.total
    given_back = {}
    for entry in GiftCardEntry.objects.filter(sale=sale, kind=EntryKind.REFUND):
        given_back[entry.payment_id] = given_back.get(entry.payment_id, ZERO) + entry.amount
    entries = []
    for spent in redeemed:
        paid = -spent.amount
        share = refunded_share(paid, refunded=sale.refunded_total, total=sale.goods_total)
        owed = share - refunded_share(paid, refunded=refunded_before, total=sale.goods_total)
        owed = min(owed, paid - given_back.get(spent.payment_id, ZERO))
        if owed <= 0:
            continue
        card = card_for_update(spent.card_id)
        if card.status == GiftCardStatus.VOIDED:
            raise ValidationError(
                f"Gift card {card.masked} was voided: its {owed} cannot go back to it."
            )
        entries.append(
            _write(
                card,
                kind=EntryKind.REFUND,
                amount=owed,
                user=refund.created_by,
                sale=sale,
                payment=spent.payment,
                refund=refund,
                reason=f"Refund of sale {sale.number}",
            )
        )
    return entries


@transaction.atomic
def card_void(*, card: GiftCard, user, reason: str) -> GiftCard:
    """Void a card for good: its balance is written off (a void entry) and it is never
    active again."""
    reason = clean_reason(reason, missing="Say why the card is voided.")
    card = card_for_update(card.pk)
    if card.status == GiftCardStatus.VOIDED:
        raise ValidationError({"status": [f"Gift card {card.masked} is already voided."]})
    if card.balance > 0:
        _write(card, kind=EntryKind.VOID, amount=-card.balance, user=user, reason=reason)
    card.status = GiftCardStatus.VOIDED
    card.save(update_fields=["status"])
    return card


@transaction.atomic
def card_set_blocked(*, card: GiftCard, blocked: bool, user) -> GiftCard:
    card = card_for_update(card.pk)
    if card.status == GiftCardStatus.VOIDED:
        raise ValidationError({"status": [f"Gift card {card.masked} is voided."]})
    card.status = GiftCardStatus.BLOCKED if blocked else GiftCardStatus.ACTIVE
    card.save(update_fields=["status"])
    return card


@transaction.atomic
def card_adjust(*, card: GiftCard, amount, reason: str, user, till=None) -> GiftCardEntry:
    """A Manager's correction: a signed amount with a reason (never below zero)."""
    amount = parse_amount(amount)
    if amount == 0:
        raise ValidationError({"amount": ["An adjustment is more or less than zero."]})
    reason = clean_reason(reason, missing="Say why the balance is adjusted.")
    card = card_for_update(card.pk)
    if card.status == GiftCardStatus.VOIDED:
        raise ValidationError({"amount": [f"Gift card {card.masked} is voided."]})
    return _write(card, kind=EntryKind.ADJUST, amount=amount, reason=reason, user=user, till=till)


def cards_expire(*, today: date | None = None) -> int:
    """Write an expire entry for every card past its expiry date that still holds money.

    One transaction per card, the card locked and read again: safe to run twice at
    once and on the next day (a card already emptied is skipped). Returns how many
    cards expired.
    """
    today = today or timezone.localdate()
    due = GiftCard.objects.filter(
        status=GiftCardStatus.ACTIVE, expires_on__lt=today, balance__gt=0
    ).values_list("pk", flat=True)
    expired = 0
    for card_id in list(due):
        with transaction.atomic():
            card = card_for_update(card_id)
            if card.balance <= 0 or card.expires_on is None or card.expires_on >= today:
                continue
            _write(
                card,
                kind=EntryKind.EXPIRE,
                amount=-card.balance,
                reason=f"Expired on {card.expires_on.isoformat()}",
            )
            expired += 1
    return expired


@transaction.atomic
def program_set_validity(*, months: int | None) -> GiftCardProgram:
    """Set how long cards issued from now on are valid (``None``: they never expire).
    Cards already issued keep their expiry date: a change is never retroactive."""
    if months is not None and (not is_id(months) or months > 120):
        raise ValidationError({"validityMonths": ["Give a whole number of months, 1 to 120."]})
    program = GiftCardProgram.current()
    program.validity_months = months
    program.save(update_fields=["validity_months", "updated_at"])
    return program


@transaction.atomic
def card_print_code(*, card: GiftCard) -> str | None:
    """Return a generated card's code for its one printing and forget how to rebuild it;
    ``None`` once printed (a reprint shows the last four only)."""
    card = card_for_update(card.pk)
    code = codes.code_to_print(seed=card.print_seed, expected_hash=card.code_hash)
    if card.print_seed:
        card.print_seed = ""
        card.save(update_fields=["print_seed"])
    return code
