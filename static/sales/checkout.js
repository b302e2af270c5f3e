/*
 * The checkout: holds the cart, the chosen customer and the payments, shows the
 * totals live, and records the sale through the API client. One Idempotency-Key
 * per cart means a retry after a lost connection (or a double click) can never
 * record the sale twice. The cart survives a reload (sessionStorage).
 */
(function () {
  "use strict";

  var api = window.ClassicPOS.api;
  var root = document.getElementById("checkout");
  var taxRate = parseFloat(root.dataset.taxRate || "0");
  var currency = root.dataset.currency;
  var methods = JSON.parse(root.dataset.methods);
  var storageKey = "classicpos.cart";
  var state = load() || newCart();
  var loyaltyProgram = null;

  function newCart() {
    return { key: api.newIdempotencyKey(), lines: [], customer: null, discount: "", payments: [] };
  }

  function load() {
    try {
      return JSON.parse(window.sessionStorage.getItem(storageKey));
    } catch (error) {
      return null;
    }
  }

  function save() {
    window.sessionStorage.setItem(storageKey, JSON.stringify(state));
  }

  /* Money as whole cents so that 0.1 + 0.2 is 0.30 on the screen too. */
  function toCents(text) {
    var value = String(text || "").trim();
    if (!/^\d+(\.\d{0,2})?$/.test(value)) {
      return null;
    }
    var parts = value.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }

  function money(cents) {
    var sign = cents < 0 ? "-" : "";
    cents = Math.abs(cents);
    return sign + Math.floor(cents / 100) + "." + String(cents % 100).padStart(2, "0");
  }

  function totals() {
    var subtotal = state.lines.reduce(function (sum, line) { return sum + line.priceCents * line.quantity; }, 0);
    var discount = Math.min(toCents(state.discount) || 0, subtotal);
    var tax = Math.round((subtotal - discount) * taxRate);
    var total = subtotal - discount + tax;
    var paid = state.payments.reduce(function (sum, p) { return sum + (toCents(p.amount) || 0); }, 0);
    return { subtotal: subtotal, discount: discount, tax: tax, total: total, paid: paid, due: total - paid };
  }

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  function renderCart() {
    var body = el("cart-lines");
    body.replaceChildren();
    state.lines.forEach(function (line, index) {
      var row = document.createElement("tr");
      row.dataset.productId = line.productId;
      var name = document.createElement("td");
      name.dataset.label = "Product";
      name.innerHTML = "<span class='fw-semibold'></span><br><small class='text-secondary'></small>";
      text(name.querySelector("span"), line.name);
      text(name.querySelector("small"), line.sku + " · " + money(line.priceCents));
      var qty = document.createElement("td");
      qty.dataset.label = "Quantity";
      var input = document.createElement("input");
      input.type = "number";
      input.min = "1";
      input.step = "1";
      input.value = line.quantity;
      input.className = "form-control form-control-sm cart-quantity";
      input.style.maxWidth = "6rem";
      input.setAttribute("aria-label", "Quantity of " + line.name);
      input.dataset.field = "lines[" + index + "].quantity";
      input.addEventListener("change", function () {
        var quantity = parseInt(input.value, 10);
        line.quantity = quantity > 0 ? quantity : 1;
        update();
      });
      qty.appendChild(input);
      var amount = text(document.createElement("td"), money(line.priceCents * line.quantity));
      amount.dataset.label = "Amount";
      amount.className = "text-end";
      var actions = document.createElement("td");
      actions.className = "actions text-end";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.innerHTML = "<i class='bi bi-x-lg' aria-hidden='true'></i>";
      remove.setAttribute("aria-label", "Remove " + line.name);
      remove.addEventListener("click", function () {
        state.lines.splice(index, 1);
        update();
        el("product-search").focus();
      });
      actions.appendChild(remove);
      row.append(name, qty, amount, actions);
      body.appendChild(row);
    });
    el("cart-empty").classList.toggle("d-none", state.lines.length > 0);
  }

  function renderCustomer() {
    var chosen = el("customer-chosen");
    var walkIn = !state.customer;
    el("customer-walk-in").classList.toggle("d-none", !walkIn);
    chosen.classList.toggle("d-none", walkIn);
    if (!walkIn) {
      text(el("customer-chosen-name"), state.customer.name);
      var details = [state.customer.phoneDisplay, state.customer.email].filter(Boolean).join(" · ");
      text(el("customer-chosen-details"), details);
      var points = el("customer-chosen-points");
      text(points, state.customer.loyaltyPoints + " points");
      points.classList.toggle("text-danger", state.customer.loyaltyPoints < 0);
    }
    renderPointsHelper();
  }

  function renderPointsHelper() {
    var helper = el("points-helper");
    if (!helper) {
      return;
    }
    var available = state.customer && loyaltyProgram && state.customer.loyaltyPoints >= loyaltyProgram.redeemStep;
    helper.classList.toggle("d-none", !available);
    if (available) {
      var steps = Math.floor(state.customer.loyaltyPoints / loyaltyProgram.redeemStep);
      text(el("points-helper-text"), state.customer.loyaltyPoints + " points, worth " +
        money(steps * loyaltyProgram.redeemValueCents) + " " + currency);
    }
  }

  function renderPayments() {
    var list = el("payments");
    list.replaceChildren();
    state.payments.forEach(function (payment, index) {
      var row = document.createElement("div");
      row.className = "input-group mb-2";
      var select = document.createElement("select");
      select.className = "form-select";
      select.style.maxWidth = "10rem";
      select.setAttribute("aria-label", "Payment method " + (index + 1));
      select.dataset.field = "payments[" + index + "].method";
      methods.forEach(function (method) {
        var option = document.createElement("option");
        option.value = method.value;
        option.textContent = method.label;
        option.selected = method.value === payment.method;
        select.appendChild(option);
      });
      select.addEventListener("change", function () { payment.method = select.value; update(); });
      var amount = document.createElement("input");
      amount.className = "form-control payment-amount";
      amount.inputMode = "decimal";
      amount.value = payment.amount;
      amount.setAttribute("aria-label", "Amount of payment " + (index + 1));
      amount.dataset.field = "payments[" + index + "].amount";
      amount.addEventListener("input", function () { payment.amount = amount.value; updateTotals(); save(); });
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-outline-danger";
      remove.setAttribute("aria-label", "Remove payment " + (index + 1));
      remove.innerHTML = "<i class='bi bi-x-lg' aria-hidden='true'></i>";
      remove.addEventListener("click", function () { state.payments.splice(index, 1); update(); });
      row.append(select, amount, remove);
      list.appendChild(row);
    });
  }

  function updateTotals() {
    var t = totals();
    text(el("total-subtotal"), money(t.subtotal));
    text(el("total-discount"), money(t.discount));
    text(el("total-tax"), money(t.tax));
    text(el("total-total"), money(t.total));
    var due = el("total-due");
    if (t.due > 0) {
      text(el("total-due-label"), "Still due");
      text(due, money(t.due));
    } else {
      text(el("total-due-label"), "Change");
      text(due, money(-t.due));
    }
    el("complete-sale").disabled = state.lines.length === 0;
  }

  function update() {
    save();
    renderCart();
    renderCustomer();
    renderPayments();
    updateTotals();
  }

  function addProduct(product) {
    var existing = state.lines.find(function (line) { return line.productId === product.id; });
    if (existing) {
      existing.quantity += 1;
    } else {
      state.lines.push({ productId: product.id, sku: product.sku, name: product.name,
        priceCents: toCents(product.price), quantity: 1 });
    }
    update();
  }

  /* A search box with a result list that the keyboard drives: arrows move, Enter picks. */
  function searchBox(input, list, fetchResults, renderItem, pick) {
    var results = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    function show() {
      list.replaceChildren();
      results.forEach(function (item, index) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action" + (index === active ? " active" : "");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        option.id = list.id + "-" + index;
        renderItem(option, item);
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      list.classList.toggle("d-none", results.length === 0);
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + active);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item) {
        return;
      }
      results = [];
      active = -1;
      input.value = "";
      show();
      pick(item);
    }

    function search() {
      var term = input.value.trim();
      var mine = ++sequence;
      if (!term) {
        results = [];
        show();
        return;
      }
      input.closest(".search-box").classList.add("is-loading");
      fetchResults(term).then(function (items) {
        if (mine !== sequence) {
          return;
        }
        results = items;
        active = items.length ? 0 : -1;
        show();
      }, function (error) {
        api.showError(error);
      }).finally(function () {
        input.closest(".search-box").classList.remove("is-loading");
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        active = (active + 1) % results.length;
        show();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && results.length) {
        active = (active - 1 + results.length) % results.length;
        show();
        event.preventDefault();
      } else if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        if (results.length) {
          choose(Math.max(active, 0));
        } else if (input.value.trim()) {
          var term = input.value.trim();
          fetchResults(term).then(function (items) {
            results = items;
            if (items.length) {
              choose(0);
            } else {
              window.ClassicPOS.toast("Nothing found for \u201c" + term + "\u201d.", "warning");
            }
          }, function (error) { api.showError(error); });
        }
      } else if (event.key === "Escape") {
        results = [];
        show();
      }
    });
  }

  searchBox(
    el("product-search"),
    el("product-options"),
    function (term) {
      return api.get("/api/products?active=true&pageSize=8&search=" + encodeURIComponent(term))
        .then(function (page) { return page.results; });
    },
    function (option, product) {
      option.innerHTML = "<span class='fw-semibold'></span> <small class='text-secondary'></small><span class='float-end'></span>";
      text(option.querySelector("span"), product.name);
      text(option.querySelector("small"), product.sku);
      text(option.querySelector(".float-end"), product.price);
    },
    function (product) { addProduct(product); el("product-search").focus(); }
  );

  searchBox(
    el("customer-search"),
    el("customer-options"),
    function (term) {
      return api.get("/api/customers?status=active&pageSize=8&search=" + encodeURIComponent(term))
        .then(function (page) { return page.results; });
    },
    function (option, customer) {
      option.innerHTML = "<span class='fw-semibold'></span><br><small class='text-secondary'></small><span class='badge text-bg-light float-end'></span>";
      text(option.querySelector("span"), customer.name);
      text(option.querySelector("small"), [customer.phoneDisplay, customer.email].filter(Boolean).join(" · "));
      text(option.querySelector(".badge"), customer.loyaltyPoints + " pts");
    },
    function (customer) { selectCustomer(customer); el("product-search").focus(); }
  );

  function selectCustomer(customer) {
    state.customer = {
      id: customer.id, name: customer.name, email: customer.email,
      phoneDisplay: customer.phoneDisplay, loyaltyPoints: customer.loyaltyPoints
    };
    update();
  }

  el("customer-clear").addEventListener("click", function () {
    state.customer = null;
    state.payments = state.payments.filter(function (p) { return p.method !== "points" && p.method !== "on_account"; });
    update();
    el("customer-search").focus();
  });

  el("discount").value = state.discount;
  el("discount").addEventListener("input", function () {
    state.discount = el("discount").value;
    updateTotals();
    save();
  });

  el("add-payment").addEventListener("click", function () {
    var due = totals().due;
    state.payments.push({ method: "cash", amount: due > 0 ? money(due) : "" });
    update();
    var amounts = document.querySelectorAll(".payment-amount");
    amounts[amounts.length - 1].focus();
  });

  var pointsButton = el("use-points");
  if (pointsButton) {
    pointsButton.addEventListener("click", function () {
      var due = totals().due;
      var stepCents = loyaltyProgram.redeemValueCents;
      var affordable = Math.floor(state.customer.loyaltyPoints / loyaltyProgram.redeemStep) * stepCents;
      var amount = Math.min(affordable, Math.floor(due / stepCents) * stepCents);
      if (amount <= 0) {
        window.ClassicPOS.toast("Points pay in steps of " + money(stepCents) + "; nothing left to pay with points.", "warning");
        return;
      }
      state.payments = state.payments.filter(function (p) { return p.method !== "points"; });
      state.payments.unshift({ method: "points", amount: money(amount) });
      update();
    });
    api.get("/api/loyalty-program").then(function (program) {
      loyaltyProgram = {
        redeemStep: program.redeemStep,
        redeemValueCents: toCents(program.redeemValue)
      };
      renderPointsHelper();
    }, function () { loyaltyProgram = null; });
  }

  el("new-sale").addEventListener("click", function () {
    state = newCart();
    el("discount").value = "";
    update();
    el("product-search").focus();
  });

  var completing = false;
  el("checkout-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (completing) {
      return;
    }
    var form = el("checkout-form");
    if (state.payments.length === 0 && totals().total > 0) {
      state.payments.push({ method: "cash", amount: money(totals().total) });
      update();
    }
    completing = true;
    var button = el("complete-sale");
    button.disabled = true;
    button.querySelector(".spinner-border").classList.remove("d-none");
    api.clearFieldErrors(form);
    api.post("/api/sales", {
      customerId: state.customer ? state.customer.id : null,
      lines: state.lines.map(function (line) { return { productId: line.productId, quantity: line.quantity }; }),
      discount: money(toCents(state.discount) || 0),
      payments: state.payments.map(function (p) { return { method: p.method, amount: p.amount }; })
    }, { idempotencyKey: state.key }).then(function (sale) {
      window.sessionStorage.removeItem(storageKey);
      window.location.assign("/sales/" + sale.id + "/?completed=1");
    }, function (error) {
      completing = false;
      button.disabled = false;
      button.querySelector(".spinner-border").classList.add("d-none");
      api.showError(error, form);
    });
  });

  /* Quick-add: a new customer from the till, selected at once, cart untouched. */
  var quickAdd = el("quick-add-form");
  var quickAddKey = api.newIdempotencyKey();
  var quickAddModal = bootstrap.Modal.getOrCreateInstance(el("quick-add-modal"));
  el("quick-add-modal").addEventListener("shown.bs.modal", function () {
    el("quick-add-name").focus();
  });
  quickAdd.addEventListener("submit", function (event) {
    event.preventDefault();
    var submit = quickAdd.querySelector("button[type=submit]");
    submit.disabled = true;
    api.post("/api/customers", {
      name: el("quick-add-name").value,
      email: el("quick-add-email").value,
      phone: el("quick-add-phone").value,
      address: el("quick-add-address").value
    }, { idempotencyKey: quickAddKey }).then(function (customer) {
      quickAddKey = api.newIdempotencyKey();
      quickAdd.reset();
      api.clearFieldErrors(quickAdd);
      quickAddModal.hide();
      selectCustomer(customer);
      window.ClassicPOS.toast("Added " + customer.name + " and selected them for this sale.", "success");
    }, function (error) {
      api.showError(error, quickAdd);
    }).finally(function () {
      submit.disabled = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey && event.key === "c") {
      el("customer-search").focus();
      event.preventDefault();
    } else if (event.altKey && event.key === "p") {
      el("product-search").focus();
      event.preventDefault();
    }
  });

  update();
})();
