/* Wall display client: snapshot + versioned events over Socket.IO, drawn for a 1920×1080 TV.
 *
 * The server's snapshot is the truth. Events carry the office version: older ones are
 * ignored; a gap asks for a fresh snapshot. Built to run for days: bounded lists, one timer
 * of each kind, reconnect with backoff, a full resync every few minutes and a reload at night.
 */
import { $, el, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

var MAIN_ROWS = 4, HISTORY_ROWS = 8, MAX_CALLS = MAIN_ROWS + HISTORY_ROWS;
var FLASH_MS = 6000;
var RESYNC_EVERY_MS = 4 * 60 * 1000;
var RELOAD_HOUR = 3;                       // office-local, when the hall is empty
var ALIVE_EVERY_MS = 60 * 1000;            // the heartbeat staff see (Адміністрування, the hall view)
// A call whose visit is still on: the only kind a main card shows. Without a status (an older
// server), a call counts as still on.
var ACTIVE = { called: true, serving: true };
// Statuses after which the call is no call at all (sent back to a queue, or cancelled): off the board.
var GONE = { waiting: true, transferred: true, cancelled: true };
var STORAGE_KEY = "reception.display.token";

const cfg = readConfig("display-config");
var state = { version: -1, calls: [], waitingTotal: 0, waitingLines: [], services: [], tz: "Europe/Kyiv", offsetMs: 0,
              resyncs: 0 };
var seenAt = {};                          // code -> "at" of the call already shown (bounded by calls)
var flashTimer = null, resyncTimer = null, resyncWatchdog = null, retryTimer = null, resumeTimer = null;
var retryDelay = 2000;
var startedAt = Date.now();

// The token is not in the page: the server hands it over from the HttpOnly cookie, for the
// socket and for the localStorage spare that re-pairs the browser if the cookie is lost.
function pairedToken(callback) {
  request("GET", cfg.pairing, undefined, { cache: "no-store" })
    .then(function (data) {
      var token = data && data.token;
      if (token) { try { localStorage.setItem(STORAGE_KEY, token); } catch (e) { /* fine: the cookie pairs */ } }
      callback(token || null);
    }, function () { callback(null); });
}

// Sound: "checking" until the probe answers, then "allowed" (kiosk mode: it speaks untouched)
// or "blocked" (the touch prompt shows; the first touch or key press unlocks it).
var display = { state: state, announcer: null, sound: "checking" };
window.__display = display;  // for diagnostics and tests
function setSound(sound) {
  display.sound = sound;
  $("sound-blocked").hidden = sound !== "blocked";
}
var announcer = new Announcer({
  chime: $("chime"),
  speechUrl: cfg.speechUrl,
  serverSpeech: cfg.serverSpeech,
  onBlocked: function () { setSound("blocked"); }
});
display.announcer = announcer;
announcer.probe().then(function (allowed) {
  if (display.sound === "checking") setSound(allowed ? "allowed" : "blocked");
});
var unblock = function () {
  if (display.sound !== "blocked") return;
  announcer.unlock().then(function (allowed) { if (allowed) setSound("allowed"); });
};
document.addEventListener("click", unblock);
document.addEventListener("keydown", unblock);

// --- clock (server time, office zone) --------------------------------------------------
var timeFmt, dateFmt;
function setZone(tz) {
  if (timeFmt && state.tz === tz) return;
  state.tz = tz;
  timeFmt = new Intl.DateTimeFormat("uk-UA", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false });
  dateFmt = new Intl.DateTimeFormat("uk-UA", { timeZone: tz, weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
function serverNow() { return new Date(Date.now() + state.offsetMs); }
function officeHour(d) {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: state.tz, hour: "2-digit", hour12: false }).format(d));
}
function tick() {
  var now = serverNow();
  $("time").textContent = timeFmt.format(now);
  $("date").textContent = dateFmt.format(now);
  // A nightly reload keeps a week-long session fresh (memory, code updates).
  if (Date.now() - startedAt > 6 * 3600 * 1000 && officeHour(now) === RELOAD_HOUR) location.reload();
}

// --- drawing ---------------------------------------------------------------------------
function fit(node, minPx) {
  // Long desk names shrink until they fit their column (no ellipsis on the main call).
  var size = parseFloat(getComputedStyle(node).fontSize);
  while (node.scrollWidth > node.clientWidth && size > minPx) {
    size -= 4;
    node.style.fontSize = size + "px";
  }
}

