/*
 * Gift cards at the till (giftcards' checkout widget): sell or reload a card as a
 * line of the sale, and pay by one card or several. The server decides every
 * number: the lookup answers a card's balance, the quote what gift cards may still
 * pay (its gift_card offer, and what is due); a card pays the smaller of those,
 * compared here, never added up. A code travels only in request bodies: never in
 * an address, a console message or on screen beyond its last four.
 *
 * A scanner types a code and Enter faster than the server answers. Each Enter
 * takes the code and frees the box at once; lookups overlap, but the cards are
 * applied in the order they were scanned, each once the quote counting the card
 * before it is in, and the sale waits (checkout.waitFor) until every one is.
 */
(function () {
  "use strict";

  var METHOD = "gift_card";
  var LINE_KIND = "giftCard";
  var REFERENCE_FIELD = "giftCardCode";
  var ATTEMPTS = 3;
  var RETRY_DELAY_MS = 1500;
  var checkout = window.ClassicPOS.checkout;
  var api = window.ClassicPOS.api;
  var lookupUrl = document.getElementById("gift-cards").dataset.lookupUrl;

  function el(id) { return document.getElementById(id); }

  /* As the server reads a code: upper case, without spaces or dashes. */
  function normalize(code) { return code.replace(/[\s-]+/g, "").toUpperCase(); }

  function masked(code) { return "\u2022\u2022\u2022\u2022" + code.slice(-4); }

  function money(amount) { return window.ClassicPOS.money(amount); }

  function isZero(amount) { return /^0+(\.0+)?$/.test(amount); }

  /* The smaller of two amounts the server wrote ("38.00"), compared in whole cents. */
  function smaller(first, second) {
    function cents(amount) {
      var parts = String(amount).split(".");
      return BigInt(parts[0] + ((parts[1] || "") + "00").slice(0, 2));
    }
    return cents(second) < cents(first) ? second : first;
  }

  function say(status, input, message, problem) {
    status.textContent = message;
    status.classList.toggle("text-danger-emphasis", Boolean(problem));
    if (input) {
      input.classList.toggle("border-danger", Boolean(problem));
      input.setAttribute("aria-invalid", problem ? "true" : "false");
    }
  }

  /* Enter in a widget field does the widget's thing, not the checkout form's. */
  function onEnter(input, action) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        event.stopPropagation();
        action();
      }
    });
  }

  checkout.reserveMethod(METHOD);

  /* ---- Selling or reloading a card: a line of the sale. ---- */

  var sellAmount = el("gift-card-sell-amount");
  var sellCode = el("gift-card-sell-code");
  var sellStatus = el("gift-card-sell-status");

  function sell() {
    var amount = sellAmount.value.trim();
    var code = normalize(sellCode.value);
    if (!amount) {
      say(sellStatus, sellAmount, "Type the amount to put on the card.", true);
      sellAmount.focus();
      return;
    }
    var data = { amount: amount };
    if (code) {
      data.code = code;
    }
    checkout.addLine(LINE_KIND, data, {
      name: "Gift card",
      detail: code ? "Scanned code " + masked(code) : "New code, printed on the receipt"
    });
    sellAmount.value = "";
    sellCode.value = "";
    say(sellStatus, sellAmount, "Gift card added to the sale.", false);
    el("product-search").focus();
  }

  onEnter(sellAmount, sell);
  onEnter(sellCode, sell);
  el("gift-card-sell").addEventListener("click", sell);

  /* ---- Paying by card. ---- */

  var payCode = el("gift-card-pay-code");
  if (!payCode) {
    return;
  }
  var payStatus = el("gift-card-status");
  // Cards are applied one after the other, in the order they were scanned.
  var tail = Promise.resolve();

  function wait(milliseconds) {
    return new Promise(function (resolve) { setTimeout(resolve, milliseconds); });
  }

  /* The card, or why not; a lookup that meets no connection is asked again first. */
  function lookup(code, attempt) {
    return api.post(lookupUrl, { code: code }).then(function (card) {
      return { card: card };
    }, function (error) {
      if (error.status === 0 && attempt < ATTEMPTS) {
        return wait(RETRY_DELAY_MS).then(function () { return lookup(code, attempt + 1); });
      }
      return { error: error };
    });
  }

  function refused(code, error) {
    if (error.status === 0 || error.status === 401) {
      api.showError(error);
    }
    var reason = error.fieldErrors && error.fieldErrors.code ? error.fieldErrors.code.join(" ") : error.message;
    say(payStatus, payCode, "Card " + masked(code) + ": " + reason, true);
  }

  /* Pay by the card what it holds, up to what gift cards may still pay by the quote. */
  function apply(code, outcome) {
    if (outcome.error) {
      refused(code, outcome.error);
      return null;
    }
    var card = outcome.card;
    var name = "Gift card " + masked(card.last4);
    var paying = checkout.payments().find(function (payment) {
      return payment.reference && payment.reference.value === code;
    });
    if (paying) {
      say(payStatus, payCode, name + " already pays " + money(paying.amount) + " of this sale.", false);
      return null;
    }
    return checkout.quote().then(function (quote) {
      if (!quote) {
        say(payStatus, payCode, "The totals are not up to date: correct the marked field, then scan the card again.", true);
        return null;
      }
      var offer = quote.paymentMethods.find(function (item) { return item.method === METHOD; });
      var amount = offer ? smaller(card.balance, smaller(offer.maxAmount, quote.amountDue)) : "0";
      if (isZero(amount)) {
        say(payStatus, payCode, name + " holds " + money(card.balance) + "; gift cards can pay no more of this sale.", false);
        return null;
      }
      checkout.setPayment(METHOD, amount, { field: REFERENCE_FIELD, value: code, label: name });
      say(payStatus, payCode, name + " holds " + money(card.balance) + ": it pays " + money(amount) + ".", false);
      // The next card is measured against the quote that counts this one.
      return checkout.quote();
    });
  }

  function useCard() {
    var code = normalize(payCode.value);
    payCode.value = "";
    if (!code) {
      say(payStatus, payCode, "Scan or type the card's code.", true);
      payCode.focus();
      return;
    }
    say(payStatus, payCode, "Looking up card " + masked(code) + "\u2026", false);
    var found = lookup(code, 1);
    tail = checkout.waitFor(
      tail.then(function () { return found; }).then(function (outcome) { return apply(code, outcome); })
    ).catch(function (error) {
      // A fault in applying one card must not stop the cards scanned after it.
      say(payStatus, payCode, "Card " + masked(code) + " was not added: " + error.message, true);
    });
  }

  onEnter(payCode, useCard);
  el("gift-card-pay").addEventListener("click", function () {
    useCard();
    payCode.focus();
  });

  checkout.onQuote(function (quote, state) {
    // A new sale starts with nothing said about the last one's cards.
    if (state.lines.length === 0 && state.payments.length === 0) {
      say(payStatus, payCode, "", false);
      say(sellStatus, sellAmount, "", false);
    }
  });
})();
