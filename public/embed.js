// Runs inside the widget's iframe. It talks only to a page whose origin the
// merchant listed for the site (the server writes them into
// data-kassa-origins, and the same list into frame-ancestors): the widget
// says hello, and only a hello from a listed origin, sent by the very window
// that framed this page, is answered, with the outcome and the page's height.
(function () {
  "use strict";
  var main = document.querySelector("main[data-kassa-origins]");
  if (!main || window.parent === window) return;
  var listed = main.getAttribute("data-kassa-origins").split(" ").filter(Boolean);
  var parentOrigin = null;
  var lastHeight = 0;

  function send(message) {
    message.kassa = 1;
    if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  }

  function resize() {
    var height = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY);
    if (height !== lastHeight) {
      lastHeight = height;
      send({ type: "resize", height: height });
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || listed.indexOf(event.origin) < 0) return;
    if (!event.data || event.data.kassa !== 1 || event.data.type !== "hello") return;
    parentOrigin = event.origin;
    var d = main.dataset;
    send({
      type: "state",
      state: d.kassaState,
      sessionId: d.kassaSession || null,
      version: d.kassaVersion || null,
      reason: d.kassaReason || null,
    });
    lastHeight = 0;
    resize();
  });
  if (window.ResizeObserver) new ResizeObserver(resize).observe(main);
  window.addEventListener("resize", resize);
})();
