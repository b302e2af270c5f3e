/*
 * The customer page's Account dialogs. "Record payment" on an open invoice loads
 * that invoice's payment form into one dialog (htmx); the form then asks, confirms
 * and records by itself, the server saying what will happen. A form the server
 * sends back (a refused amount, the confirmation) takes the focus where it says
 * (autofocus), as Bootstrap moves the focus to the dialog when it opens. Closing
 * the payment dialog empties it, so the next invoice never shows the last one's form.
 */
(function () {
  "use strict";

  function focusAsked(container) {
    var field = container.querySelector("[autofocus]");
    if (field) {
      field.focus();
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var modal = event.target.closest && event.target.closest(".modal.show");
    if (modal) {
      focusAsked(modal);
    }
  });

  var paymentModal = document.getElementById("record-payment-modal");
  if (!paymentModal) {
    return;
  }
  var slot = document.getElementById("record-payment-slot");
  var loading = slot.innerHTML;

  paymentModal.addEventListener("shown.bs.modal", function () {
    focusAsked(paymentModal);
  });
  paymentModal.addEventListener("hidden.bs.modal", function () {
    slot.innerHTML = loading;
  });
})();