function active(c) { return !c.status || ACTIVE[c.status] === true; }

// "Now calling": each desk's latest call still in progress, newest first; a finished or abandoned
// call and every older one go to the history (decision 032).
function split(calls) {
  var main = [], rest = [], desks = {};
  calls.forEach(function (c) {
    if (main.length < MAIN_ROWS && active(c) && !desks[c.desk]) { desks[c.desk] = true; main.push(c); } else rest.push(c);
  });
  // With today's reception hours on the side, the history makes room for them.
  return { main: main, history: rest.slice(0, $("hours-box").hidden ? HISTORY_ROWS : HISTORY_ROWS - 3) };
}

function draw() {
  var calls = $("calls"), history = $("history"), parts = split(state.calls);
  calls.textContent = "";
  history.textContent = "";
  parts.main.forEach(function (c) {
    var li = el("li", "call");
    li.dataset.code = c.code;
    li.appendChild(el("span", "code", c.code));
    var desk = el("span", "desk");
    var uk = el("div", "desk-uk", c.desk_name_uk || c.desk);
    desk.appendChild(uk);
    if (c.desk_name_en && c.desk_name_en !== c.desk_name_uk) desk.appendChild(el("div", { "class": "desk-en", lang: "en" }, c.desk_name_en));
    li.appendChild(desk);
    calls.appendChild(li);
    fit(uk, 40);
  });
  parts.history.forEach(function (c) {
    var li = el("li");
    li.appendChild(el("span", "h-code", c.code));
    li.appendChild(el("span", "h-desk", c.desk_name_uk || c.desk));
    history.appendChild(li);
  });
  $("empty").hidden = parts.main.length > 0;
  drawWaiting();
}

// Who waits for what (chosen and ordered by the server, display/state.py). More than three
// services take two rows. When a name does not fit its cell the English names go first, then
// the type gets smaller; only past that is a name shortened with an ellipsis.
var TWO_ROWS_FROM = 4;
function drawWaiting() {
  var list = $("waiting-lines");
  $("waiting-total").textContent = String(state.waitingTotal);
  list.textContent = "";
  list.classList.remove("compact", "tight");
  list.classList.toggle("two-rows", state.waitingLines.length >= TWO_ROWS_FROM);
  state.waitingLines.forEach(function (w) {
    var li = el("li", "w-line");
    li.dataset.service = w.code;
    li.appendChild(el("span", "w-name", w.name_uk));
    if (w.name_en && w.name_en !== w.name_uk) li.appendChild(el("span", { "class": "w-name-en", lang: "en" }, w.name_en));
    li.appendChild(el("b", "w-n", String(w.waiting)));
    list.appendChild(li);
  });
  var cut = function (node) { return node.scrollWidth > node.clientWidth; };
  var anyCut = function () {
    return cut(list) || Array.prototype.some.call(list.querySelectorAll(".w-line, .w-name"), cut);
  };
  ["compact", "tight"].forEach(function (step) { if (anyCut()) list.classList.add(step); });
}

function drawHours(hours) {
  var list = $("hours");
  list.textContent = "";
  (hours || []).forEach(function (h) {
    var li = el("li");
    li.appendChild(el("span", "h-time", h.start + "–" + h.end));
    li.appendChild(document.createTextNode([h.leader, h.position].filter(Boolean).join(", ")));
    var where = h.remote ? cfg.labels.remote_uk : h.room;
    if (where) li.appendChild(el("div", "h-room", where));
    list.appendChild(li);
  });
  $("hours-box").hidden = !(hours && hours.length);
}

function flash(code) {
  var row = document.querySelector('.call[data-code="' + (window.CSS && CSS.escape ? CSS.escape(code) : code) + '"]');
  if (!row) return;
  document.querySelectorAll(".call.flash").forEach(function (r) { r.classList.remove("flash"); });
  void row.offsetWidth;  // restart the animation on a recall
  row.classList.add("flash");
  clearTimeout(flashTimer);
  flashTimer = setTimeout(function () { row.classList.remove("flash"); }, FLASH_MS);
}

