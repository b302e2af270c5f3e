/*
 * The API addresses the till calls, as the server names them: data-urls on
 * #checkout comes from Django's URL conf (sales.views.till_urls), so the
 * JavaScript spells no path and a moved route moves here too.
 *
 * window.ClassicPOS.tillUrl("customer", 12) is "/api/customers/12"; callers add
 * their own query string.
 */
(function () {
  "use strict";

  var urls = null;

  function tillUrl(name, id) {
    if (urls === null) {
      urls = JSON.parse(document.getElementById("checkout").dataset.urls);
    }
    if (!Object.prototype.hasOwnProperty.call(urls, name)) {
      throw new Error("The till has no address named " + name);
    }
    return id === undefined ? urls[name] : urls[name].replace("{id}", encodeURIComponent(id));
  }

  window.ClassicPOS.tillUrl = tillUrl;
})();
