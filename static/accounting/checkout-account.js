/*
 * Accounting's widget at the till: "On account" and "Store credit" buttons that
 * show what the chosen customer can still put on account (and what they owe) and
 * their store credit, as the server's quote says. A click pays as much of the
 * sale that way as the quote allows; the server checks the limit again when the
 * sale is completed and its refusal appears beside the payment. No arithmetic here.
 */
(function () {
  "use strict";

  var checkout = window.ClassicPOS.checkout;
  var helper = document.getElementById("account-helper");
  var buttons = [document.getElementById("pay-on-account"), document.getElementById("pay-store-credit")];
  var details = { on_account: "on-account-detail", store_credit: "store-credit-detail" };
  var offers = {};

  function isZero(amount) { return !amount || /^0+(\.0+)?$/.test(amount); }

  checkout.onQuote(function (quote) {
    var shown = false;
    buttons.forEach(function (button) {
      var code = button.dataset.method;
      var offer = quote && quote.paymentMethods.find(function (item) { return item.method === code; });
      offers[code] = offer || null;
      button.classList.toggle("d-none", !offer);
      document.getElementById(details[code]).textContent = offer ? offer.label + ": " + offer.detail : "";
      if (offer) {
        shown = true;
        button.querySelector("[data-max-amount]").textContent = window.ClassicPOS.money(offer.maxAmount);
        button.disabled = isZero(offer.maxAmount);
      }
    });
    helper.classList.toggle("d-none", !shown);
  });

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var offer = offers[button.dataset.method];
      if (offer && !isZero(offer.maxAmount)) {
        checkout.setPayment(offer.method, offer.maxAmount);
      }
    });
  });
})();
