/* Phone status page: live over Socket.IO (/ticket), polling the JSON API when sockets fail.
 * Shows position and expected wait; when called, a large "go to window 3" and a vibration. */
import { $, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

var POLL_OFFLINE_MS = 5000;    // no socket: ask every few seconds
var POLL_ONLINE_MS = 60000;    // socket up: a slow safety net
const cfg = readConfig("phone-config");
var L = cfg.labels, lang = cfg.lang;
var status = cfg.status;
var lastPoll = 0, refreshTimer = null, resumeTimer = null;
var FINISHED = ["done", "no_show", "transferred", "cancelled"];

function pick(obj, field) { return obj[field + "_" + lang] || obj[field + "_uk"] || obj[field] || ""; }

// The catalogue's plural forms by CLDR category (one / few / many / other); the browser's
// Intl.PluralRules picks the category for a count, the same rule the server's gettext follows.
var plural = new Intl.PluralRules(lang);
function people(n) {
  if (n === 0) return L.nobody;  // "Перед вами нікого", not "0 осіб"
  var form = L.people[plural.select(n)] || L.people.other || L.people.many;
  return form.replace("{n}", n);
}

function vibrate() {
  try { if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 800]); } catch (e) { /* unsupported */ }
}

// The office's suspension (air-raid alert…): the ticket keeps its place; a scheduled resume
// is fetched at its minute.
function renderSuspended(s) {
  var sus = FINISHED.indexOf(s.status) >= 0 ? null : s.suspended;
  $("suspended").hidden = !sus;
  clearTimeout(resumeTimer);
  if (!sus) return;
  $("s-title").textContent = pick(sus, "title");
  $("s-text").textContent = pick(sus, "message");
  $("s-resume").textContent = pick(sus, "resume");
  $("s-resume").hidden = !pick(sus, "resume");
  if (sus.resume_at) resumeTimer = setTimeout(poll, Math.max(Date.parse(sus.resume_at) - Date.now(), 0) + 2000);
}

function render() {
  var s = status;
  renderSuspended(s);
  $("card").dataset.status = s.status;
  $("code").textContent = s.code;
  $("service").textContent = pick(s, "service_name");
  // A ticket from a booking: "Записано на 10:15" (the slot, office-local, as the core sent it).
  $("booked").hidden = !s.booked_for;
  $("booked").textContent = s.booked_for ? L.booked_for.replace("{time}", String(s.booked_for).slice(11, 16)) : "";
  var called = s.status === "called";
  $("call").hidden = !called;
  $("go").textContent = called ? (pick(s, "go") || pick(s, "desk_name")) : "";
  $("wait").hidden = s.status !== "waiting";
  if (s.status === "waiting") {
    var pos = typeof s.position === "number" ? s.position : null;
    $("position").textContent = pos === null ? "—" : pos === 0 ? L.nobody : people(pos);
    // The core words the range ("15–25 хв", "скоро"); none while the office is suspended, and none
    // while nobody serves the service (then "next" would be a promise nobody keeps).
    var unserved = s.served_now === false;
    var eta = !s.suspended && pick(s, "eta_text");
    $("eta").textContent = eta || (unserved ? L.eta_unknown : "—");
    $("wait").dataset.unserved = String(unserved);
    $("wait-hint").textContent = s.suspended ? L.suspended_wait : unserved ? L.unserved
      : s.appointment_at ? L.watch_room : pos === 0 ? L.next : L.waiting;
  }
  var text = { serving: L.serving + (pick(s, "desk_name") ? ": " + pick(s, "desk_name") : ""),
               done: L.done, no_show: L.no_show, transferred: L.transferred, cancelled: L.cancelled }[s.status];
  $("state").hidden = !text;
  $("state").textContent = text || "";
  document.title = called ? "🔔 " + L.called + " — " + s.code : L.title;
  $("updated").textContent = new Date().toLocaleTimeString(lang === "uk" ? "uk-UA" : "en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function apply(next, recalled) {
  if (!next || !next.code) return;
  if (typeof next.version === "number" && typeof status.version === "number" && next.version < status.version) return;
  var wasCalled = status.status === "called";
  var recalls = status.recall_count || 0;
  var merged = next.partial ? Object.assign({}, status, next) : next;
  delete merged.partial;
  var isCalled = merged.status === "called";
  status = merged;
  render();
  if (isCalled && (!wasCalled || recalled || (merged.recall_count || 0) > recalls)) vibrate();
}

// --- live: Socket.IO ---------------------------------------------------------------------
var socket = (typeof io === "function") ? io("/ticket", {
  auth: { public_token: cfg.token }, reconnectionDelay: 1000, reconnectionDelayMax: 20000
}) : null;

function scheduleRefresh(delayMs) {
  if (refreshTimer || !socket) return;
  refreshTimer = setTimeout(function () {
    refreshTimer = null;
    if (socket.connected) socket.emit("refresh"); else poll();
  }, delayMs);
}

if (socket) {
  socket.on("status", function (s) {
    apply(s, s && s.event === "recalled");
    if (s && s.partial) scheduleRefresh(300);          // fill in the position and wait
  });
  socket.on("queue", function () { scheduleRefresh(1100 + Math.random() * 1500); });  // spread the load
  socket.on("suspended", function () { scheduleRefresh(300 + Math.random() * 1500); });
  socket.on("resumed", function () { scheduleRefresh(300 + Math.random() * 1500); });
  socket.on("connect", function () { $("offline").hidden = true; });
  socket.on("disconnect", function () { $("offline").hidden = false; });
  socket.on("connect_error", function () {
    $("offline").hidden = false;
    if (!socket.active) setTimeout(function () { socket.connect(); }, 10000);
  });
}

// --- fallback: polling the public JSON API ---------------------------------------------------
function poll() {
  lastPoll = Date.now();
  request("GET", "/api/v1/tickets/" + encodeURIComponent(cfg.token), undefined, { cache: "no-store" })
    .then(function (s) { apply(s, false); if (!socket || !socket.connected) $("offline").hidden = true; })
    .catch(function () { if (!socket || !socket.connected) $("offline").hidden = false; });
}
setInterval(function () {
  var live = socket && socket.connected;
  if (Date.now() - lastPoll >= (live ? POLL_ONLINE_MS : POLL_OFFLINE_MS) - 100) poll();
}, 1000);
document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });

window.__phone = { get status() { return status; } };
lastPoll = Date.now();
render();
