/*
 * The project's one JavaScript client for the REST API: JSON in and out, the
 * CSRF token, a timeout, Idempotency-Key on creates, and RFC 9457 problem
 * documents turned into an ApiError with field messages. Pages that call the
 * API use this; none of them talks to fetch directly.
 */
(function () {
  "use strict";

  var DEFAULT_TIMEOUT_MS = 15000;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function ApiError(message, status, problem) {
    this.name = "ApiError";
    this.message = message;
    this.status = status;
    this.problem = problem || null;
    this.fieldErrors = (problem && problem.errors) || {};
  }
  ApiError.prototype = Object.create(Error.prototype);

  function newIdempotencyKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  function request(method, url, options) {
    options = options || {};
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, options.timeout || DEFAULT_TIMEOUT_MS);
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (options.idempotencyKey) {
      headers["Idempotency-Key"] = options.idempotencyKey;
    }
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: controller.signal
    }).then(function (response) {
      clearTimeout(timer);
      if (response.ok) {
        // Whatever stood in the way of the last request is gone.
        window.ClassicPOS.hideToast("connection");
        window.ClassicPOS.hideToast("logged-out");
      }
      if (response.status === 204) {
        return null;
      }
      var type = response.headers.get("Content-Type") || "";
      var parsed = type.indexOf("json") !== -1 ? response.json() : Promise.resolve(null);
      return parsed.then(function (body) {
        if (response.ok) {
          return body;
        }
        var message = body && body.detail ? body.detail : "The server answered with error " + response.status + ".";
        throw new ApiError(message, response.status, body);
      });
    }, function (error) {
      clearTimeout(timer);
      if (error && error.name === "AbortError") {
        throw new ApiError("The server took too long to answer. Nothing was lost; try again.", 0, null);
      }
      throw new ApiError("No connection to the server. Nothing was lost; check the network and try again.", 0, null);
    });
  }

  /* Show an ApiError: messages beside the named fields of `form` (inputs carry
     data-field="name"), everything else as an error toast. */
  function showError(error, form) {
    var shown = false;
    if (form) {
      clearFieldErrors(form);
      Object.keys(error.fieldErrors || {}).forEach(function (field) {
        var input = form.querySelector("[data-field='" + field + "']");
        if (!input) {
          return;
        }
        input.classList.add("is-invalid");
        var feedback = document.createElement("div");
        feedback.className = "invalid-feedback";
        feedback.dataset.apiError = "true";
        feedback.id = (input.id || field) + "-error";
        feedback.textContent = error.fieldErrors[field].join(" ");
        input.setAttribute("aria-describedby", feedback.id);
        // Inside an input group the message goes below the whole row, not between its parts.
        var group = input.closest(".input-group");
        if (group) {
          feedback.classList.add("d-block");
          group.insertAdjacentElement("afterend", feedback);
        } else {
          input.insertAdjacentElement("afterend", feedback);
        }
        shown = true;
      });
    }
    if (error.status === 401) {
      window.ClassicPOS.toast(window.ClassicPOS.loggedOutMessage || window.ClassicPOS.LOGGED_OUT, "warning",
        { key: "logged-out", link: window.ClassicPOS.loginLink(), sticky: true });
    } else if (error.status === 0) {
      // One message while the connection is down, however many requests fail.
      window.ClassicPOS.toast(error.message, "error", { key: "connection" });
    } else if (!shown || error.status !== 400) {
      window.ClassicPOS.toast(error.message, "error");
    }
  }

  function clearFieldErrors(form) {
    form.querySelectorAll("[data-api-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (node) {
      node.classList.remove("is-invalid");
      node.removeAttribute("aria-describedby");
    });
  }

  window.ClassicPOS = window.ClassicPOS || {};
  window.ClassicPOS.api = {
    get: function (url, options) { return request("GET", url, options); },
    post: function (url, body, options) {
      options = options || {};
      options.body = body;
      return request("POST", url, options);
    },
    newIdempotencyKey: newIdempotencyKey,
    showError: showError,
    clearFieldErrors: clearFieldErrors,
    ApiError: ApiError
  };
})();
