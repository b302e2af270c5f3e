/*
 * The customer page's "Record payment" modal serves every open invoice: the
 * button that opens it says which invoice, where to post and the balance the
 * server rendered, which becomes the suggested amount. Without JavaScript the
 * button leads to the invoice page and its own payment form.
 */
(function () {
  "use strict";

  var modal = document.getElementById("record-payment-modal");
  if (!modal) {
    return;
  }
  var form = document.getElementById("record-payment-form");

  modal.addEventListener("show.bs.modal", function (event) {
    var trigger = event.relatedTarget;
    if (!trigger) {
      return;
    }
    form.action = trigger.dataset.action;
    modal.querySelectorAll("[data-invoice-number]").forEach(function (node) {
      node.textContent = trigger.dataset.invoiceNumber;
    });
    modal.querySelector("[data-balance]").textContent = window.ClassicPOS.money(trigger.dataset.balance);
    form.elements.amount.value = trigger.dataset.balance;
    form.elements.reference.value = "";
  });

  modal.addEventListener("shown.bs.modal", function () {
    form.elements.amount.select();
  });
})();