// The office's suspension (air-raid alert, blackout): a notice over the calls. A scheduled
// resume ends it at its minute without any event: the board asks for a fresh snapshot then.
function drawSuspended(s) {
  $("suspended").hidden = !s;
  clearTimeout(resumeTimer);
  if (!s) return;
  var title = $("s-title-uk");
  title.textContent = s.title_uk || "";
  title.style.fontSize = "";
  fit(title, 56);   // one line, as large as it fits
  $("s-title-en").textContent = s.title_en || "";
  $("s-text-uk").textContent = s.message_uk || "";
  $("s-text-en").textContent = s.message_en || "";
  $("s-resume-uk").textContent = s.resume_uk || "";
  $("s-resume-en").textContent = s.resume_en || "";
  $("s-resume").hidden = !s.resume_uk;
  if (s.resume_at) {
    var wait = Date.parse(s.resume_at) - serverNow().getTime();
    resumeTimer = setTimeout(function () { $("suspended").hidden = true; scheduleResync(0); }, Math.max(wait, 0) + 500);
  }
}

function applySuspension(name, event) {
  if (!event || typeof event.version !== "number" || event.version <= state.version) return;
  var gap = state.version >= 0 && event.version > state.version + 1;
  state.version = event.version;
  drawSuspended(name === "suspended" ? event : null);
  announcer.add(event);   // {announce_uk, announce_en?}, made in the core
  if (gap || name === "resumed") scheduleResync();
}

// --- state -----------------------------------------------------------------------------
function remember(call) { seenAt[call.code] = call.at; }
function forgetOld() {
  var keep = {};
  state.calls.forEach(function (c) { keep[c.code] = seenAt[c.code]; });
  seenAt = keep;
}

function applySnapshot(snap, initial, afterConnect) {
  if (!snap || typeof snap.version !== "number") return;
  // An answer overtaken by newer events is dropped; but the first snapshot of a connection
  // is always the truth (the server's database may have been restored to an older state).
  if (snap.version < state.version && !afterConnect) return;
  clearTimeout(resyncWatchdog);
  state.version = snap.version;
  state.waitingTotal = snap.waiting_total || 0;
  state.waitingLines = snap.waiting_lines || [];
  state.services = snap.services || [];
  if (snap.server_time_ms) state.offsetMs = snap.server_time_ms - Date.now();
  setZone(snap.timezone || state.tz);
  var fresh = [];
  (snap.calls || []).forEach(function (c) {
    // A call made while we were away (and still recent) is announced once we are back.
    if (!initial && seenAt[c.code] !== c.at && Date.parse(c.at) > serverNow().getTime() - 60000) fresh.push(c);
  });
  state.calls = (snap.calls || []).slice(0, MAX_CALLS);
  state.calls.forEach(remember);
  forgetOld();
  drawHours(snap.reception_hours && snap.reception_hours.uk);
  draw();
  drawSuspended(snap.suspended || null);
  fresh.reverse().forEach(function (c) { flash(c.code); announcer.add(c); });
}

// Events carry the office's waiting counts as of their version (code -> count), so the
// footer follows them without a snapshot; only a gap in versions needs one. A call carries its
// version and counts itself: the display that shows it gets no hint of that version.
function applyWaiting(waiting) {
  if (!waiting || typeof waiting !== "object") return false;
  var total = 0;
  state.waitingLines = [];
  state.services.forEach(function (s) {
    var n = Number(waiting[s.code]) || 0;
    total += n;
    if (n > 0) state.waitingLines.push(Object.assign({}, s, { waiting: n }));
  });
  state.waitingTotal = total;
  drawWaiting();
  return true;
}

function applyCall(name, call) {
  if (!call || typeof call.version !== "number") return;
  var onBoard = seenAt[call.code] === call.at;
  if (call.version < state.version) {
    // Overtaken by a newer event (two server processes publish in the order they commit, not
    // quite in version order): the snapshot brings the call, and announces it if it is recent.
    if (!onBoard) scheduleResync(0);
    return;
  }
  // Same version and on the board already (a call sent twice, or a snapshot that came first).
  if (call.version === state.version && (name !== "called" || onBoard)) return;
  var gap = state.version >= 0 && call.version > state.version + 1;
  state.version = call.version;
  // A desk has one visitor at a time: its new call ended the visit before it (Next finishes it, decision
  // 003), which the server does not send on its own. One frame per display per call (decision 005).
  if (name === "called") {
    state.calls.forEach(function (c) {
      if (c.desk === call.desk && c.code !== call.code && active(c)) c.status = "done";
    });
  }
  state.calls = [call].concat(state.calls.filter(function (c) { return c.code !== call.code; })).slice(0, MAX_CALLS);
  remember(call);
  forgetOld();
  draw();
  applyWaiting(call.waiting);
  flash(call.code);
  announcer.add(call);   // a recall repeats the announcement
  if (gap) scheduleResync();
}

