/*
 * The till's shortcuts: Alt+C finds a customer, Alt+P goes back to the scan box.
 * event.code names the key, not the character: Option+C is "ç" on a Mac.
 */
(function () {
  "use strict";

  var TARGETS = { KeyC: "customer-search", KeyP: "product-search" };

  document.addEventListener("keydown", function (event) {
    var target = event.altKey && TARGETS[event.code];
    if (target) {
      document.getElementById(target).focus();
      event.preventDefault();
    }
  });
})();
