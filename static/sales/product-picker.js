/*
 * The till's scan box: every Enter queues exactly the code typed before it
 * (static/sales/scan-queue.js keeps them in scan order), and the box is cleared
 * at once for the next code. The server says which product a code is: an exact
 * SKU or barcode first (exactMatch), else the only match. Several matches ask
 * the cashier to pick; none names the code that missed.
 *
 * window.ClassicPOS.productPicker({add(product), changed()}) starts it and returns
 * the queue, whose pending() is the number of codes still being looked up.
 */
(function () {
  "use strict";

  var api = window.ClassicPOS.api;

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  /* One page of the active products a term finds, the exact SKU or barcode first. */
  function productPage(term) {
    return api.get(window.ClassicPOS.tillUrl("products") + "?active=true&pageSize=8&search=" + encodeURIComponent(term));
  }

  function productPicker(options) {
    var scanStatus = el("scan-status");
    var scans = window.ClassicPOS.scanQueue({
      lookup: productPage,
      apply: applyScan,
      onChange: function (pending) {
        text(scanStatus, pending ? "Looking up " + pending + (pending === 1 ? " code\u2026" : " codes\u2026") : "");
        scanStatus.classList.toggle("d-none", !pending);
        options.changed();
      }
    });

    var productBox = window.ClassicPOS.searchBox({
      input: el("product-search"),
      list: el("product-options"),
      fetch: function (term) {
        return productPage(term).then(function (page) { return { items: page.results, count: page.count }; });
      },
      render: function (option, product) {
        option.innerHTML = "<span class='fw-semibold'></span> <small class='text-secondary'></small><span class='float-end'></span>";
        text(option.querySelector("span"), product.name);
        text(option.querySelector("small"), product.sku);
        text(option.querySelector(".float-end"), window.ClassicPOS.money(product.price));
      },
      pick: function (product) { options.add(product); el("product-search").focus(); },
      enter: function (code) {
        // Cleared now, not when the answer comes: the scanner is already typing the next code.
        el("product-search").value = "";
        scans.push(code);
      },
      summary: function (count) { return count + " products match: pick one, or type more."; }
    });

    /* A scanned or typed code's answer, applied in scan order: the exact SKU or barcode
       (the server says which), else the only match; several matches ask, none says so. */
    function applyScan(code, outcome) {
      if (outcome.error) {
        var why = outcome.error.status === 401 ? "log in again, then scan it." : outcome.error.message + " Scan it again.";
        if (outcome.error.status === 401) {
          api.showError(outcome.error);
        }
        window.ClassicPOS.toast("\u201c" + code + "\u201d was not added: " + why,
          "error", { key: "scan:" + code });
        return;
      }
      var found = outcome.answer.results;
      if (found.length && (found[0].exactMatch || found.length === 1)) {
        options.add(found[0]);
      } else if (!found.length) {
        window.ClassicPOS.toast("Nothing found for \u201c" + code + "\u201d.", "warning", { key: "scan:" + code });
      } else if (!el("product-search").value && scans.pending() === 1) {
        // The last code in the queue and nothing typed since: let the cashier pick.
        el("product-search").value = code;
        productBox.showResults(code, { items: found, count: outcome.answer.count });
      } else {
        window.ClassicPOS.toast("\u201c" + code + "\u201d matches " + outcome.answer.count +
          " products and was not added: type more of it, or pick one.", "warning", { key: "scan:" + code });
      }
    }

    return scans;
  }

  window.ClassicPOS.productPicker = productPicker;
})();