// A ticket's new status (finished, no-show, transferred…): its call leaves the main card at once.
function settle(code, status) {
  if (typeof code !== "string" || typeof status !== "string") return;
  var changed = false;
  state.calls = state.calls.filter(function (c) {
    if (c.code !== code || c.status === status) return true;
    changed = true;
    if (GONE[status]) return false;
    c.status = status;
    return true;
  });
  if (changed) { forgetOld(); draw(); }
}

function applyHint(hint) {
  if (!hint || typeof hint.version !== "number" || hint.version <= state.version) return;
  var gap = hint.version > state.version + 1;
  state.version = hint.version;
  settle(hint.code, hint.status);
  // A zoned display misses other zones' calls by design, so a gap is settled by one
  // debounced snapshot; so is a hint without counts (an older server).
  if (gap || !applyWaiting(hint.waiting)) scheduleResync(gap ? 0 : 1500);
}

// --- socket ----------------------------------------------------------------------------
var socket = io("/display", {
  // Asked on every (re)connect; without a token the server refuses and connect_error retries.
  auth: function (cb) { pairedToken(function (token) { cb({ token: token, zone: cfg.zone }); }); },
  // A lost server is asked again every 1–3 s (jittered), so a display is back within ~3 s of its
  // process answering again (decision 021); a refused connection backs off below.
  reconnectionDelay: 1000,
  reconnectionDelayMax: 2000,
  randomizationFactor: 0.5
});
display.socket = socket;  // for diagnostics and tests: whether it is connected

function scheduleResync(extraMs) {
  if (resyncTimer) return;
  resyncTimer = setTimeout(function () {
    resyncTimer = null;
    if (!socket.connected) return;  // the snapshot on reconnect will do
    state.resyncs += 1;
    socket.emit("resync");
    clearTimeout(resyncWatchdog);
    resyncWatchdog = setTimeout(function () { scheduleResync(); }, 5000);  // asked too soon: ask again
  }, 1200 + (extraMs || 0) + Math.random() * 800);
}

// True until the first snapshot of each connection (which Socket.IO may deliver even
// before the "connect" event fires).
var justConnected = true;
socket.on("snapshot", function (snap) { applySnapshot(snap, false, justConnected); justConnected = false; });
socket.on("called", function (c) { applyCall("called", c); });
socket.on("recalled", function (c) { applyCall("recalled", c); });
socket.on("queue", applyHint);
socket.on("suspended", function (e) { applySuspension("suspended", e); });
socket.on("resumed", function (e) { applySuspension("resumed", e); });
socket.on("revoked", function () { location.reload(); });  // the page then says "not paired"
socket.on("connect", function () {
  retryDelay = 2000;
  $("offline").hidden = true;
});
socket.on("disconnect", function () {
  justConnected = true;
  setTimeout(function () { if (!socket.connected) $("offline").hidden = false; }, 3000);
});
socket.on("connect_error", function () {
  // Refused by the server (e.g. it restarted before its database was up, or the token was
  // revoked): Socket.IO stops retrying on its own, so retry with our own capped backoff.
  if (socket.active) return;
  $("offline").hidden = false;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(function () {
    if (retryDelay >= 60000) { location.reload(); return; }  // let the page say if unpaired
    socket.connect();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60000);
});

setInterval(function () { if (socket.connected) socket.emit("resync"); }, RESYNC_EVERY_MS + Math.random() * 30000);
setInterval(function () { if (socket.connected) socket.emit("alive"); }, ALIVE_EVERY_MS);

setZone(cfg.snapshot.timezone || state.tz);
applySnapshot(cfg.snapshot, true);
tick();
setInterval(tick, 1000);
