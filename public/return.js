// The return page, with JavaScript on. Without it a <noscript> meta refresh
// does the same; with it the page neither reloads while nothing has changed
// nor carries a timed refresh (which screen readers and axe-core object to).
// While the payment is pending it watches the session and reloads once the
// stored state moves; once paid it sends the customer on to the shop.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var watch = script.getAttribute("data-watch");
  var version = script.getAttribute("data-version");
  var next = script.getAttribute("data-continue");
  var delay = Number(script.getAttribute("data-after-ms")) || 2000;

  if (next) {
    setTimeout(function () { window.location.assign(next); }, delay);
    return;
  }
  if (!watch) return;
  function look() {
    fetch(watch, { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json().then(function (stored) { return String(stored.version); }) : version;
      })
      .then(function (current) {
        if (current !== version) window.location.reload();
        else setTimeout(look, delay);
      })
      .catch(function () { setTimeout(look, delay * 2); });
  }
  setTimeout(look, delay);
})();
