/*! Kassa checkout widget: no dependencies, one file.
 *
 *   <script src="https://pay.example.com/widget.js" async></script>
 *   <div data-kassa-session="cs_..."></div>        a checkout session
 *   <div data-kassa-link="plink_..."></div>        a payment link, inline
 *   <div data-kassa-buy-button="plink_..." data-label="Buy now"></div>
 *
 * The element receives kassa:ready, kassa:paid, kassa:failed, kassa:expired,
 * kassa:cancelled and kassa:unavailable events (event.detail: sessionId,
 * state, reason). They are for the customer's eyes: confirm a payment with
 * the status API or a webhook before you ship anything.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.Kassa) return;
  var kassa = new URL(script.src).origin;
  var mounts = [];
  var told = { paid: 1, failed: 1, expired: 1, cancelled: 1, unavailable: 1 };
  // The widget's own few words, in the language of the merchant's page
  // (data-kassa-locale, else <html lang>, else the browser's); the checkout
  // inside the frame picks its language on the server. Kassa writes every
  // language's words between the markers from its Fluent files
  // (server/src/widget.rs); the file itself carries English.
  var WORDS = /*words*/{"en":["The checkout cannot be shown on this page.","Open the secure checkout","Checkout","Buy now","Close"]}/*words*/;
  function words(host) {
    var tag = host.getAttribute("data-kassa-locale") || document.documentElement.lang || navigator.language || "en";
    return WORDS[tag.slice(0, 2).toLowerCase()] || WORDS.en;
  }

  function fire(mount, name, data) {
    var detail = { sessionId: data.sessionId || null, state: data.state || name, reason: data.reason || null };
    mount.host.dispatchEvent(new CustomEvent("kassa:" + name, { bubbles: true, detail: detail }));
  }

  // Shown when the checkout did not answer: the page's origin is not on the
  // site's list, or the network failed. The customer can still pay.
  function fallback(mount) {
    if (mount.fallback) return;
    mount.frame.style.display = "none";
    var note = document.createElement("p");
    note.setAttribute("role", "alert");
    note.className = "kassa-unavailable";
    var say = words(mount.host);
    note.textContent = say[0] + " ";
    var link = document.createElement("a");
    link.href = kassa + mount.page;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = say[1];
    note.appendChild(link);
    mount.frame.parentNode.insertBefore(note, mount.frame);
    mount.fallback = note;
    fire(mount, "unavailable", { state: "unavailable" });
  }

  function frame(host, embed, page) {
    var iframe = document.createElement("iframe");
    var mount = { host: host, frame: iframe, page: page, heard: {}, ready: false };
    iframe.src = kassa + embed;
    iframe.title = host.getAttribute("data-title") || words(host)[2];
    iframe.setAttribute("allow", "payment");
    iframe.style.width = "100%";
    iframe.style.height = "520px";
    iframe.style.border = "0";
    iframe.style.display = "block";
    // Every page the frame loads is greeted; only Kassa's own pages answer.
    iframe.addEventListener("load", function () {
      mount.answered = false;
      iframe.contentWindow.postMessage({ kassa: 1, type: "hello" }, kassa);
      clearTimeout(mount.timer);
      mount.timer = setTimeout(function () {
        if (!mount.answered) fallback(mount);
      }, 8000);
    });
    mounts.push(mount);
    return mount;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== kassa || !data || data.kassa !== 1) return;
    for (var i = 0; i < mounts.length; i++) {
      if (mounts[i].frame.contentWindow === event.source) receive(mounts[i], data);
    }
  });

  function receive(mount, data) {
    if (data.type === "resize" && typeof data.height === "number") {
      mount.frame.style.height = Math.max(100, Math.min(Math.round(data.height), 5000)) + "px";
    } else if (data.type === "state") {
      mount.answered = true;
      if (!mount.ready) {
        mount.ready = true;
        fire(mount, "ready", data);
      }
      // One event per outcome: a reload of the same page tells nothing new.
      var key = data.state + " " + data.sessionId + " " + data.version;
      if (told[data.state] && !mount.heard[key]) {
        mount.heard[key] = 1;
        fire(mount, data.state, data);
      }
    }
  }

  function buyButton(host, link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kassa-buy-button";
    var say = words(host);
    button.textContent = host.getAttribute("data-label") || say[3];
    var s = button.style;
    s.font = "inherit";
    s.fontWeight = "600";
    s.padding = "0.7em 1.4em";
    s.border = "0";
    s.borderRadius = "8px";
    s.cursor = "pointer";
    s.background = host.getAttribute("data-color") || "#2f4fd8";
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", say[2]);
    // The dialog's own colours follow the customer's light or dark setting.
    dialog.style.colorScheme = "light dark";
    dialog.style.padding = "0";
    dialog.style.border = "0";
    dialog.style.borderRadius = "12px";
    dialog.style.width = "min(30rem, calc(100vw - 2rem))";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = say[4];
    close.style.float = "right";
    close.style.margin = "0.5rem";
    close.addEventListener("click", function () {
      dialog.close();
    });
    // A click on the backdrop closes too; Escape does by itself.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    var mount = null;
    button.addEventListener("click", function () {
      // One checkout per button: closing and opening again keeps it.
      if (!mount) {
        mount = frame(host, "/embed/l/" + encodeURIComponent(link), "/l/" + encodeURIComponent(link));
        dialog.appendChild(close);
        dialog.appendChild(mount.frame);
      }
      dialog.showModal();
    });
    host.appendChild(button);
    host.appendChild(dialog);
    s.color = textOn(getComputedStyle(button).backgroundColor);
  }

  // White or black, whichever reads better on the merchant's colour (any
  // CSS colour: the browser has resolved it to rgb()); the same WCAG rule
  // as the hosted page's pay button, so every colour reaches 4.5:1.
  function textOn(background) {
    var rgb = (background.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(function (c) {
      c = Number(c) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#fff" : "#000";
  }

  function mount(host) {
    if (host.kassaMounted) return;
    host.kassaMounted = true;
    var session = host.getAttribute("data-kassa-session");
    var link = host.getAttribute("data-kassa-link");
    var button = host.getAttribute("data-kassa-buy-button");
    if (button) return buyButton(host, button);
    var path = session ? "/pay/" + encodeURIComponent(session) : "/l/" + encodeURIComponent(link);
    host.appendChild(frame(host, "/embed" + path, path).frame);
  }

  function scan() {
    var found = document.querySelectorAll("[data-kassa-session],[data-kassa-link],[data-kassa-buy-button]");
    for (var i = 0; i < found.length; i++) mount(found[i]);
  }

  // For pages that add checkout elements later: Kassa.mount(element).
  window.Kassa = { mount: mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
