/*
 * The app shell's behaviour: toasts, the shared confirmation modal, htmx error
 * handling and double-submit protection. Pages work without it; it makes them
 * faster and safer. No framework, no build step.
 */
(function () {
  "use strict";

  var REQUEST_TIMEOUT_MS = 15000;

  /* A toast says one thing once: a second toast of the same kind (by default the
     same level and text) replaces the first instead of stacking over the page.
     options.key names the kind ("connection"); options.link adds a link after the text;
     options.sticky keeps it until closed or replaced, as errors are. */
  function showToast(text, level, options) {
    options = options || {};
    var template = document.getElementById("toast-template");
    var container = document.getElementById("toasts");
    if (!template || !container) {
      return;
    }
    var key = options.key || level + ":" + text;
    var shown = findToast(key);
    if (shown && shown.dataset.text === text) {
      return;  // Already saying it: no flicker, no second copy.
    }
    hideToast(key);
    var toast = template.content.firstElementChild.cloneNode(true);
    var colours = { error: "text-bg-danger", success: "text-bg-success", warning: "text-bg-warning", info: "text-bg-primary" };
    toast.classList.remove("text-bg-primary");
    toast.classList.add(colours[level] || colours.info);
    toast.dataset.level = level;
    toast.dataset.key = key;
    toast.dataset.text = text;
    toast.setAttribute("role", level === "error" || level === "warning" ? "alert" : "status");
    /* Errors stay until closed or resolved; everything else goes by itself, warnings a little later. */
    toast.dataset.bsAutohide = level === "error" || options.sticky ? "false" : "true";
    toast.dataset.bsDelay = level === "warning" ? "8000" : "5000";
    if (level === "warning") {
      toast.querySelector(".btn-close").classList.remove("btn-close-white");
    }
    var body = toast.querySelector(".toast-body");
    body.textContent = text;
    if (options.link) {
      var link = document.createElement("a");
      link.href = options.link.href;
      link.className = "ms-1 " + (level === "warning" ? "link-dark" : "link-light") + " fw-semibold";
      link.textContent = options.link.text;
      if (options.link.newTab) {
        link.target = "_blank";
        link.rel = "noopener";
      }
      body.appendChild(link);
    }
    container.appendChild(toast);
    bootstrap.Toast.getOrCreateInstance(toast).show();
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
  }

  function findToast(key) {
    return Array.prototype.find.call(document.querySelectorAll("#toasts .toast"), function (toast) {
      return toast.dataset.key === key;
    });
  }

  /* Take away the toast of a kind, when what it said is no longer true (the connection is back). */
  function hideToast(key) {
    var toast = findToast(key);
    if (toast) {
      toast.remove();
    }
  }

  /* The login page, coming back here afterwards. In a new tab, so that this page
     and what was typed into it stay as they are until the user comes back. */
  function loginLink(options) {
    var here = window.location.pathname + window.location.search;
    return {
      href: "/accounts/login/?next=" + encodeURIComponent(here),
      text: "Log in",
      newTab: !(options && options.sameTab)
    };
  }

  var LOGGED_OUT = "You were logged out \u2014 log in again (a new tab opens); what you entered here is kept.";

  function showServerToasts(root) {
    root.querySelectorAll("#toasts .toast:not(.show)").forEach(function (toast) {
      bootstrap.Toast.getOrCreateInstance(toast).show();
    });
  }

  /* Links and buttons with data-confirm open the shared modal; its form posts to data-confirm-url.
     Without JavaScript the link leads to a confirmation page instead. */
  function openConfirm(trigger) {
    var modalElement = document.getElementById("confirm-modal");
    var form = document.getElementById("confirm-modal-form");
    document.getElementById("confirm-modal-title").textContent = trigger.dataset.confirmTitle || "Please confirm";
    document.getElementById("confirm-modal-body").textContent = trigger.dataset.confirm;
    var submit = document.getElementById("confirm-modal-submit");
    submit.textContent = trigger.dataset.confirmButton || "Confirm";
    submit.disabled = false;
    form.action = trigger.dataset.confirmUrl;
    form.querySelectorAll("input[name=next]").forEach(function (input) { input.remove(); });
    if (trigger.dataset.confirmNext) {
      var next = document.createElement("input");
      next.type = "hidden";
      next.name = "next";
      next.value = trigger.dataset.confirmNext;
      form.appendChild(next);
    }
    bootstrap.Modal.getOrCreateInstance(modalElement).show();
  }

  document.addEventListener("shown.bs.modal", function (event) {
    if (event.target.id === "confirm-modal") {
      /* Cancel is the safe default for Enter; Escape also closes. */
      event.target.querySelector("[data-bs-dismiss=modal].btn").focus();
      return;
    }
    /* A modal with a form starts on its first field in error, else its first field. */
    var field = event.target.querySelector(
      ".is-invalid, .modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea"
    );
    if (field) {
      field.focus();
    }
  });

  /* A field shown in error stops looking wrong once it is changed, and shows its
     message again if changed back to the value the server refused. Only errors
     rendered by the server are tracked; pages that set errors themselves keep theirs. */
  function trackFieldErrors(root) {
    root.querySelectorAll("input.is-invalid, textarea.is-invalid, select.is-invalid").forEach(function (field) {
      field.dataset.refusedValue = field.value;
    });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.dataset || field.dataset.refusedValue === undefined) {
      return;
    }
    var refused = field.value === field.dataset.refusedValue;
    field.classList.toggle("is-invalid", refused);
    field.setAttribute("aria-invalid", refused ? "true" : "false");
  });

  /* A list whose search could not be sent or answered keeps its old rows: say so
     above them, so nobody takes them for the answer to what the search box says. */
  function markResultsStale(target, text) {
    if (!target || !target.hasAttribute || !target.hasAttribute("data-results")) {
      return;
    }
    var note = target.querySelector(".stale-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "alert alert-warning stale-note d-flex align-items-baseline gap-2";
      note.setAttribute("role", "alert");
      note.innerHTML = '<i class="bi bi-wifi-off" aria-hidden="true"></i> <span class="stale-text"></span>';
      target.insertBefore(note, target.firstChild);
    }
    note.querySelector(".stale-text").textContent = text;
    target.classList.add("is-stale");
  }

  /* Keep Tab inside an open modal: from the last control back to the first, and
     the other way round, instead of leaving for the browser's toolbar. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") {
      return;
    }
    var modal = document.querySelector(".modal.show");
    if (!modal) {
      return;
    }
    var focusable = Array.prototype.filter.call(
      modal.querySelectorAll("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"),
      function (node) { return !node.disabled && node.offsetParent !== null; }
    );
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || !modal.contains(document.activeElement))) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && (document.activeElement === last || !modal.contains(document.activeElement))) {
      first.focus();
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-confirm]");
    if (!trigger) {
      return;
    }
    event.preventDefault();
    openConfirm(trigger);
  });

  /* A form with data-disable-on-submit cannot be sent twice: its submit button is
     disabled and shows a spinner until the page changes or the request fails. */
  function setBusy(form, busy) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = busy;
      var spinner = button.querySelector(".spinner-border");
      if (spinner) {
        spinner.classList.toggle("d-none", !busy);
      }
    });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "confirm-modal-form") {
      document.getElementById("confirm-modal-submit").disabled = true;
      return;
    }
    if (!form.matches("[data-disable-on-submit]")) {
      return;
    }
    if (form.dataset.busy === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "true";
    setBusy(form, true);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy=true]").forEach(function (form) {
      form.dataset.busy = "false";
      setBusy(form, false);
    });
  });

  if (window.htmx) {
    htmx.config.timeout = REQUEST_TIMEOUT_MS;
    htmx.config.historyCacheSize = 0;

    function releaseForms() {
      document.querySelectorAll("form[data-busy=true]").forEach(function (form) {
        form.dataset.busy = "false";
        setBusy(form, false);
      });
    }

    var STALE = "These results are from before: the list could not be updated. Try again when the connection is back.";

    document.body.addEventListener("htmx:responseError", function (event) {
      var status = event.detail.xhr.status;
      releaseForms();
      if (status === 401) {
        // The server answers an htmx request without a session with 401, not the login page.
        showToast(LOGGED_OUT, "warning", { key: "logged-out", link: loginLink(), sticky: true });
        return;
      }
      var text = status === 403 ? "You are not allowed to do that."
        : status === 404 ? "That page no longer exists."
        : "The server could not complete the request (error " + status + "). Your input is kept; please try again.";
      markResultsStale(event.detail.target, STALE);
      showToast(text, "error");
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      releaseForms();
      markResultsStale(event.detail.target, STALE);
      showToast("No connection to the server. Your input is kept; check the network and try again.", "error", { key: "connection" });
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) {
        hideToast("connection");
      }
    });
    document.body.addEventListener("htmx:timeout", function (event) {
      releaseForms();
      markResultsStale(event.detail.target, STALE);
      showToast("The server took too long to answer. Your input is kept; please try again.", "error", { key: "connection" });
    });
    /* After a boosted form comes back (errors, a question), htmx scrolls to the top;
       bring what now has the focus (autofocus: the first error, the question) into sight. */
    document.body.addEventListener("htmx:afterSettle", function () {
      window.requestAnimationFrame(function () {
        var focused = document.activeElement;
        if (focused && focused !== document.body && focused.hasAttribute("autofocus")) {
          var box = focused.getBoundingClientRect();
          if (box.top < 0 || box.bottom > window.innerHeight) {
            focused.scrollIntoView({ block: "center" });
          }
        }
      });
    });
    htmx.onLoad(function (content) {
      var root = content === document.body ? document : content;
      showServerToasts(root);
      trackFieldErrors(root);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showServerToasts(document);
    trackFieldErrors(document);
  });

  /* An amount the server sent ("1234.50") as people read it ("$1,234.50"): display only,
     in the shop's currency and locale; the number itself is never computed here. */
  var moneyFormat = null;
  function formatMoney(amount) {
    if (amount === null || amount === undefined || amount === "" || isNaN(Number(amount))) {
      return amount === null || amount === undefined ? "" : String(amount);
    }
    if (!moneyFormat) {
      moneyFormat = new Intl.NumberFormat(document.body.dataset.locale || "en-US", {
        style: "currency", currency: document.body.dataset.currency || "USD"
      });
    }
    return moneyFormat.format(Number(amount));
  }

  window.ClassicPOS = window.ClassicPOS || {};
  window.ClassicPOS.toast = showToast;
  window.ClassicPOS.hideToast = hideToast;
  window.ClassicPOS.loginLink = loginLink;
  window.ClassicPOS.LOGGED_OUT = LOGGED_OUT;
  window.ClassicPOS.money = formatMoney;
})();
