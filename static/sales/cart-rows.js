/*
 * The till's cart as table rows: each product line with its quantity, its own
 * discount (as typed: "1.00" or "10%"; the quote works it out), its amount (filled
 * in from the quote by checkout.js, "…" until then) and a remove button.
 *
 * A line of another kind (stored value a module sells, under its key: see
 * checkout.addLine) has no quantity or discount: it shows the name the quote gives
 * it (the module's own until the quote answers), its amount and a remove button.
 * The server's messages about it go beside its name.
 *
 * window.ClassicPOS.cartRows(body, lines, {changed(), discounted(), removed(index)})
 * draws the rows anew. When the focus was in a row, it goes back to the scan box:
 * the next scan must never land on the page.
 *
 * window.ClassicPOS.cartRows.messages(error, form) is the API's error with a message
 * about such a line, keyed by its module's own keys (lines[2].<kind>.amount), moved
 * to the one place its row has for them (lines[2].<kind>), for api.showError.
 */
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  /* One block inside the cell: on a phone the stacked cell is a flex row, and separate
     children would squeeze into narrow columns side by side. */
  function nameCell(title, detail) {
    var name = document.createElement("td");
    name.dataset.label = "Product";
    name.className = "text-break";
    name.innerHTML = "<div class='min-w-0'><span class='fw-semibold'></span><br><small class='text-secondary'></small></div>";
    text(name.querySelector("span"), title);
    text(name.querySelector("small"), detail);
    return name;
  }

  function quantityCell(line, index, handlers) {
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
      handlers.changed();
    });
    qty.appendChild(input);
    return qty;
  }

  function discountCell(line, index, handlers) {
    var off = document.createElement("td");
    off.dataset.label = "Discount";
    var discount = document.createElement("input");
    discount.className = "form-control form-control-sm cart-discount";
    discount.style.maxWidth = "6rem";
    discount.inputMode = "decimal";
    discount.placeholder = "0 or 10%";
    discount.value = line.discount || "";
    discount.setAttribute("aria-label", "Discount on " + line.name);
    discount.dataset.field = "lines[" + index + "].discount";
    discount.addEventListener("input", function () {
      line.discount = discount.value;
      handlers.discounted();
    });
    off.appendChild(discount);
    return off;
  }

  function productRow(line, index, handlers) {
    var row = document.createElement("tr");
    row.dataset.productId = line.productId;
    var name = nameCell(line.name, line.sku + " · " + window.ClassicPOS.money(line.price));
    row.append(name, quantityCell(line, index, handlers), discountCell(line, index, handlers));
    return row;
  }

  /* A stored-value line: its name is the quote's (data-line-name), its messages beside it. */
  function kindRow(line, index) {
    var row = document.createElement("tr");
    row.dataset.kind = line.kind;
    var name = nameCell(line.name, line.detail || "");
    name.dataset.label = "Item";
    var title = name.querySelector("span");
    title.dataset.lineName = "";
    title.dataset.field = "lines[" + index + "]." + line.kind;
    // Nothing to set for such a line: the empty cells keep the columns on a wide screen.
    var none = document.createElement("td");
    none.colSpan = 2;
    none.className = "d-none d-md-table-cell";
    row.append(name, none);
    return row;
  }

  function cartRows(body, lines, handlers) {
    var hadFocus = body.contains(document.activeElement);
    body.replaceChildren();
    lines.forEach(function (line, index) {
      var row = line.kind ? kindRow(line, index) : productRow(line, index, handlers);
      var amount = text(document.createElement("td"), "…");
      amount.dataset.label = "Amount";
      amount.dataset.lineTotal = "";
      amount.className = "text-end";
      var actions = document.createElement("td");
      actions.className = "actions text-end";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.innerHTML = "<i class='bi bi-x-lg' aria-hidden='true'></i>";
      remove.setAttribute("aria-label", "Remove " + line.name + (line.kind ? " (line " + (index + 1) + ")" : ""));
      remove.addEventListener("click", function () { handlers.removed(index); });
      actions.appendChild(remove);
      row.append(amount, actions);
      body.appendChild(row);
    });
    if (hadFocus) {
      // The row that had the focus was drawn anew: the next scan goes to the scan box.
      el("product-search").focus();
    }
  }

  function messages(error, form) {
    var fields = {};
    Object.keys(error.fieldErrors || {}).forEach(function (key) {
      var nested = /^(lines\[\d+\]\.\w+)\../.exec(key);
      var target = nested && !form.querySelector("[data-field='" + key + "']") ? nested[1] : key;
      fields[target] = (fields[target] || []).concat(error.fieldErrors[key]);
    });
    var moved = Object.create(error);
    moved.fieldErrors = fields;
    return moved;
  }

  cartRows.messages = messages;
  window.ClassicPOS.cartRows = cartRows;
})();
