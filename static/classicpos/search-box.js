/*
 * The till's search boxes (products, customers): a list that follows what is
 * typed, driven by the keyboard (arrows move, Enter picks, Escape closes).
 *
 * A list belongs to the term it was built for. Enter picks from it only when it
 * was built for what the box says now and an option is chosen (by the arrows, or
 * because it is the only match); otherwise Enter hands the box's text to
 * options.enter, which asks the server about exactly that text. A scanner that
 * types MUG-RED while the list still shows MUG- therefore gets the red mug, never
 * the first row of the older list.
 *
 * options: input, list, fetch(term) -> Promise of {items, count}, render(option, item),
 * pick(item), enter(term), and summary(count, items) -> a line above several matches.
 */
(function () {
  "use strict";

  var TYPE_DELAY_MS = 200;

  function searchBox(options) {
    var input = options.input;
    var list = options.list;
    var box = input.closest(".search-box");
    var results = [];
    var resultsTerm = null;
    var summaryText = "";
    var active = -1;
    var timer = null;
    var sequence = 0;

    function term() { return input.value.trim(); }

    function show() {
      list.replaceChildren();
      if (summaryText && results.length) {
        var header = document.createElement("div");
        header.className = "list-group-item small text-body-secondary bg-body-tertiary search-summary";
        header.setAttribute("role", "presentation");
        header.textContent = summaryText;
        list.appendChild(header);
      }
      results.forEach(function (item, index) {
        var option = document.createElement("button");
        option.type = "button";
        option.tabIndex = -1;
        option.className = "list-group-item list-group-item-action" + (index === active ? " active" : "");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        option.id = list.id + "-" + index;
        options.render(option, item);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      list.classList.toggle("d-none", results.length === 0);
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + active);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    /* Show a list of matches for a term; one match is chosen for Enter, several are not. */
    function showResults(forTerm, page) {
      results = page.items;
      resultsTerm = forTerm;
      active = results.length === 1 ? 0 : -1;
      summaryText = results.length > 1 && options.summary ? options.summary(page.count, results) : "";
      show();
    }

    function close() {
      sequence += 1;
      clearTimeout(timer);
      results = [];
      resultsTerm = null;
      active = -1;
      show();
    }

    function choose(index) {
      var item = results[index];
      if (!item) {
        return;
      }
      input.value = "";
      close();
      options.pick(item);
    }

    function search() {
      var forTerm = term();
      var mine = ++sequence;
      if (!forTerm) {
        close();
        return;
      }
      box.classList.add("is-loading");
      options.fetch(forTerm).then(function (page) {
        if (mine === sequence && forTerm === term()) {
          showResults(forTerm, page);
        }
      }, function (error) {
        if (mine === sequence) {
          window.ClassicPOS.api.showError(error);
        }
      }).finally(function () {
        if (mine === sequence) {
          box.classList.remove("is-loading");
        }
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      // What the list shows no longer answers what the box says: nothing in it is chosen.
      if (resultsTerm !== term() && active >= 0) {
        active = -1;
        show();
      }
      timer = setTimeout(search, TYPE_DELAY_MS);
      if (options.onInput) {
        options.onInput();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        active = (active + 1) % results.length;
        show();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && results.length) {
        active = active <= 0 ? results.length - 1 : active - 1;
        show();
        event.preventDefault();
      } else if (event.key === "Enter") {
        event.preventDefault();
        var typed = term();
        if (active >= 0 && resultsTerm === typed) {
          choose(active);
        } else if (typed) {
          close();
          box.classList.remove("is-loading");
          options.enter(typed);
        }
      } else if (event.key === "Escape") {
        close();
      }
    });

    return { showResults: showResults, close: close, term: term };
  }

  window.ClassicPOS = window.ClassicPOS || {};
  window.ClassicPOS.searchBox = searchBox;
})();
