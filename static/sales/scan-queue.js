/*
 * Codes scanned at the till, looked up and applied in the order they were scanned.
 *
 * A barcode scanner types a code and Enter every few milliseconds, far faster
 * than the server answers over shop Wi-Fi. Each Enter hands its code here at once
 * and the box is free for the next code. Every lookup starts straight away (they
 * overlap), but each answer is applied only after the answers of the codes
 * scanned before it, so the cart fills in scan order whatever the latency. A
 * lookup that meets no connection is tried again a few times before the code is
 * reported as not added: a code is never dropped without a word.
 *
 * options: lookup(code) -> Promise, apply(code, {answer} or {error}), onChange(pending).
 */
(function () {
  "use strict";

  var ATTEMPTS = 3;
  var RETRY_DELAY_MS = 1500;

  function wait(milliseconds) {
    return new Promise(function (resolve) { setTimeout(resolve, milliseconds); });
  }

  /* The lookup's answer, or its error once retries are spent; never a rejection. */
  function settle(lookup, code, attempt) {
    return lookup(code).then(function (answer) {
      return { answer: answer };
    }, function (error) {
      // Only a missing connection is worth asking again; a refusal would answer the same.
      if (error && error.status === 0 && attempt < ATTEMPTS) {
        return wait(RETRY_DELAY_MS).then(function () { return settle(lookup, code, attempt + 1); });
      }
      return { error: error };
    });
  }

  function scanQueue(options) {
    var tail = Promise.resolve();
    var pending = 0;

    function changed(delta) {
      pending += delta;
      options.onChange(pending);
    }

    function push(code) {
      changed(1);
      var result = settle(options.lookup, code, 1);
      tail = tail
        .then(function () { return result; })
        .then(function (outcome) { options.apply(code, outcome); })
        .catch(function (error) {
          // A bug in applying one code must not stop the codes behind it.
          window.ClassicPOS.toast("\u201c" + code + "\u201d was not added: " + error.message, "error");
        })
        .then(function () { changed(-1); });
    }

    return { push: push, pending: function () { return pending; } };
  }

  window.ClassicPOS = window.ClassicPOS || {};
  window.ClassicPOS.scanQueue = scanQueue;
})();
