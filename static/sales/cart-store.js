/*
 * Where the till keeps the sale being rung up: this tab's sessionStorage, so the
 * cart survives a reload or an expired session and is gone with the tab. A line
 * of another kind or a payment with a reference (a card's code) is kept as the
 * checkout holds it, until the sale is recorded or a new one started.
 *
 * window.ClassicPOS.cartStore: load() -> the saved cart or null, save(cart), clear().
 */
(function () {
  "use strict";

  var KEY = "classicpos.cart";

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(KEY));
      return saved && Array.isArray(saved.lines) ? saved : null;
    } catch (error) {
      return null;
    }
  }

  window.ClassicPOS.cartStore = {
    load: load,
    save: function (cart) { window.sessionStorage.setItem(KEY, JSON.stringify(cart)); },
    clear: function () { window.sessionStorage.removeItem(KEY); }
  };
})();
