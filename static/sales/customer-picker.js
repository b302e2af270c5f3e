/*
 * The till's customer box: Enter picks the one match; several matches are counted
 * and none is chosen for Enter (twelve Maria Garcias must not become *a* Maria
 * Garcia); no active match says whether inactive customers match, with a restore
 * for a Manager; a receipt's number opens that sale. /checkout/?customer=ID starts
 * with that customer chosen.
 *
 * window.ClassicPOS.customerPicker({select(customer)}) starts it; checkout.js calls
 * it once its cart is drawn. renderTags draws a customer's tags for both.
 */
(function () {
  "use strict";

  var api = window.ClassicPOS.api;
  var url = window.ClassicPOS.tillUrl;
  // What a receipt's number looks like, to send it to the sales rather than the customers.
  var SALE_NUMBER = /^\s*s\s*-?\s*\d+\s*$/i;

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  /* Tags as small badges after a name: text only, never markup from the server. */
  function renderTags(container, tags) {
    container.replaceChildren();
    (tags || []).forEach(function (name) {
      var badge = document.createElement("span");
      badge.className = "badge rounded-pill text-bg-info ms-1";
      badge.textContent = name;
      container.appendChild(badge);
    });
  }


  function customerPicker(options) {
    /* ---- The customer box: Enter picks the one match; several ask for more. ---- */

    function customerPage(term) {
      var tag = el("customer-tag") ? el("customer-tag").value : "";
      return api.get(url("customers") + "?status=active&pageSize=8&search=" + encodeURIComponent(term) +
        (tag ? "&tag=" + encodeURIComponent(tag) : ""))
        .then(function (page) { return { items: page.results, count: page.count }; });
    }

    /* A receipt's number (S-000044) typed or scanned into the customer box opens that
       sale; the server reads the number (GET /api/sales?number=). The cart stays in this tab. */
    function openSale(term) {
      api.get(url("sales") + "?pageSize=1&number=" + encodeURIComponent(term)).then(function (page) {
        if (page.results.length) {
          window.location.assign("/sales/" + page.results[0].id + "/");
        } else {
          window.ClassicPOS.toast("No sale has the number \u201c" + term + "\u201d.", "warning");
        }
      }, function (error) { api.showError(error); });
    }

    /* "1,000+" past the search's match limit: the API counts up to it (the server's label). */
    function matchCount(count) {
      var checkout = el("checkout");
      return count >= Number(checkout.dataset.matchLimit) ? checkout.dataset.matchLimitLabel : String(count);
    }

    var customerBox = window.ClassicPOS.searchBox({
      input: el("customer-search"),
      list: el("customer-options"),
      fetch: customerPage,
      render: function (option, customer) {
        option.innerHTML = "<span class='fw-semibold'></span><span class='customer-tags'></span><br><small class='text-secondary'></small>";
        text(option.querySelector("span"), customer.name);
        renderTags(option.querySelector(".customer-tags"), customer.tags);
        text(option.querySelector("small"), [customer.phoneDisplay, customer.email].filter(Boolean).join(" \u00b7 "));
      },
      pick: options.select,
      enter: function (term) {
        if (SALE_NUMBER.test(term)) {
          openSale(term);
          return;
        }
        customerPage(term).then(function (page) {
          if (page.items.length === 1) {
            el("customer-search").value = "";
            options.select(page.items[0]);
          } else if (!page.items.length) {
            customerMissed(term);
          } else if (customerBox.term() === term) {
            customerBox.showResults(term, page);
          }
        }, function (error) { api.showError(error); });
      },
      summary: function (count, shown) {
        return matchCount(count) + " customers match" +
          (count > shown.length ? ", " + shown.length + " shown" : "") +
          ": pick one, or type more of the name, phone or email.";
      },
      onInput: function () { el("customer-inactive").classList.add("d-none"); }
    });

    /* No active customer matches: say so when inactive ones do, with a restore for a Manager. */
    function customerMissed(term) {
      api.get(url("customers") + "?status=inactive&pageSize=1&search=" + encodeURIComponent(term)).then(function (page) {
        if (!page.count) {
          window.ClassicPOS.toast("No customer matches \u201c" + term + "\u201d.", "warning");
          return;
        }
        showInactiveMatch(page.count, page.results[0]);
      }, function (error) { api.showError(error); });
    }

    function showInactiveMatch(count, customer) {
      var box = el("customer-inactive");
      var restore = el("customer-restore");
      text(el("customer-inactive-text"), count === 1
        ? "1 inactive customer matches: " + customer.name + "."
        : matchCount(count) + " inactive customers match, such as " + customer.name + ".");
      restore.classList.toggle("d-none", !restore.dataset.allowed || count !== 1);
      restore.onclick = function () {
        api.post(url("customerRestore", customer.id), {}).then(function (restored) {
          box.classList.add("d-none");
          options.select(restored);
          window.ClassicPOS.toast("Restored " + restored.name + " and selected them for this sale.", "success");
        }, function (error) { api.showError(error); });
      };
      box.classList.remove("d-none");
    }
    /* /checkout/?customer=ID (the customer page's "New sale" button) starts with them chosen. */
    function customerFromAddress() {
      var params = new URLSearchParams(window.location.search);
      var id = params.get("customer");
      if (!id || !/^\d+$/.test(id)) {
        return;
      }
      window.history.replaceState(null, "", window.location.pathname);
      api.get(url("customer", id)).then(function (customer) {
        if (customer.status !== "active") {
          window.ClassicPOS.toast(customer.name + " is inactive; restore them before selling to them.", "warning");
          return;
        }
        options.select(customer);
      }, function (error) { api.showError(error); });
    }

    customerFromAddress();
  }

  window.ClassicPOS.renderTags = renderTags;
  window.ClassicPOS.customerPicker = customerPicker;
})();
