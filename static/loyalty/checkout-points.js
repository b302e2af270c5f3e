/*
 * Loyalty's widget at the till: shows the chosen customer's points and what they
 * are worth, and pays as much of the sale with points as the server's quote says
 * they can (whole redemption steps, never more than is due). No arithmetic here.
 */
(function () {
  "use strict";

  var METHOD = "points";
  var checkout = window.ClassicPOS.checkout;
  var helper = document.getElementById("points-helper");
  var offer = null;

  checkout.onQuote(function (quote) {
    offer = quote && quote.paymentMethods.find(function (item) { return item.method === METHOD; });
    helper.classList.toggle("d-none", !offer);
    if (offer) {
      document.getElementById("points-helper-text").textContent = offer.detail;
    }
  });

  document.getElementById("use-points").addEventListener("click", function () {
    if (!offer || /^0+(\.0+)?$/.test(offer.maxAmount)) {
      window.ClassicPOS.toast("Points can pay no more of this sale (they pay in whole steps, up to what is due).", "warning");
      return;
    }
    checkout.setPayment(METHOD, offer.maxAmount);
  });
})();
