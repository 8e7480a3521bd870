/* The phone page's messages block (decision 038): subscribe by Telegram / Viber (deep link), SMS or
 * e-mail; unsubscribe with one tap; "running late" and "cancel" with a confirmation. No inline code:
 * the strict CSP holds. Follows the ticket's status from phone.js (window.__phone). */
import { $, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

const cfg = readConfig("notify-config");
const L = cfg.labels;
const base = "/api/v1/tickets/" + encodeURIComponent(cfg.token);
let subs = cfg.subscriptions || [];
let pending = null;  // the reply waiting for its confirmation

function say(id, text, bad) {
  const el = $(id);
  el.textContent = text || "";
  el.classList.toggle("is-bad", !!bad);
}

function renderList() {
  const list = $("n-list");
  list.replaceChildren();
  for (const s of subs) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = (L[s.channel] || s.channel) + " — " + (s.bound ? L.active : L.pending);
    const off = document.createElement("button");
    off.type = "button";
    off.className = "n-btn n-secondary n-off";
    off.textContent = L.off;
    off.setAttribute("aria-label", L.off + ": " + (L[s.channel] || s.channel));
    off.dataset.id = String(s.id);
    off.addEventListener("click", () => unsubscribe(s.id));
    li.append(name, off);
    list.append(li);
  }
  list.hidden = subs.length === 0;
  // A channel already on offers only its "off" button: its form would only repeat it.
  document.querySelectorAll(".n-form").forEach((form) => {
    form.hidden = subs.some((s) => s.channel === form.dataset.channel);
  });
}

async function refresh() {
  try { subs = await request("GET", base + "/subscriptions", undefined, { cache: "no-store" }); renderList(); }
  catch (_e) { /* the list stays as it was */ }
}

async function subscribe(channel, address) {
  say("n-status", "");
  try {
    const made = await request("POST", base + "/subscriptions", address === undefined ? { channel } : { channel, address },
                               { lang: cfg.lang });
    await refresh();
    if (made && made.link) {
      const a = $("n-open-link");
      a.href = made.link;
      a.textContent = (L[channel] || channel) + " →";
      $("n-open").hidden = false;
      window.location.assign(made.link);
    } else {
      say("n-status", L.done);
    }
    return true;
  } catch (e) {
    say("n-status", e.message || L.failed, true);
    return false;
  }
}

async function unsubscribe(id) {
  try {
    await request("DELETE", "/api/v1/subscriptions/" + id + "?token=" + encodeURIComponent(cfg.token), undefined,
                  { lang: cfg.lang });
    say("n-status", L.removed);
  } catch (e) {
    say("n-status", e.message || L.failed, true);
  }
  await refresh();
}

for (const id of ["n-telegram", "n-viber"]) {
  const button = document.getElementById(id);
  if (button) button.addEventListener("click", () => subscribe(button.dataset.channel));
}
for (const id of ["n-sms-form", "n-email-form"]) {
  const form = $(id);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector("input");
    if (await subscribe(form.dataset.channel, input.value)) input.value = "";
  });
}

// --- replies: late, cancel ------------------------------------------------------------------
function ask(action) {
  pending = action;
  $("r-question").textContent = action === "late" ? L.late_confirm : L.cancel_confirm;
  $("r-confirm").hidden = false;
  $("r-yes").focus();
}
$("r-late").addEventListener("click", () => ask("late"));
$("r-cancel").addEventListener("click", () => ask("cancel"));
$("r-no").addEventListener("click", () => { pending = null; $("r-confirm").hidden = true; });
$("r-yes").addEventListener("click", async () => {
  const action = pending;
  pending = null;
  $("r-confirm").hidden = true;
  if (!action) return;
  try {
    const answer = await request("POST", base + "/replies", { action }, { lang: cfg.lang });
    say("r-status", answer.message);
  } catch (e) {
    say("r-status", e.message || L.failed, true);
  }
});

// --- follow the ticket: the blocks are for a ticket still in the queue ---------------------------
function follow() {
  const phone = window.__phone;
  const status = phone && phone.status ? phone.status.status : null;
  if (!status) return;
  $("notify").hidden = ["waiting", "called", "serving"].indexOf(status) < 0;
  $("replies").hidden = status !== "waiting";
}
setInterval(follow, 2000);
renderList();
