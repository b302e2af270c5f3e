/*
 * What the till says about the chosen customer before payment: their note flagged
 * for the till (the customer JSON's `alert`: warn, or block with "Allow this sale"
 * for a Manager and "Ask a Manager" for a Cashier), the modules' warnings from the
 * quote (`customerWarnings`: over the credit limit, overdue invoices) and the server's
 * refusal of the customer (`customerId`). Nothing here is decided by the page: the
 * server blocks the sale (quote and checkout), says why, and records an override.
 *
 * window.ClassicPOS.customerAlerts({override({reason} or null), refresh(customer)}) starts it;
 * checkout.js calls render(customer, override) when the customer is drawn, and
 * quoted(answer, error, customer, override) when a quote or a checkout comes back.
 */
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  function show(node, visible) { if (node) { node.classList.toggle("d-none", !visible); } }

  function customerAlerts(options) {
    // What the last quote said, for the customer it was about: drawn until the next one.
    var last = { customerId: null, warnings: [], problem: "", overrideOk: false };
    var drawn = "";
    var drawnWarnings = "[]";

    function level(customer) { return customer && customer.alert ? customer.alert.level : ""; }

    /* Drawn only when something changed: a live region redrawn by every quote would be
       read out again at every key the cashier presses. */
    function render(customer, override) {
      var ours = customer && last.customerId === customer.id;
      var warnings = ours ? last.warnings : [];
      var allowed = Boolean(override && ours && last.overrideOk);
      var key = JSON.stringify([customer, warnings, ours ? last.problem : "", allowed, override]);
      if (key === drawn) {
        return;
      }
      drawn = key;
      var alert = customer && customer.alert;
      show(el("customer-chosen-note"), Boolean(customer && customer.note && !alert));
      show(el("customer-alert-warn"), level(customer) === "warn");
      show(el("customer-alert-block"), level(customer) === "block");
      if (alert && alert.level === "warn") {
        text(el("customer-alert-warn-text"), alert.text);
      } else if (alert) {
        text(el("customer-alert-block-title"), "Sales to " + customer.name + " are blocked.");
        text(el("customer-alert-block-text"), alert.text);
        show(el("alert-override"), !allowed);
        show(el("alert-override-allowed"), allowed);
        if (allowed) {
          text(el("alert-override-allowed-reason"), override.reason);
        }
      }
      // A refusal the block box does not already say (inactive, no longer there).
      var problem = ours && level(customer) !== "block" ? last.problem : "";
      text(el("customer-problem"), problem);
      show(el("customer-problem"), Boolean(problem));
      if (JSON.stringify(warnings) === drawnWarnings) {
        return;
      }
      drawnWarnings = JSON.stringify(warnings);
      var list = el("customer-warnings");
      list.replaceChildren();
      warnings.forEach(function (warning) {
        var item = document.createElement("div");
        item.className = "alert py-1 px-2 mt-1 mb-0 small " + (warning.level === "block" ? "alert-danger" : "alert-warning");
        item.setAttribute("role", "alert");
        item.innerHTML = "<i class='bi bi-exclamation-circle' aria-hidden='true'></i> <span></span>";
        text(item.querySelector("span"), warning.text);
        list.appendChild(item);
      });
    }

    /* The server's answer about the customer. When it disagrees with the customer's JSON
       the till holds (a block set or lifted since they were picked), the till asks again. */
    function quoted(answer, error, customer, override) {
      if (!customer) {
        return;
      }
      var refused = error && error.fieldErrors && error.fieldErrors.customerId;
      if (answer) {
        last = { customerId: customer.id, warnings: answer.customerWarnings || [], problem: "", overrideOk: Boolean(override) };
      } else if (refused) {
        last = { customerId: customer.id, warnings: [], problem: refused.join(" "), overrideOk: false };
      } else if (error && error.fieldErrors && error.fieldErrors["alertOverride.reason"]) {
        last.overrideOk = false;
      }
      var stale = (refused && level(customer) !== "block") || (answer && !override && level(customer) === "block");
      if (stale) {
        window.ClassicPOS.api.get(window.ClassicPOS.tillUrl("customer", customer.id)).then(options.refresh, function () {});
      }
      render(customer, override);
    }

    var reason = el("alert-override-reason");
    if (reason) {
      var allow = function () { options.override({ reason: reason.value }); };
      el("alert-override-allow").addEventListener("click", allow);
      // Enter allows, as the button does (the form's own Enter only asks for a quote).
      reason.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          event.stopPropagation();
          allow();
        }
      });
      el("alert-override-undo").addEventListener("click", function () {
        reason.value = "";
        options.override(null);
        reason.focus();
      });
    }

    return { render: render, quoted: quoted };
  }

  window.ClassicPOS.customerAlerts = customerAlerts;
})();
