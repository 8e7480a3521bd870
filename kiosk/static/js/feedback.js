/* The hall survey (/kiosk/feedback): the code of the visitor's slip from the on-screen keys (or a
 * keyboard), a 1–5 rating and an optional comment, sent with the kiosk's device token to
 * POST /api/v1/kiosk/feedback; thanks (or the refusal in plain words), then ready for the next visitor.
 * Text only through textContent; no inline script or style (strict CSP). */
import { pairedToken } from "./pairing.js";

const cfg = JSON.parse(document.getElementById("fbk-config").textContent);
const W = cfg.words;
const token = pairedToken(cfg.pairing);
const $ = (id) => document.getElementById(id);
const form = $("fbk-form"), code = $("fbk-code"), error = $("fbk-error"), send = $("fbk-send"), thanks = $("fbk-thanks");
let resetTimer = null;

function digitsOf(value) { return value.replace(/^\D*-?/, ""); }

$("fbk-keys").addEventListener("click", function (event) {
  const key = event.target.closest("button");
  if (!key) return;
  const value = code.value;
  if (key.dataset.prefix) code.value = key.dataset.prefix + "-" + digitsOf(value);
  else if (key.dataset.digit && value.length < 16) code.value = value + key.dataset.digit;
  else if (key.dataset.erase === "one") code.value = value.slice(0, -1);
  else if (key.dataset.erase === "all") code.value = "";
  error.hidden = true;
});

form.addEventListener("change", function () { error.hidden = true; });

function fail(text) {
  error.textContent = text;
  error.hidden = false;
}

function reset() {
  clearTimeout(resetTimer);
  form.reset();
  form.hidden = false;
  thanks.hidden = true;
  error.hidden = true;
}

async function post(body) {
  const bearer = await token();
  const response = await fetch(cfg.api + "?lang=" + encodeURIComponent(cfg.lang), {
    method: "POST", cache: "no-store", credentials: "omit",
    headers: { Authorization: "Bearer " + bearer, Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  return { ok: response.ok, data };
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  const typed = code.value.trim();
  if (!typed) { fail(W["error.feedback_code"]); code.focus(); return; }
  const chosen = form.querySelector("input[name=score]:checked");
  if (!chosen) { fail(W["fb.pick"]); return; }
  const body = { code: typed, score: Number(chosen.value) };
  const comment = $("fbk-comment").value.trim();
  if (comment) body.comment = comment;
  send.disabled = true;
  send.textContent = W["fb.sending"];
  post(body)
    .then(function (answer) {
      if (answer.ok) {
        form.hidden = true;
        thanks.hidden = false;
        thanks.focus();
        resetTimer = setTimeout(reset, cfg.reset_s * 1000);
      } else {
        fail((answer.data && answer.data.detail) || W["fb.failed"]);
      }
    })
    .catch(function () { fail(W["fb.failed"]); })
    .finally(function () { send.disabled = false; send.textContent = W["fb.send"]; });
});

thanks.addEventListener("click", reset);
