/*
 * Quick-add at the till: a new customer, selected for the sale at once, the cart
 * untouched. The form is the customer page's own; each input's data-field is the
 * API's name for it.
 *
 * Before adding, the till asks the server who already has the phone
 * (GET /api/customers/duplicates, the rule the staff form uses). When someone
 * does, the modal asks "Is this a different person?": the cashier picks the
 * existing customer, or adds anyway, which covers exactly the customers shown.
 *
 * The new customer's home store is this till's (data-store-id on the checkout root).
 */
(function () {
  "use strict";

  var api = window.ClassicPOS.api;
  var url = window.ClassicPOS.tillUrl;
  var form = document.getElementById("quick-add-form");
  if (!form) {
    return;
  }
  var modalElement = document.getElementById("quick-add-modal");
  var modal = bootstrap.Modal.getOrCreateInstance(modalElement);
  var question = document.getElementById("quick-add-duplicates");
  var submit = form.querySelector("button[type=submit]");
  var storeId = Number(document.getElementById("checkout").dataset.storeId) || null;
  var idempotencyKey = api.newIdempotencyKey();
  // The customers the cashier was shown and said are someone else.
  var confirmed = [];

  function values() {
    var body = {};
    form.querySelectorAll("[data-field]").forEach(function (input) { body[input.dataset.field] = input.value; });
    if (storeId) {
      body.homeStoreId = storeId;
    }
    return body;
  }

  function reset() {
    confirmed = [];
    question.classList.add("d-none");
    question.querySelector("ul").replaceChildren();
    submit.textContent = "Add and select";
  }

  function choose(customer) {
    form.reset();
    reset();
    api.clearFieldErrors(form);
    modal.hide();
    window.ClassicPOS.checkout.selectCustomer(customer);
  }

  function ask(found) {
    var list = question.querySelector("ul");
    list.replaceChildren();
    found.forEach(function (other) {
      var item = document.createElement("li");
      item.className = "text-break mb-1";
      var why = other.reasons.indexOf("similar name") !== -1 ? " and a similar name" : "";
      item.append(
        Object.assign(document.createElement("strong"), { textContent: other.name }),
        " (customer #" + other.id + (other.status === "active" ? "" : ", inactive") +
          ") already has the phone number " + other.phoneDisplay + why + ". "
      );
      if (other.status === "active") {
        var use = document.createElement("button");
        use.type = "button";
        use.className = "btn btn-sm btn-outline-dark py-0";
        use.textContent = "Select " + other.name;
        use.addEventListener("click", function () {
          api.get(url("customer", other.id)).then(choose, function (error) { api.showError(error); });
        });
        item.appendChild(use);
      }
      list.appendChild(item);
    });
    confirmed = found.map(function (other) { return other.id; });
    question.classList.remove("d-none");
    submit.textContent = "Add anyway";
    question.focus();
  }

  function seen(found) {
    return found.every(function (other) { return confirmed.indexOf(other.id) !== -1; });
  }

  function add(body) {
    return api.post(url("customers"), body, { idempotencyKey: idempotencyKey }).then(function (customer) {
      idempotencyKey = api.newIdempotencyKey();
      choose(customer);
      window.ClassicPOS.toast("Added " + customer.name + " and selected them for this sale.", "success");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (submit.disabled) {
      return;
    }
    submit.disabled = true;
    var body = values();
    var check = body.phone
      ? api.get(url("customerDuplicates") + "?name=" + encodeURIComponent(body.name || "") +
          "&phone=" + encodeURIComponent(body.phone))
      : Promise.resolve({ results: [] });
    check.then(function (answer) {
      if (answer.results.length && !seen(answer.results)) {
        ask(answer.results);
        return null;
      }
      return add(body);
    }).catch(function (error) {
      api.showError(error, form);
    }).finally(function () {
      submit.disabled = false;
    });
  });

  /* A changed phone is a new question: what was confirmed was for the old one. */
  form.addEventListener("input", function (event) {
    if (event.target.dataset.field === "phone" && confirmed.length) {
      reset();
    }
  });

  modalElement.addEventListener("shown.bs.modal", function () {
    form.querySelector("[data-field]").focus();
  });
  modalElement.addEventListener("hidden.bs.modal", reset);
})();
