/* Search fields with suggestions (anvis.common.search.SearchSelect), as an ARIA 1.2 combobox:
   the text field is the combobox, the suggestions a listbox; ArrowDown/ArrowUp move through
   them, Enter chooses, Escape closes (a second Escape clears), Home/End stay in the text.
   Without this script the text is sent and the server resolves it. */
(function () {
  "use strict";
  if (window.anvisSearchSelect) { return; }
  window.anvisSearchSelect = true;

  var DELAY = 150;

  function setup(root) {
    if (root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var input = root.querySelector("[data-search-input]");
    var hidden = root.querySelector("[data-search-value]");
    var list = document.getElementById(root.dataset.listbox);
    var status = document.getElementById(root.dataset.status);
    var detail = root.querySelector("[data-search-detail]");
    var texts = JSON.parse(root.dataset.texts || "{}");
    var minChars = parseInt(root.dataset.minChars || "2", 10);
    var method = (root.dataset.searchMethod || "get").toUpperCase();
    var url = root.dataset.searchUrl;
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var chosenLabel = hidden.value ? input.value : null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function say(text) { status.textContent = text || ""; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item) { return; }
      hidden.value = String(item.value);
      input.value = item.label;
      chosenLabel = item.label;
      detail.textContent = item.detail || "";
      close();
      say(item.label);
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "search-select__option";
        option.dataset.value = String(item.value);
        var label = document.createElement("span");
        label.className = "search-select__label";
        label.textContent = item.label;
        option.appendChild(label);
        if (item.detail) {
          var more = document.createElement("span");
          more.className = "search-select__more";
          more.textContent = item.detail;
          option.appendChild(more);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        list.appendChild(option);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say(items.length === 1 ? texts.one : (texts.many || "").replace("%(n)s", items.length));
      } else {
        close();
        say(texts.none);
      }
      active = -1;
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < minChars) { close(); say(text ? texts.short : ""); return; }
      var number = ++asked;
      var options = { credentials: "same-origin", headers: { "Accept": "application/json" } };
      var target = url;
      if (method === "POST") {
        var form = input.form;
        var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
        var body = new URLSearchParams();
        body.set("q", text);
        options.method = "POST";
        options.body = body;
        options.headers["X-CSRFToken"] = token ? token.value : "";
      } else {
        target = url + (url.indexOf("?") < 0 ? "?" : "&") + new URLSearchParams({ q: text });
      }
      fetch(target, options)
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) { if (number === asked) { show(data.results || []); } })
        .catch(function () { if (number === asked) { close(); say(texts.error); } });
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenLabel) {
        hidden.value = "";
        detail.textContent = "";
        chosenLabel = null;
      }
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { if (results.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); mark(0); } else { ask(); } return; }
        mark(active + 1 >= results.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) { mark(active <= 0 ? results.length - 1 : active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; hidden.value = ""; detail.textContent = ""; chosenLabel = null; }
      } else if (event.key === "Tab") {
        if (open && active >= 0) { choose(active); } else { close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    document.querySelectorAll(".search-select").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
