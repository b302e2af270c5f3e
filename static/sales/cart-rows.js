/*
 * The till's cart as table rows: each line with its quantity, its own discount
 * (as typed: "1.00" or "10%"; the quote works it out), its amount (filled in
 * from the quote by checkout.js, "…" until then) and a remove button.
 *
 * window.ClassicPOS.cartRows(body, lines, {changed(), discounted(), removed(index)})
 * draws the rows anew. When the focus was in a row, it goes back to the scan box:
 * the next scan must never land on the page.
 */
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }

  function text(node, value) { node.textContent = value; return node; }

  function cartRows(body, lines, handlers) {
    var hadFocus = body.contains(document.activeElement);
    body.replaceChildren();
    var hadFocus = body.contains(document.activeElement);
    body.replaceChildren();
    lines.forEach(function (line, index) {
      var row = document.createElement("tr");
      row.dataset.productId = line.productId;
      var name = document.createElement("td");
      name.dataset.label = "Product";
      name.className = "text-break";
      // One block inside the cell: on a phone the stacked cell is a flex row, and separate
      // children would squeeze into narrow columns side by side.
      name.innerHTML = "<div class='min-w-0'><span class='fw-semibold'></span><br><small class='text-secondary'></small></div>";
      text(name.querySelector("span"), line.name);
      text(name.querySelector("small"), line.sku + " · " + window.ClassicPOS.money(line.price));
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
      remove.setAttribute("aria-label", "Remove " + line.name);
      remove.addEventListener("click", function () { handlers.removed(index); });
      actions.appendChild(remove);
      row.append(name, qty, off, amount, actions);
      body.appendChild(row);
    });
    if (hadFocus) {
      // The row that had the focus was drawn anew: the next scan goes to the scan box.
      el("product-search").focus();
    }
  }

  window.ClassicPOS.cartRows = cartRows;
})();
