/*
 * Loyalty's voucher widget at the till: shown only when the chosen customer holds a
 * voucher that can pay (a birthday's, or one a refund gave back), it says which and
 * until when, and pays as much of the sale with them as the server's quote says.
 * The server uses the vouchers, and refuses what they cannot pay, at checkout.
 */
(function () {
  "use strict";

  var METHOD = "voucher";
  var checkout = window.ClassicPOS.checkout;
  var helper = document.getElementById("voucher-helper");
  var button = document.getElementById("use-voucher");
  var offer = null;

  function isZero(amount) { return !amount || /^0+(\.0+)?$/.test(amount); }

  checkout.onQuote(function (quote) {
    offer = quote && quote.paymentMethods.find(function (item) { return item.method === METHOD; });
    var usable = Boolean(offer) && !isZero(offer.maxAmount);
    helper.classList.toggle("d-none", !usable);
    if (usable) {
      document.getElementById("voucher-helper-text").textContent = offer.detail;
      button.querySelector("[data-max-amount]").textContent = window.ClassicPOS.money(offer.maxAmount);
    }
  });

  button.addEventListener("click", function () {
    if (offer && !isZero(offer.maxAmount)) {
      checkout.setPayment(METHOD, offer.maxAmount);
    }
  });
})();
