// The card form of a live session routed to Stripe. Stripe.js (loaded just
// before this) mounts Stripe's own card element; on pay it turns the card
// into a token, sending the card from this browser straight to Stripe,
// and the form posts only the token to Kassa. On the 3-D Secure page it
// runs the bank's check on the PaymentIntent's client secret, then tells
// Kassa, which asks Stripe what came of it. Without JavaScript the page
// says so (<noscript>): the form stays hidden.
(function () {
  "use strict";

  function start() {
    var pay = document.querySelector("form[data-stripe-key]:not(.processor-challenge)");
    var check = document.querySelector("form.processor-challenge");
    if (typeof Stripe !== "function") {
      var form = pay || check;
      if (form) unavailable(form);
      return;
    }
    if (pay) mountCard(pay);
    if (check) runCheck(check);
  }

  function unavailable(form) {
    var note = document.createElement("p");
    note.className = "decline";
    note.setAttribute("role", "alert");
    note.textContent = form.getAttribute("data-unavailable") || "The card form could not be loaded.";
    form.parentNode.insertBefore(note, form);
  }

  function mountCard(form) {
    var stripe = Stripe(form.getAttribute("data-stripe-key"));
    var card = stripe.elements().create("card");
    var errors = form.querySelector("#card-errors");
    var button = form.querySelector("button[type=submit]");
    var label = button.textContent;
    form.hidden = false;
    card.mount("#card-element");
    card.on("change", function (event) {
      errors.textContent = event && event.error ? event.error.message : "";
    });
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      if (!form.reportValidity()) return;
      busy = true;
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = form.getAttribute("data-processing");
      stripe.createToken(card).then(function (result) {
        if (result.error || !result.token) {
          errors.textContent = (result.error && result.error.message) || "";
          busy = false;
          button.disabled = false;
          button.setAttribute("aria-busy", "false");
          button.textContent = label;
          return;
        }
        form.querySelector("input[name=token]").value = result.token.id;
        form.submit();
      });
    });
  }

  function runCheck(form) {
    var secret = form.getAttribute("data-client-secret");
    if (!secret) {
      unavailable(form);
      return;
    }
    var stripe = Stripe(form.getAttribute("data-stripe-key"));
    var button = form.querySelector("button[type=submit]");
    var running = false;
    function verify(event) {
      if (event) event.preventDefault();
      if (running) return;
      running = true;
      button.disabled = true;
      // Whatever the browser hears, Kassa asks Stripe for the outcome.
      // A card verified without a charge (amount 0) has a SetupIntent.
      var confirm = secret.indexOf("seti_") === 0 ? stripe.confirmCardSetup(secret) : stripe.confirmCardPayment(secret);
      confirm.then(function () { form.submit(); }, function () { form.submit(); });
    }
    form.addEventListener("submit", verify);
    verify();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
