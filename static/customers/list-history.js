// The customer list's history: one Back step per search, not one per pause in typing.
//
// The search form asks the server again at every pause while someone types. The first
// answer of such a burst of typing pushes a history entry (Back returns to the list as it
// was before the search); the next answers replace that entry, so "lena" typed slowly is
// one step, not four. The search has settled once the box is left or something other than
// typing asks (Enter, a filter, the page size, a header or a page link): what comes next is
// a step of its own. Opening a customer is an ordinary link and its own step. An answer for
// the address already shown replaces instead of pushing: Enter sends both "search" and
// "submit", and neither may add a second entry for the same list.
(function () {
  "use strict";
  window.ClassicPOS = window.ClassicPOS || {};
  // When Back restores the list, htmx runs the page's scripts again: listen once.
  if (window.ClassicPOS.listHistory) {
    return;
  }
  window.ClassicPOS.listHistory = true;

  var typing = false;

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !event.detail.elt || event.detail.elt.id !== "customer-search") {
      typing = false;
      return;
    }
    var trigger = config.triggeringEvent;
    var typed = Boolean(trigger && trigger.type === "input");
    config.listHistory = typed && typing ? "replace" : "push";
    typing = typed;
  });

  document.body.addEventListener("focusout", function (event) {
    if (event.target && event.target.id === "id_search") {
      typing = false;
    }
  });

  document.body.addEventListener("htmx:historyRestore", function () {
    typing = false;
  });

  document.body.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var update = event.detail.history;
    var config = event.detail.requestConfig;
    if (config && config.listHistory) {
      update.type = config.listHistory;
    }
    var here = window.location.pathname + window.location.search;
    if (update.type === "push" && update.path === here) {
      update.type = "replace";
    }
  });
})();
