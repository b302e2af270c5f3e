"""The gift cards pages without a browser: the balance check (codes in the body only, one
message, the limit), issuing a card with its code shown once, the validity, and a card's page
with a Manager's void, block and adjustment."""

import logging
from decimal import Decimal

import pytest

from giftcards import services
from giftcards.lookups import MISSES_PER_MINUTE, NO_ACTIVE_CARD, TOO_MANY
from giftcards.models import GiftCard, GiftCardProgram, GiftCardStatus
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.giftcards.helpers import CODE, pay_with_card, sell_card

pytestmark = pytest.mark.django_db


def html_of(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


# ---- Check a balance ----


def test_a_cashier_checks_a_balance_by_the_code_in_the_body(cashier_page, cashier):
    customer = CustomerFactory(name="Gina Giver")
    sale = sell_card(cashier=cashier, amount="50.00", customer=customer)
    card = GiftCard.objects.get()
    html = html_of(cashier_page.get("/gift-cards/"))
    assert "<h1" in html
    assert "Check a balance" in html
    assert 'id="issue-card-form"' not in html  # a Manager's
    assert 'id="validity-form"' not in html
    html = html_of(cashier_page.post("/gift-cards/", {"code": "gift 2345 6789 abcd"}))
    assert 'id="balance-result"' in html
    assert 'data-figure="balance">$50.00<' in html
    assert "••••ABCD" in html
    assert f'href="/gift-cards/{card.pk}/"' in html
    assert customer.get_absolute_url() in html
    assert "Never expires" in html
    assert 'id="balance-refusal"' not in html
    # The code found is not written back into the page.
    assert "2345" not in html.replace(sale.number, "")


def test_an_unknown_code_gets_the_one_message_beside_the_field_then_the_limit(
    cashier_page, cashier
):
    sell_card(cashier=cashier)
    for index in range(MISSES_PER_MINUTE):
        response = cashier_page.post("/gift-cards/", {"code": f"WRONG-CODE-{index:04d}"})
        html = html_of(response)
        assert 'class="invalid-feedback' in html
        assert NO_ACTIVE_CARD in html
        assert 'id="balance-result"' not in html
    limited = cashier_page.post("/gift-cards/", {"code": CODE})
    html = html_of(limited, 429)
    assert TOO_MANY.replace(":", "") in html.replace(":", "")
    assert 'id="balance-result"' not in html  # a right code after the limit is refused too


def test_an_empty_code_is_asked_for(cashier_page):
    html = html_of(cashier_page.post("/gift-cards/", {"code": "  "}))
    assert "Scan or type the card&#x27;s code." in html


def test_a_matched_card_that_cannot_pay_says_why(cashier_page, cashier, manager):
    sell_card(cashier=cashier, amount="20.00")
    card = GiftCard.objects.get()
    html = html_of(cashier_page.post("/gift-cards/", {"code": CODE}))
    assert "is blocked" not in html
    services.card_set_blocked(card=card, blocked=True, user=manager)
    html = html_of(cashier_page.post("/gift-cards/", {"code": CODE}))
    assert 'id="balance-refusal"' in html
    assert "Gift card ••••ABCD is blocked: a Manager can unblock it." in html


def test_the_page_needs_the_view_permission(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/gift-cards/").status_code == 403
    assert client.post("/gift-cards/", {"code": CODE}).status_code == 403


# ---- Issue a card ----


def test_a_manager_issues_a_card_and_sees_its_code_once(manager_page, caplog):
    customer = CustomerFactory(name="Gus Goodwill")
    caplog.set_level(logging.DEBUG)
    response = manager_page.post(
        "/gift-cards/issue/", {"amount": "20.00", "code": "", "customer": str(customer.pk)}
    )
    html = html_of(response)
    card = GiftCard.objects.get()
    assert (card.balance, card.customer, card.status) == (Decimal("20.00"), customer, "active")
    assert response["Cache-Control"] == "no-store"
    assert 'id="issued-code"' in html
    shown = html.split("data-gift-card-code>")[1].split("<")[0]
    assert shown.replace("-", "")[-4:] == card.last4
    assert len(shown.replace("-", "")) == 16
    # Nowhere else: not on the card's page, not in a log line.
    assert shown not in html_of(manager_page.get(f"/gift-cards/{card.pk}/"))
    assert not [r for r in caplog.records if shown.replace("-", "") in r.getMessage()]
    assert not [r for r in caplog.records if shown in r.getMessage()]


def test_a_printed_cards_code_is_taken_and_refusals_sit_beside_their_fields(manager_page):
    html = html_of(
        manager_page.post("/gift-cards/issue/", {"amount": "0", "code": "x", "customer": "999"})
    )
    assert "Amount must be more than zero." in html
    assert "A gift card code is 8 to 40 letters and digits." in html
    assert "There is no customer #999." in html
    assert html.count('class="invalid-feedback') == 3
    assert not GiftCard.objects.exists()
    html_of(manager_page.post("/gift-cards/issue/", {"amount": "5.00", "code": CODE}))
    assert GiftCard.objects.get().last4 == "ABCD"
    again = html_of(manager_page.post("/gift-cards/issue/", {"amount": "5.00", "code": CODE}))
    assert "This code is already a gift card: reload it instead." in again
    assert GiftCard.objects.count() == 1


def test_a_cashier_may_not_issue(cashier_page):
    assert cashier_page.post("/gift-cards/issue/", {"amount": "5.00"}).status_code == 403
    assert cashier_page.get("/gift-cards/issue/").status_code in (403, 405)
    assert not GiftCard.objects.exists()


# ---- The validity ----


def test_a_manager_sets_the_validity_for_cards_issued_afterwards(manager_page, cashier):
    sell_card(cashier=cashier)
    html = html_of(manager_page.get("/gift-cards/"))
    assert "Cards issued now never expire." in html
    assert "applies only to cards issued afterwards" in html
    response = manager_page.post("/gift-cards/validity/", {"months": "12"}, follow=True)
    html = html_of(response)
    assert GiftCardProgram.current().validity_months == 12
    assert "Cards issued now are valid for 12 months." in html
    assert "cards already issued keep their date" in html
    assert GiftCard.objects.get().expires_on is None  # never retroactive
    manager_page.post("/gift-cards/validity/", {"months": ""})
    assert GiftCardProgram.current().validity_months is None


@pytest.mark.parametrize("months", ["0", "121", "x", "²"])
def test_a_bad_validity_is_refused_beside_the_field(manager_page, months):
    html = html_of(manager_page.post("/gift-cards/validity/", {"months": months}))
    assert 'id="validity-months"' in html
    assert "Give a whole number of months, 1 to 120." in html
    assert GiftCardProgram.current().validity_months is None


def test_a_cashier_may_not_set_the_validity(cashier_page):
    assert cashier_page.post("/gift-cards/validity/", {"months": "3"}).status_code == 403


# ---- A card's page ----


def test_the_card_page_shows_the_card_and_its_history(cashier_page, cashier):
    customer = CustomerFactory(name="Gina Giver")
    sold = sell_card(cashier=cashier, amount="50.00", customer=customer)
    spent = pay_with_card(cashier=cashier, price="12.00", card_amount="12.00")
    card = GiftCard.objects.get()
    html = html_of(cashier_page.get(f"/gift-cards/{card.pk}/"))
    assert "<h1" in html
    assert "Gift card ••••ABCD" in html
    assert 'data-figure="balance">$38.00<' in html
    assert customer.get_absolute_url() in html
    assert sold.store.name in html
    rows = html.split('id="entries"')[1]
    assert rows.index(spent.number) < rows.index(sold.number)  # newest first
    assert 'data-entry="redeem"' in rows
    assert 'data-entry="issue"' in rows
    assert "-$12.00" in rows
    # A Cashier reads; only a Manager voids, blocks and adjusts.
    assert 'id="adjust-form"' not in html
    assert f"/gift-cards/{card.pk}/void/" not in html
    assert (
        cashier_page.post(f"/gift-cards/{card.pk}/block/", {"blocked": "true"}).status_code == 403
    )
    assert (
        cashier_page.post(
            f"/gift-cards/{card.pk}/adjust/", {"amount": "5", "reason": "x"}
        ).status_code
        == 403
    )
    assert cashier_page.get("/gift-cards/999999/").status_code == 404


def test_the_history_is_paginated(manager_page, manager):
    html_of(manager_page.post("/gift-cards/issue/", {"amount": "1.00", "code": CODE}))
    card = GiftCard.objects.get()
    for number in range(26):
        manager_page.post(
            f"/gift-cards/{card.pk}/adjust/", {"amount": "1.00", "reason": f"Top-up {number}"}
        )
    first = html_of(manager_page.get(f"/gift-cards/{card.pk}/"))
    assert first.count("<tr data-entry=") == 25
    assert "Page 1 of 2" in first
    second = html_of(manager_page.get(f"/gift-cards/{card.pk}/?page=2"))
    assert second.count("<tr data-entry=") == 2
    assert 'data-entry="issue"' in second


def test_a_manager_adjusts_with_a_reason_and_refusals_sit_beside_the_fields(manager_page, cashier):
    sell_card(cashier=cashier, amount="10.00")
    card = GiftCard.objects.get()
    url = f"/gift-cards/{card.pk}/adjust/"
    html = html_of(manager_page.post(url, {"amount": "-2.50", "reason": ""}))
    assert "Say why the balance is adjusted." in html
    assert 'id="adjust-reason"' in html
    assert "is-invalid" in html
    html = html_of(manager_page.post(url, {"amount": "-20.00", "reason": "Damaged"}))
    assert "Gift card ••••ABCD holds 10.00." in html
    html = html_of(manager_page.post(url, {"amount": "lots", "reason": "Damaged"}))
    assert 'id="adjust-amount"' in html
    assert "invalid-feedback" in html
    card.refresh_from_db()
    assert card.balance == Decimal("10.00")
    response = manager_page.post(url, {"amount": "-2.50", "reason": "Damaged"}, follow=True)
    html = html_of(response)
    assert "Adjusted gift card ••••ABCD by -2.50; balance $7.50." in html
    card.refresh_from_db()
    assert card.balance == Decimal("7.50")


def test_a_manager_blocks_and_unblocks_a_card(manager_page, cashier):
    sell_card(cashier=cashier)
    card = GiftCard.objects.get()
    html = html_of(
        manager_page.post(f"/gift-cards/{card.pk}/block/", {"blocked": "true"}, follow=True)
    )
    assert "Gift card ••••ABCD is blocked." in html
    assert "Unblock" in html
    card.refresh_from_db()
    assert card.status == GiftCardStatus.BLOCKED
    manager_page.post(f"/gift-cards/{card.pk}/block/", {"blocked": "false"})
    card.refresh_from_db()
    assert card.status == GiftCardStatus.ACTIVE
    html = html_of(
        manager_page.post(f"/gift-cards/{card.pk}/block/", {"blocked": "?"}, follow=True)
    )
    assert "Choose to block or unblock the card." in html


def test_a_manager_voids_a_card_after_saying_why(manager_page, cashier):
    sell_card(cashier=cashier, amount="30.00")
    card = GiftCard.objects.get()
    url = f"/gift-cards/{card.pk}/void/"
    html = html_of(manager_page.get(url))
    assert "Its balance of $30.00 will be written off." in html
    html = html_of(manager_page.post(url, {"reason": " "}))
    assert "Say why the card is voided." in html
    card.refresh_from_db()
    assert card.status == GiftCardStatus.ACTIVE
    html = html_of(manager_page.post(url, {"reason": "Reported stolen"}, follow=True))
    assert "Voided gift card ••••ABCD; $30.00 written off." in html
    card.refresh_from_db()
    assert (card.status, card.balance) == (GiftCardStatus.VOIDED, Decimal("0.00"))
    assert 'data-entry="void"' in html
    assert f"/gift-cards/{card.pk}/void/" not in html  # no second void offered
    # Voided is final: a second void, a block and an adjustment are refused, never a 500.
    assert "This card is already voided." in html_of(manager_page.get(url))
    assert "This card is already voided." in html_of(manager_page.post(url, {"reason": "Again"}))
    html = html_of(
        manager_page.post(f"/gift-cards/{card.pk}/block/", {"blocked": "true"}, follow=True)
    )
    assert "Gift card ••••ABCD is voided." in html
    html = html_of(
        manager_page.post(
            f"/gift-cards/{card.pk}/adjust/", {"amount": "5", "reason": "Oops"}, follow=True
        )
    )
    assert "Gift card ••••ABCD is voided." in html


# ---- The admin ----


def test_the_admin_shows_cards_and_entries_read_only_and_blocks_through_the_service(
    manager_page, cashier
):
    sell_card(cashier=cashier)
    card = GiftCard.objects.get()
    assert manager_page.get("/admin/giftcards/giftcard/").status_code == 200
    change = html_of(manager_page.get(f"/admin/giftcards/giftcard/{card.pk}/change/"))
    assert card.code_hash in change  # shown, never an input
    assert 'name="balance"' not in change
    assert 'name="code_hash"' not in change
    assert manager_page.get("/admin/giftcards/giftcard/add/").status_code == 403
    assert manager_page.get("/admin/giftcards/giftcardentry/").status_code == 200
    response = manager_page.post(
        "/admin/giftcards/giftcard/",
        {"action": "block_selected", "_selected_action": [card.pk]},
        follow=True,
    )
    assert "Blocked 1 gift card." in html_of(response)
    card.refresh_from_db()
    assert card.status == GiftCardStatus.BLOCKED
