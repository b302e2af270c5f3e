/*
 * The till's payments as rows: each with its method, its amount (as typed) and a
 * remove button. A payment a module's widget set with a reference (a card's code)
 * names itself by the reference's label instead of offering a choice of method:
 * its method is fixed by what the reference belongs to. The reference's field
 * keys the server's messages about it, shown below the row.
 *
 * window.ClassicPOS.paymentRows(list, payments, {methods, label(payment),
 * changed(), typed(), removed(index)}) draws the rows anew; `methods` are those a
 * row may choose from ({value, label}).
 *
 * paymentRows.put(payments, method, amount, reference) sets a payment: it replaces the
 * one of that method and reference ({field, value, label}), else goes first; one
 * method may pay several times when their references differ. paymentRows.sent(payment)
 * is a payment as the API takes it, the reference's value under its field.
 *
 * window.ClassicPOS.tenderButtons(box, quote, {reserved, money, add(code, amount)})
 * offers, after a partial tender, to take what is still due: the quote's quick-cash
 * amounts (exact, next 5/10/20) and the till's other methods (card) for exactly
 * that; none for a null quote, nor for a method only a widget sets (`reserved`).
 */
(function () {
  "use strict";

  function text(node, value) { node.textContent = value; return node; }

  function methodSelect(payment, index, options) {
    var select = document.createElement("select");
    select.className = "form-select";
    select.style.maxWidth = "10rem";
    select.setAttribute("aria-label", "Payment method " + (index + 1));
    select.dataset.field = "payments[" + index + "].method";
    options.methods.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.value;
      option.textContent = item.label;
      option.selected = item.value === payment.method;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      payment.method = select.value;
      options.changed();
    });
    return select;
  }

  /* A referenced payment's name: fixed, and where the server's word about the reference goes. */
  function referenceLabel(payment, index, options) {
    var label = text(document.createElement("span"), options.label(payment));
    label.className = "input-group-text text-truncate";
    label.style.maxWidth = "12rem";
    label.id = "payment-" + index + "-name";
    label.dataset.field = "payments[" + index + "]." + payment.reference.field;
    return label;
  }

  function paymentRows(list, payments, options) {
    list.replaceChildren();
    payments.forEach(function (payment, index) {
      var row = document.createElement("div");
      row.className = "input-group mb-2";
      var name = payment.reference ? referenceLabel(payment, index, options) : methodSelect(payment, index, options);
      var amount = document.createElement("input");
      amount.className = "form-control payment-amount";
      amount.inputMode = "decimal";
      amount.value = payment.amount;
      amount.setAttribute("aria-label", "Amount of payment " + (index + 1) + (payment.reference ? " (" + options.label(payment) + ")" : ""));
      amount.dataset.field = "payments[" + index + "].amount";
      amount.addEventListener("input", function () {
        payment.amount = amount.value;
        options.typed();
      });
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-danger";
      remove.setAttribute("aria-label", "Remove payment " + (index + 1));
      remove.innerHTML = "<i class='bi bi-x-lg' aria-hidden='true'></i>";
      remove.addEventListener("click", function () { options.removed(index); });
      row.append(name, amount, remove);
      list.appendChild(row);
    });
  }

  function tenderButton(code, amount, label, add) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-success btn-sm";
    button.dataset.tender = code;
    text(button, label);
    button.addEventListener("click", function () { add(code, amount); });
    return button;
  }

  function tenderButtons(box, quote, options) {
    box.replaceChildren();
    if (!quote) {
      return;
    }
    quote.cashSuggestions.forEach(function (amount, index) {
      var label = "Cash " + options.money(amount) + (index === 0 ? " (exact)" : "");
      box.appendChild(tenderButton("cash", amount, label, options.add));
    });
    quote.paymentMethods.forEach(function (offered) {
      if (offered.method !== "cash" && !offered.needsCustomer && options.reserved.indexOf(offered.method) === -1) {
        var label = offered.label + " " + options.money(quote.amountDue);
        box.appendChild(tenderButton(offered.method, quote.amountDue, label, options.add));
      }
    });
  }

  function sameReference(first, second) {
    return first && second ? first.field === second.field && first.value === second.value : !first && !second;
  }

  function put(payments, method, amount, reference) {
    var payment = { method: method, amount: amount };
    if (reference) {
      payment.reference = { field: reference.field, value: reference.value, label: reference.label || "" };
    }
    var existing = payments.findIndex(function (other) {
      return other.method === method && sameReference(other.reference, reference);
    });
    if (existing === -1) {
      payments.unshift(payment);
    } else {
      payments[existing] = payment;
    }
  }

  function sent(payment) {
    var body = { method: payment.method, amount: payment.amount.trim() };
    if (payment.reference) {
      body[payment.reference.field] = payment.reference.value;
    }
    return body;
  }

  paymentRows.put = put;
  paymentRows.sent = sent;
  window.ClassicPOS.paymentRows = paymentRows;
  window.ClassicPOS.tenderButtons = tenderButtons;
})();
