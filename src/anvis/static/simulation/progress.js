// Follows queued and running simulator runs without reloading the page: every few seconds it
// asks the run's status URL and updates the <progress> element and the text next to it. When a
// run on its own page finishes, the page is loaded again once to show the result.
(function () {
  "use strict";
  var INTERVAL_MS = 3000;

  function follow(el) {
    var url = el.getAttribute("data-status-url");
    var progress = el.querySelector("progress");
    var text = el.querySelector(".run-status__text");
    var label = el.querySelector(".run-status__label");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (progress) {
            progress.max = Math.max(1, data.total);
            progress.value = data.done;
            progress.textContent = data.percent + " %";
          }
          if (text) { text.textContent = data.progress_text; }
          if (label) { label.textContent = data.status_label; }
          if (data.active) {
            window.setTimeout(tick, INTERVAL_MS);
          } else if (el.hasAttribute("data-reload-when-done")) {
            window.location.reload();
          } else if (progress) {
            progress.hidden = true;
          }
        })
        .catch(function () { window.setTimeout(tick, INTERVAL_MS * 3); });
    }
    window.setTimeout(tick, INTERVAL_MS);
  }

  document.querySelectorAll("[data-status-url][data-active]").forEach(follow);
})();
