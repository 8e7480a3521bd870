/* The phone page's "how did it go" block: a 1–5 radio group, an optional comment, then thanks.
 * Shown once the visit is finished (the status page marks the card data-status="done"); sent to
 * POST /api/v1/tickets/{token}/feedback. Text only through textContent (strict CSP, no inline script). */
import { $, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

const cfg = readConfig("fb-config");
const L = cfg.labels;
// Opened from the "how did it go" message (its link ends in #feedback): the rating says so.
const via = location.hash === "#feedback" ? "message" : "phone";
const box = $("feedback"), form = $("fb-form"), error = $("fb-error"), send = $("fb-send");

function show(state) {
  box.dataset.state = state;
  box.hidden = state === "not_finished";
  form.hidden = state !== "open";
  $("fb-thanks").hidden = state !== "given";
  $("fb-closed").hidden = state !== "closed";
}

function fail(text) {
  error.textContent = text;
  error.hidden = false;
}

form.addEventListener("change", function () { error.hidden = true; });

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var chosen = form.querySelector("input[name=score]:checked");
  if (!chosen) { fail(L.pick); form.querySelector("input[name=score]").focus(); return; }
  var comment = $("fb-comment").value.trim();
  var body = { score: Number(chosen.value) };
  if (comment) body.comment = comment;
  error.hidden = true;
  send.disabled = true;
  send.textContent = L.sending;
  request("POST", "/api/v1/tickets/" + encodeURIComponent(cfg.token) + "/feedback?via=" + via, body,
          { lang: cfg.lang, messages: { network: L.failed } })
    .then(function () { show("given"); $("fb-thanks").focus(); })
    .catch(function (e) {
      if (e.code === "feedback_given") show("given");
      else if (e.code === "feedback_window_closed") show("closed");
      else fail(e.message || L.failed);
    })
    .finally(function () { send.disabled = false; send.textContent = L.send; });
});

// A visit that ends while the page is open: the block appears with the form.
if (cfg.state === "not_finished") {
  var card = $("card");
  new MutationObserver(function () {
    if (card.dataset.status === "done" && box.dataset.state === "not_finished") show("open");
  }).observe(card, { attributes: true, attributeFilter: ["data-status"] });
}
$("fb-thanks").tabIndex = -1;
// Opened from the "how did it go" message (…#feedback): straight to the form.
if (location.hash === "#feedback" && !box.hidden) box.scrollIntoView();
