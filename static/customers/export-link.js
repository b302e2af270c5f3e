// The customer list's "Export CSV" exports what the list shows when it is clicked: the
// search box and filters as they are now, and the sort the address bar holds (htmx
// updates both without reloading the page).
(function () {
  "use strict";
  var link = document.getElementById("export-customers");
  var form = document.getElementById("customer-search");
  if (!link || !form) {
    return;
  }
  link.addEventListener("click", function () {
    var query = new URLSearchParams(window.location.search);
    new FormData(form).forEach(function (value, name) {
      if (name !== "ordering") {
        query.set(name, value);
      }
    });
    query.delete("page");
    link.href = link.dataset.exportUrl + "?" + query.toString();
  });
})();
