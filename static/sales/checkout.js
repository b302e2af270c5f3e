/*
 * The checkout: holds the cart, the chosen customer and the payments, and shows
 * the server's numbers. Every change asks POST /api/sales/quote (debounced) for
 * the subtotal, discount, tax, total, what is still due and what each payment
 * method can take: this page does no money arithmetic of its own, so it can
 * never disagree with what checkout charges.
 *
 * One Idempotency-Key per cart means a retry after a lost connection (or a
 * double click) can never record the sale twice. The cart survives a reload
 * (sessionStorage). Modules add widgets (loyalty's "Pay with points") that use
 * window.ClassicPOS.checkout (see the end): the quote as it arrives, a payment
 * (with a reference of its own when the method needs one, a card's code), a line
 * of another kind than a product (stored value, under its kind's key).
 *
 * Beside it: product-picker.js (the scan box and its queue), customer-picker.js
 * (finding the customer), quick-add.js (a new customer), cart-rows.js and
 * payment-rows.js (the rows), till-urls.js (the API's addresses, from the page),
 * and classicpos/search-box.js (the keyboard-driven list both boxes use).
 */
(function () {
  "use strict";

  var QUOTE_DELAY_MS = 250;
  var RETRY_QUOTE_MS = 3000;
  var api = window.ClassicPOS.api;
  var root = document.getElementById("checkout");
  var methods = JSON.parse(root.dataset.methods);
  var store = window.ClassicPOS.cartStore;
  var state = store.load() || newCart();
  // The last quote the server gave; kept on screen (marked out of date) when a newer one fails.
  var quote = null;
  var quoteLines = null;
  var quoteProblem = null;
  var quoteListeners = [];
  var completing = false;
  // Methods only a widget sets (their payments need a reference): no row or button offers them.
  var reserved = [];
  // What widgets are still finding out (a card looked up): the sale waits for it.
  var holds = 0;

  function newCart() {
    return { key: api.newIdempotencyKey(), lines: [], customer: null, discount: "", payments: [], alertOverride: null };
  }

  function save() { store.save(state); }

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  function isZero(amount) { return !amount || /^0+(\.0+)?$/.test(amount); }

  /* An expired session keeps the cart: it lives in this tab's storage. */
  window.ClassicPOS.loggedOutMessage = "You were logged out \u2014 log in again; the cart is kept.";

  /* The server's amounts as people read them; placeholders ("–") pass through. */
  function money(amount) { return /^-?\d/.test(String(amount)) ? window.ClassicPOS.money(amount) : amount; }

  function method(code) {
    return methods.find(function (item) { return item.value === code; });
  }

  function usableMethods() {
    return methods.filter(function (item) {
      return (state.customer || !item.needsCustomer) && reserved.indexOf(item.value) === -1;
    });
  }

  function paymentLabel(payment) {
    if (payment.reference && payment.reference.label) {
      return payment.reference.label;
    }
    var known = method(payment.method);
    return known ? known.label : payment.method;
  }

  /* ---- The quote: the one source of every number on this page. ---- */

  var quoteTimer = null;
  var retryTimer = null;
  var quoteSequence = 0;
  var quotePending = null;
  var waiting = [];

  function linesKey() { return JSON.stringify(cartLines()); }

  /* The cart as the API takes it; a line's discount is sent as typed ("1.00", "10%"), a
     line of another kind as its module gave it, under its kind's key. */
  function cartLines() {
    return state.lines.map(function (line) {
      if (line.kind) {
        var item = {};
        item[line.kind] = line.data;
        return item;
      }
      var sent = { productId: line.productId, quantity: line.quantity };
      if (line.discount && line.discount.trim()) {
        sent.discount = line.discount.trim();
      }
      return sent;
    });
  }

  // The till this device is (a Manager paired it); the server prices at its store's rate.
  var tillId = Number(root.dataset.tillId) || null;

  var sentPayment = window.ClassicPOS.paymentRows.sent;

  function quoteRequest() {
    return {
      tillId: tillId,
      customerId: state.customer ? state.customer.id : null,
      lines: cartLines(),
      discount: state.discount.trim() || "0",
      payments: state.payments.filter(function (p) { return p.amount.trim() !== ""; }).map(sentPayment),
      alertOverride: state.alertOverride || null
    };
  }

  function setQuoting(busy) {
    el("quote-spinner").classList.toggle("d-none", !busy);
    el("totals").setAttribute("aria-busy", busy ? "true" : "false");
    updateCompleteButton();
  }

  /* Ask for a new quote after the cashier stops typing; return a promise of it.
     A failed quote leaves the last good numbers on screen, marked out of date; when
     it failed for want of a connection, the till asks again by itself until it is back.
     A promise of a quote that a newer one replaced gets the newer one (waiting). */
  function requestQuote(delay) {
    clearTimeout(quoteTimer);
    clearTimeout(retryTimer);
    var mine = ++quoteSequence;
    var lines = linesKey();
    setQuoting(true);
    quotePending = new Promise(function (resolve) {
      waiting.push(resolve);
      quoteTimer = setTimeout(function () {
        api.post(window.ClassicPOS.tillUrl("quote"), quoteRequest()).then(function (answer) {
          if (mine !== quoteSequence) {
            return;
          }
          if (quoteProblem === "connection") {
            window.ClassicPOS.toast("The connection is back: the totals are up to date.", "success", { key: "connection" });
          }
          quote = answer;
          quoteLines = lines;
          quoteProblem = null;
          api.clearFieldErrors(el("checkout-form"));
          finishQuote(answer);
        }, function (error) {
          if (mine !== quoteSequence) {
            return;
          }
          quoteProblem = error.status === 0 ? "connection" : error.status === 401 ? "session"
            : error.fieldErrors.customerId ? "customer" : "input";
          api.showError(window.ClassicPOS.cartRows.messages(error, el("checkout-form")), el("checkout-form"));
          if (quoteProblem === "connection" || quoteProblem === "session") {
            retryTimer = setTimeout(function () { requestQuote(0); }, RETRY_QUOTE_MS);
          }
          finishQuote(null, error);
        });
      }, delay === undefined ? QUOTE_DELAY_MS : delay);
    });
    return quotePending;
  }

  window.addEventListener("online", function () {
    if (quoteProblem) {
      requestQuote(0);
    }
  });

  function finishQuote(answer, error) {
    var resolvers = waiting;
    waiting = [];
    quotePending = null;
    setQuoting(false);
    alerts.quoted(answer, error, state.customer, state.alertOverride);
    renderQuote();
    quoteListeners.forEach(function (listener) { listener(answer, state); });
    resolvers.forEach(function (resolve) { resolve(answer); });
  }

  /* The current quote, waiting for the one in flight (or asking at once); null when it failed. */
  function currentQuote() {
    if (quotePending) {
      return quotePending;
    }
    return quote && !quoteProblem ? Promise.resolve(quote) : requestQuote(0);
  }

  var STALE_NOTES = {
    connection: "Not up to date: no connection to the server. The till retries by itself.",
    session: "Not up to date: you were logged out.",
    input: "Not up to date: correct the marked field.",
    customer: "Not up to date: the sale is refused for this customer (see Customer)."
  };

  function renderQuote() {
    var stale = Boolean(quoteProblem && quote);
    el("totals").classList.toggle("is-stale", stale);
    el("paybar-total").classList.toggle("is-stale", stale);
    text(el("totals-stale"), stale ? STALE_NOTES[quoteProblem] : "");
    el("totals-stale").classList.toggle("d-none", !stale);
    var shown = quote || { subtotal: "–", discount: "–", tax: "–", total: "–", amountDue: "–", change: "–", lines: [] };
    text(el("total-subtotal"), money(shown.subtotal));
    text(el("total-discount"), money(shown.discount));
    text(el("total-tax"), money(shown.tax));
    text(el("total-total"), money(shown.total));
    if (quote && state.lines.length && state.payments.length && isZero(quote.amountDue)) {
      var exact = isZero(quote.change);
      text(el("total-due-label"), exact ? "Paid in full" : "Change");
      text(el("total-due"), exact ? "" : money(quote.change));
    } else {
      text(el("total-due-label"), "Still due");
      text(el("total-due"), money(shown.amountDue));
    }
    text(el("paybar-total"), money(shown.total));
    renderTender();
    var sameLines = quote && quoteLines === linesKey();
    document.querySelectorAll("#cart-lines tr").forEach(function (row, index) {
      var line = sameLines && quote.lines[index];
      text(row.querySelector("[data-line-total]"), line ? money(line.lineTotal) : "…");
      var name = row.querySelector("[data-line-name]");
      if (name && line) {
        // Kept, as a product's name is: the row is drawn anew before the next quote.
        state.lines[index].name = text(name, line.name).textContent;
      }
    });
  }

  /* After a partial tender, offer to take what is still due: the quote's quick-cash
     amounts (exact, next 5/10/20) and the till's other methods (card) for exactly that. */
  function renderTender() {
    // Not while a new quote is on its way: the old one's "still due" may be stale.
    var offer = quote && !quotePending && !quoteProblem && state.lines.length && state.payments.length && !isZero(quote.amountDue);
    el("tender").classList.toggle("d-none", !offer);
    window.ClassicPOS.tenderButtons(el("tender-buttons"), offer ? quote : null, {
      reserved: reserved,
      money: money,
      add: function (code, amount) {
        state.payments.push({ method: code, amount: amount });
        update();
        el("complete-sale").focus();
      }
    });
    if (offer) {
      text(el("tender-due"), money(quote.amountDue));
    }
  }

  /* ---- Rendering the cart, the customer and the payments. ---- */

  function renderCart() {
    window.ClassicPOS.cartRows(el("cart-lines"), state.lines, {
      changed: update,
      discounted: function () { save(); requestQuote(); },
      removed: function (index) {
        state.lines.splice(index, 1);
        update();
        el("product-search").focus();
      }
    });
    el("cart-empty").classList.toggle("d-none", state.lines.length > 0);
  }

  function renderCustomer() {
    var walkIn = !state.customer;
    el("customer-walk-in").classList.toggle("d-none", !walkIn);
    el("customer-chosen").classList.toggle("d-none", walkIn);
    if (!walkIn) {
      text(el("customer-chosen-name"), state.customer.name);
      window.ClassicPOS.renderTags(el("customer-chosen-tags"), state.customer.tags);
      var details = [state.customer.phoneDisplay, state.customer.email].filter(Boolean).join(" · ");
      text(el("customer-chosen-details"), details);
      text(el("customer-chosen-note"), state.customer.note);
    }
    alerts.render(state.customer, state.alertOverride);
  }

  function renderPayments() {
    window.ClassicPOS.paymentRows(el("payments"), state.payments, {
      methods: usableMethods(),
      label: paymentLabel,
      changed: update,
      typed: function () { save(); requestQuote(); },
      removed: function (index) { state.payments.splice(index, 1); update(); }
    });
  }

  /* Not while a scanned code is still being looked up (a product, a widget's card): the
     sale would go without it. */
  function updateCompleteButton() {
    var disabled = state.lines.length === 0 || completing || holds > 0 || Boolean(scans && scans.pending());
    el("complete-sale").disabled = disabled;
    el("paybar-complete").disabled = disabled;
  }

  function update() {
    save();
    requestQuote();
    renderCart();
    renderCustomer();
    renderPayments();
    renderQuote();
  }

  function addProduct(product) {
    var existing = state.lines.find(function (line) { return line.productId === product.id; });
    if (existing) {
      existing.quantity += 1;
    } else {
      state.lines.push({ productId: product.id, sku: product.sku, name: product.name, price: product.price, quantity: 1 });
    }
    update();
  }

  // The scan box; set once the cart is drawn (see the end).
  var scans = null;

  /* The customer's note flagged for the till and the warnings about them (customer-alerts.js). */
  var alerts = window.ClassicPOS.customerAlerts({
    override: function (override) { state.alertOverride = override; update(); },
    refresh: function (customer) {
      if (state.customer && state.customer.id === customer.id) {
        Object.assign(state.customer, { alert: customer.alert || null, note: customer.note || "" });
        save();
        renderCustomer();
      }
    }
  });

  function selectCustomer(customer) {
    state.customer = {
      id: customer.id, name: customer.name, email: customer.email, phoneDisplay: customer.phoneDisplay,
      tags: customer.tags || [], note: customer.note || "", alert: customer.alert || null
    };
    state.alertOverride = null;
    update();
  }

  el("customer-clear").addEventListener("click", function () {
    state.customer = null;
    state.alertOverride = null;
    state.payments = state.payments.filter(function (p) {
      var known = method(p.method);
      return known && !known.needsCustomer;
    });
    update();
    el("customer-search").focus();
  });

  el("discount").value = state.discount;
  el("discount").addEventListener("input", function () {
    state.discount = el("discount").value;
    save();
    requestQuote();
  });

  el("add-payment").addEventListener("click", function () {
    currentQuote().then(function (answer) {
      var due = answer && !isZero(answer.amountDue) ? answer.amountDue : "";
      state.payments.push({ method: usableMethods()[0].value, amount: due });
      update();
      var amounts = document.querySelectorAll(".payment-amount");
      amounts[amounts.length - 1].focus();
    });
  });

  el("new-sale").addEventListener("click", function () {
    state = newCart();
    el("discount").value = "";
    update();
    el("product-search").focus();
  });

  /* Enter applies what was typed (a quantity, the discount, a payment); only the
     Complete sale button completes a sale. The search boxes handle their own Enter. */
  el("checkout-form").addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || target.closest(".search-box")) {
      return;
    }
    event.preventDefault();
    if (target.classList.contains("cart-quantity")) {
      target.dispatchEvent(new Event("change"));
      el("product-search").focus();
    } else if (target.classList.contains("cart-discount")) {
      requestQuote(0);
      el("product-search").focus();
    } else {
      requestQuote(0);
    }
  });

  el("checkout-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (completing) {
      return;
    }
    var form = el("checkout-form");
    var button = el("complete-sale");
    completing = true;
    updateCompleteButton();
    button.querySelector(".spinner-border").classList.remove("d-none");
    currentQuote().then(function (answer) {
      if (state.payments.length === 0 && answer && !isZero(answer.total)) {
        state.payments.push({ method: "cash", amount: answer.total });
        save();
        renderPayments();
      }
      api.clearFieldErrors(form);
      // The quote's body with every payment row (a blank amount is the server's to refuse).
      var sale = Object.assign(quoteRequest(), { payments: state.payments.map(sentPayment) });
      return api.post(window.ClassicPOS.tillUrl("sales"), sale, { idempotencyKey: state.key });
    }).then(function (sale) {
      store.clear();
      window.location.assign("/sales/" + sale.id + "/?completed=1");
    }, function (error) {
      completing = false;
      updateCompleteButton();
      button.querySelector(".spinner-border").classList.add("d-none");
      api.showError(window.ClassicPOS.cartRows.messages(error, el("checkout-form")), form);
      alerts.quoted(null, error, state.customer, state.alertOverride);
    });
  });

  /* What module widgets may use (see the file's head). */
  window.ClassicPOS.checkout = {
    onQuote: function (listener) {
      quoteListeners.push(listener);
      if (quote) {
        listener(quote, state);
      }
    },
    /* The quote for the cart once the codes scanned so far are in it and the quote on
       its way is in (null: it failed). */
    quote: function () {
      return new Promise(function (resolve) { afterScans.push(resolve); scansChanged(); }).then(currentQuote);
    },
    /* Pay `amount` by `code`. A reference ({field, value, label}) is the payment's own
       text for the API ({[field]: value}); one method may pay several times when
       their references differ. The payment with the same reference is replaced. */
    setPayment: function (code, amount, reference) {
      window.ClassicPOS.paymentRows.put(state.payments, code, amount, reference);
      update();
    },
    /* The payments as they stand: copies, for a widget to see what it already set. */
    payments: function () { return JSON.parse(JSON.stringify(state.payments)); },
    /* Only the widget sets payments of `code` (they need a reference). */
    reserveMethod: function (code) {
      if (reserved.indexOf(code) === -1) {
        reserved.push(code);
        renderPayments();
        renderTender();
      }
    },
    /* A line of another kind: `data` is sent as is under `kind`; `shown` ({name, detail})
       names the row until the quote gives its name. */
    addLine: function (kind, data, shown) {
      state.lines.push({ kind: kind, data: data, name: shown.name, detail: shown.detail || "" });
      update();
    },
    /* The sale waits (Complete sale is off) until `promise` settles: a lookup on its way. */
    waitFor: function (promise) {
      holds += 1;
      updateCompleteButton();
      var done = function () { holds -= 1; updateCompleteButton(); };
      promise.then(done, done);
      return promise;
    },
    selectCustomer: function (customer) {
      selectCustomer(customer);
      el("product-search").focus();
    }
  };

  // Who waits for the scan box's lookups to be applied (checkout.quote).
  var afterScans = [];

  function scansChanged() {
    updateCompleteButton();
    if (!scans || scans.pending() === 0) {
      afterScans.splice(0).forEach(function (resolve) { resolve(); });
    }
  }

  update();
  scans = window.ClassicPOS.productPicker({ add: addProduct, changed: scansChanged });
  window.ClassicPOS.customerPicker({
    select: function (customer) {
      selectCustomer(customer);
      el("product-search").focus();
    }
  });
})();
