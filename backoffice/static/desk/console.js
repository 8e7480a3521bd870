/* Desk console: one screen, every action through the JSON API (cookie session + X-CSRF-Token).
 *
 * The server is the source of truth: after each action and on every live hint with a newer
 * version the console refetches its state (debounced); when the socket is down it polls.
 * Every result and every refusal is shown in the status line — nothing fails silently.
 */
import { $, el, readConfig } from "/static/js/shared/dom.js";
import { fill, isoClock as clockTime, minSec, minutesSince as minutesBetween, secondsSince } from "/static/js/shared/format.js";
import { HttpError, request as send } from "/static/js/shared/http.js";

const cfg = readConfig("desk-config");
const T = cfg.texts;
const OFFICE = cfg.office.code;
const DESK = cfg.desk.code;
const POLL_MS = 10000;

const state = {
  desk: cfg.desk, current: null, noShows: [], waitingList: null, queue: null, today: null,
  version: -1, skew: 0, busy: false, live: false, outcomes: {}, finishThenNext: false,
};

function fmt(key, params) { return fill(T[key] || key, params); }

// --- talking to the server -------------------------------------------------------------------

const MESSAGES = {
  network: T["error.network"],
  signedOut: T["error.signed_out"],
  unexpected: (status) => fmt("error.unexpected", { status }),
};
function request(method, url, body) { return send(method, url, body, { lang: cfg.lang, messages: MESSAGES }); }
function api(method, path, body) { return request(method, "/api/v1" + path, body); }
function deskPath(action) {
  return "/desks/" + encodeURIComponent(DESK) + "/" + action + "?office=" + encodeURIComponent(OFFICE);
}
function ticketPath(id, action) { return "/tickets/" + id + "/" + action; }

// --- state -------------------------------------------------------------------------------------

/* A manager's console lists the office's open alerts (decision 040); others get none (null). */
function showAlerts(list) {
  var box = $("dc-alerts");
  box.textContent = "";
  (list || []).forEach(function (a) {
    var li = el("li", "dc-alert dc-alert-" + a.severity);
    li.dataset.kind = a.kind;
    li.appendChild(el("strong", "", "\u26a0 " + a.title + ": "));
    li.appendChild(el("span", "", a.text));
    box.appendChild(li);
  });
  box.hidden = !(list && list.length);
}

function refresh() {
  return Promise.all([request("GET", cfg.urls.state), api("GET", "/offices/" + encodeURIComponent(OFFICE) + "/queue")])
    .then(function (answers) {
      var s = answers[0], q = answers[1];
      state.skew = Date.parse(s.now) - Date.now();
      state.desk = s.desk;
      state.current = s.current;
      state.noShows = s.no_shows || [];
      state.waitingList = s.waiting;
      state.today = s.today;
      state.suspended = s.suspended || null;
      showAlerts(s.alerts);
      applyQueue(q, true);
      if (!s.mine) {  // closed elsewhere (another tab, an administrator): back to the desk list
        show(T["closed_elsewhere"], "error");
        window.location.assign(cfg.urls.home);
      }
    })
    .catch(function (err) {
      show(err.message, "error");
      if (err.status === 401) window.location.assign(cfg.urls.login);
    });
}

var refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 250);  // a burst of hints costs one fetch
}

function applyQueue(q, force) {
  if (!q || (!force && q.version < state.version)) return;
  state.queue = q;
  state.version = Math.max(state.version, q.version);
  render();
}

// --- rendering -----------------------------------------------------------------------------------

function serverNow() { return Date.now() + state.skew; }
function minutesSince(iso) { return minutesBetween(iso, serverNow()); }
function elapsed(iso) { return minSec(secondsSince(iso, serverNow())); }

function setEnabled(id, on) { var b = $(id); if (b) b.disabled = !on; }

function render() {
  var cur = state.current;
  var paused = state.desk.status === "paused";
  var called = !!cur && cur.status === "called";
  var free = !state.busy;
  var recallsNeeded = cfg.settings.recalls_before_no_show;

  $("console").dataset.state = cur ? cur.status : "idle";
  $("desk-status").textContent = T["desk." + state.desk.status] || state.desk.status;
  $("desk-status").dataset.status = state.desk.status;
  $("paused").hidden = !paused;
  $("paused-text").textContent = pausedText(state.desk.pause_reason);
  $("btn-pause").hidden = paused;
  $("btn-resume").hidden = !paused;
  // The office is suspended (air-raid alert…): nobody may be called until it reopens.
  var suspended = state.suspended;
  $("suspended").hidden = !suspended;
  $("suspended-text").textContent = suspended ? suspended.message : "";
  $("suspended-resume").textContent = suspended && suspended.resume ? suspended.resume : "";

  setEnabled("btn-next", free && !paused && !suspended);
  setEnabled("btn-recall", free && called);
  setEnabled("btn-start", free && called);
  setEnabled("btn-finish", free && !!cur);
  setEnabled("btn-no-show", free && called && cur.recalls_missing === 0);
  setEnabled("btn-transfer", free && !!cur);
  // A break waits until the visitor is dealt with (decision 032): the button says why it is off.
  setEnabled("btn-pause", free && !cur);
  $("btn-pause").title = cur ? fmt("pause.busy", { code: cur.code }) : "";
  setEnabled("btn-resume", free);
  setEnabled("btn-close", free && !cur);
  setEnabled("btn-specific", free && !paused && !suspended && !!(state.waitingList && state.waitingList.length));
  $("btn-no-show").title = called && cur.recalls_missing > 0
    ? fmt("recalls") + ": " + cur.recall_count + " / " + recallsNeeded : "";

  renderCurrent(cur);
  renderWaiting();
  renderNoShows();
  renderToday();
  renderDesks();
  tick();
}

/* "Перерва: Нарада", but never "Перерва: Перерва" or "Перерва: Обідня перерва": the word once. */
function pausedText(reason) {
  var word = T["paused_plain"];
  var text = (reason || "").trim();
  if (!text) return word;
  if (text.toLowerCase().indexOf(word.toLowerCase()) >= 0) return text.charAt(0).toUpperCase() + text.slice(1);
  return fmt("paused", { reason: text });
}

function renderCurrent(cur) {
  $("cur-code").textContent = cur ? cur.code : "—";
  $("cur-status").textContent = cur ? T["status." + cur.status] : T["nobody_current"];
  $("cur-service").textContent = cur ? cur.service_name : T["nobody_hint"];
  $("cur-facts").hidden = !cur;
  var badges = $("cur-badges");
  badges.textContent = "";
  if (cur) {
    $("cur-called").textContent = clockTime(cur.called_at);
    $("cur-recalls").textContent = String(cur.recall_count);
    $("cur-note-row").hidden = !cur.note;
    $("cur-note").textContent = cur.note || "";
    if (cur.priority_name) badges.appendChild(el("span", { "class": "dc-badge prio" }, T["priority"] + ": " + cur.priority_name));
    if (cur.appointment_at) badges.appendChild(el("span", { "class": "dc-badge appt" }, T["appointment"] + " " + clockTime(cur.appointment_at)));
    if (cur.booked_for) badges.appendChild(el("span", { "class": "dc-badge appt booked" }, T["booked"] + " " + clockTime(cur.booked_for)));
    if (cur.call_rule && T["rule." + cur.call_rule]) badges.appendChild(el("span", { "class": "dc-badge" }, T["rule." + cur.call_rule]));
  }
}

function renderWaiting() {
  var body = $("waiting").tBodies[0];
  body.textContent = "";
  var q = state.queue;
  if (!q) return;
  var total = 0;
  cfg.services.filter(function (s) { return s.served; }).forEach(function (s) {
    var n = q.waiting[s.code] || 0;
    var since = (q.oldest_waiting_since || {})[s.code];
    total += n;
    var row = el("tr", { "data-service": s.code });
    row.appendChild(el("th", { scope: "row" }, s.name));
    row.appendChild(el("td", { "class": "n" }, String(n)));
    var wait = el("td", { "class": "oldest" }, since ? T["oldest"] + " " + minutesSince(since) + " " + T["min"] : "");
    if (since) wait.dataset.since = since;
    row.appendChild(wait);
    body.appendChild(row);
  });
  $("waiting-total").textContent = String(total);
}

function renderNoShows() {
  var list = $("noshows");
  list.textContent = "";
  $("noshows-panel").hidden = !state.noShows.length;
  state.noShows.forEach(function (t) {
    var item = el("li");
    item.appendChild(el("strong", {}, t.code));
    item.appendChild(el("span", { "class": "bo-muted" }, " " + fmt("noshows_until", { time: clockTime(t.until) }) + " "));
    var btn = el("button", { type: "button", "class": "bo-btn secondary small" }, T["btn.undo"]);
    btn.disabled = state.busy;
    btn.addEventListener("click", function () { reactivate(t); });
    item.appendChild(btn);
    list.appendChild(item);
  });
}

// Counted in the core (reception.queue.desk_day) for the office-local day; only shown here.
function renderToday() {
  var today = state.today;
  $("today-served").textContent = today ? String(today.served) : "—";
  $("today-avg").textContent = today && today.avg_service_min ? fmt("today.avg_value", { m: today.avg_service_min }) : "—";
}

function renderDesks() {
  var list = $("desks");
  list.textContent = "";
  var q = state.queue;
  if (!q) return;
  var calls = {};
  (q.calls || []).forEach(function (c) { calls[c.desk] = c.code; });
  q.desks.filter(function (d) { return d.code !== DESK; }).forEach(function (d) {
    var item = el("li", { "data-status": d.status });
    item.appendChild(el("span", {}, cfg.lang === "en" ? d.name_en || d.name_uk : d.name_uk));
    item.appendChild(el("span", { "class": "bo-muted" }, (T["desk." + d.status] || d.status) + (calls[d.code] ? " · " + calls[d.code] : "")));
    list.appendChild(item);
  });
}

function tick() {
  var cur = state.current;
  $("cur-elapsed").textContent = cur && cur.called_at ? elapsed(cur.called_at) : "";
  Array.prototype.forEach.call(document.querySelectorAll("#waiting td[data-since]"), function (td) {
    td.textContent = T["oldest"] + " " + minutesSince(td.dataset.since) + " " + T["min"];
  });
}

// --- status line ---------------------------------------------------------------------------------

var statusTimer = null;
function show(message, kind, undo) {
  var line = $("statusline");
  line.hidden = false;
  line.dataset.kind = kind || "ok";
  $("status-text").textContent = message;
  var undoBtn = $("status-undo");
  undoBtn.hidden = !undo;
  undoBtn.onclick = undo || null;
  clearTimeout(statusTimer);
  if (kind !== "error") statusTimer = setTimeout(function () { line.hidden = true; }, undo ? 30000 : 8000);
}
$("status-dismiss").addEventListener("click", function () { $("statusline").hidden = true; });

// --- actions -------------------------------------------------------------------------------------

/* One action at a time: buttons are disabled while a request is in flight, so a double
   press never calls two visitors. */
function run(work) {
  if (state.busy) return Promise.resolve();
  state.busy = true;
  render();
  return Promise.resolve().then(work)
    .catch(function (err) { show(err.message || String(err), "error"); })
    .then(function () { state.busy = false; return refresh(); })
    .then(render);
}

function callNext() {
  return api("POST", deskPath("call-next")).then(function (ticket) {
    if (ticket === null) { show(T["nobody_waits"], "info"); return; }
    state.current = ticket;
    show(fmt("ok.called", { code: ticket.code }), "ok");
  });
}

/* Whether Next may end the visit in progress is the office's rule, kept in the core: where
   it wants an outcome it answers 409 outcome_required and the console asks for it (or, if the
   visitor turns out not to have come, offers the no-show). */
function nextAfterRefusal(err) {
  var p = err.problem;
  if (!(err.status === 409 && p && p.code === "outcome_required")) throw err;
  return refresh().then(function () {
    if (p.params && p.params.status === "called") openAbsent(); else openFinish(true);
  });
}

var actions = {
  next: function () {
    var cur = state.current;
    if (cur && cur.status === "called") { openAbsent(); return; }  // not come yet: recall or no-show?
    run(function () { return callNext().catch(nextAfterRefusal); });
  },
  recall: function () {
    var cur = state.current;
    run(function () {
      return api("POST", ticketPath(cur.id, "recall")).then(function (t) { show(fmt("ok.recalled", { code: t.code }), "ok"); });
    });
  },
  start: function () {
    var cur = state.current;
    run(function () {
      return api("POST", ticketPath(cur.id, "start")).then(function (t) { show(fmt("ok.started", { code: t.code }), "ok"); });
    });
  },
  no_show: function () {
    var cur = state.current;
    run(function () {
      return api("POST", ticketPath(cur.id, "no-show")).then(function (t) {
        show(fmt("ok.no_show", { code: t.code }), "ok", function () { reactivate(t); });
      });
    });
  },
  finish: function () { openFinish(false); },
  transfer: function () { openTransfer(); },
  pause: function () { openDialog("dlg-pause"); },
  resume: function () {
    run(function () { return api("POST", deskPath("resume")).then(function () { show(T["ok.resumed"], "ok"); }); });
  },
  close: function () { openDialog("dlg-close"); },
  specific: function () { openSpecific(); },
};

function reactivate(t) {
  run(function () {
    return api("POST", ticketPath(t.id, "reactivate")).then(function (r) { show(fmt("ok.reactivated", { code: r.code }), "ok"); });
  });
}

// --- dialogs -------------------------------------------------------------------------------------

function openDialog(id) {
  var dlg = $(id);
  var err = dlg.querySelector(".dc-dialog-error");
  err.hidden = true;
  if (!dlg.open) dlg.showModal();
  var first = dlg.querySelector("input:checked, input, select, textarea, button[type=submit]");
  if (first) first.focus();
  return dlg;
}

function dialogError(dlg, message) {
  var err = dlg.querySelector(".dc-dialog-error");
  err.textContent = message;
  err.hidden = false;
}

function outcomesFor(kind) {
  if (state.outcomes[kind]) return Promise.resolve(state.outcomes[kind]);
  return api("GET", "/outcomes?kind=" + encodeURIComponent(kind)).then(function (list) {
    state.outcomes[kind] = list;
    return list;
  });
}

function openFinish(thenNext, quiet) {
  var cur = state.current;
  if (!cur) return;
  state.finishThenNext = thenNext;
  outcomesFor(cur.service_kind || "specialist").then(function (list) {
    var box = $("finish-outcomes");
    box.textContent = "";
    list.forEach(function (o, i) {
      var label = el("label", { "class": "dc-outcome" });
      var input = el("input", { type: "radio", name: "outcome", value: o.code });
      input.dataset.opensRecord = o.opens_record ? "1" : "";
      label.appendChild(input);
      var text = el("span", { "class": "dc-outcome-text" });
      text.appendChild(el("span", { "class": "dc-outcome-name" }, o.name));
      if (o.opens_record) text.appendChild(el("small", {}, T["finish.opens_record"]));
      label.appendChild(text);
      if (i < 9) label.appendChild(el("kbd", {}, String(i + 1)));
      box.appendChild(label);
    });
    $("finish-title").textContent = fmt("finish.title", { code: cur.code });
    $("finish-submit").textContent = thenNext ? T["btn.finish_and_next"] : T["btn.confirm_finish"];
    $("dlg-finish").querySelector("textarea").value = "";
    openDialog("dlg-finish");
    if (thenNext && !quiet) dialogError($("dlg-finish"), fmt("finish.first", { code: cur.code }));
  }).catch(function (err) { show(err.message, "error"); });
}

/* Next pressed while the called visitor has not come: offer the no-show (and the next call),
   a recall, or — if they did come — the outcome. */
function openAbsent() {
  var cur = state.current;
  var missing = cur.recalls_missing || 0;
  $("absent-title").textContent = fmt("absent.title", { code: cur.code });
  $("absent-recalls").hidden = missing === 0;
  $("absent-recalls").textContent = fmt("absent.recalls", {
    done: cur.recall_count, needed: cfg.settings.recalls_before_no_show });
  $("absent-no-show").disabled = missing > 0;
  openDialog("dlg-absent");
  (missing > 0 ? $("absent-recall") : $("absent-no-show")).focus();
}

$("absent-recall").addEventListener("click", function () {
  $("dlg-absent").close();
  actions.recall();
});
$("absent-came").addEventListener("click", function () {
  $("dlg-absent").close();
  var cur = state.current;
  run(function () { return api("POST", ticketPath(cur.id, "start")); }).then(function () {
    if (state.current) openFinish(true, true);
  });
});

function openTransfer() {
  var cur = state.current;
  if (!cur) return;
  var form = $("dlg-transfer").querySelector("form");
  form.reset();
  $("transfer-title").textContent = fmt("transfer.title", { code: cur.code });
  // A closed desk calls nobody: offered, but not choosable, and said so (the server refuses it too).
  var closed = {};
  ((state.queue && state.queue.desks) || []).forEach(function (d) { closed[d.code] = d.status === "closed"; });
  Array.prototype.forEach.call(form.desk.options, function (o) {
    if (!o.value) return;
    if (o.dataset.name === undefined) o.dataset.name = o.textContent;
    o.disabled = !!closed[o.value];
    o.textContent = o.dataset.name + (closed[o.value] ? " — " + T["desk.closed"] : "");
  });
  openDialog("dlg-transfer");
}

function openSpecific() {
  var select = $("dlg-specific").querySelector("select");
  select.textContent = "";
  var services = {};
  cfg.services.forEach(function (s) { services[s.code] = s.name; });
  (state.waitingList || []).forEach(function (t) {
    select.appendChild(el("option", { value: String(t.id) },
      t.code + " · " + (services[t.service] || t.service) + " · " + clockTime(t.queued_at)));
  });
  $("dlg-specific").querySelector("input[name=reason]").value = "";
  var dlg = openDialog("dlg-specific");
  if (!select.options.length) dialogError(dlg, T["specific.none"]);
}

/* Dialog submissions: the dialog stays open (with the error inside it) until the server agrees. */
var submits = {
  finish: function (form) {
    var cur = state.current;
    var picked = form.querySelector("input[name=outcome]:checked");
    if (!picked) throw new HttpError(T["finish.pick"], 0);
    var note = form.note.value.trim();
    var label = picked.parentNode.querySelector(".dc-outcome-name").textContent;
    var opensRecord = picked.dataset.opensRecord === "1";
    var thenNext = state.finishThenNext;
    return api("POST", ticketPath(cur.id, "finish"), { outcome: picked.value, note: note || null }).then(function (t) {
      show(fmt("ok.finished", { code: t.code, outcome: label }), "ok");
      if (opensRecord) {
        show(T["ok.record"], "ok");
        window.location.assign(cfg.urls.record_new + "?ticket=" + encodeURIComponent(t.id));
        return;
      }
      state.current = null;
      if (thenNext) return callNext();
    });
  },
  transfer: function (form) {
    var cur = state.current;
    var service = form.service.value, desk = form.desk.value, note = form.note.value.trim();
    if (!service && !desk) throw new HttpError(T["transfer.pick"], 0);
    // Say where: the desk when one was named (it is the narrower target), else the service.
    var where = desk ? { key: "ok.transferred_desk", select: form.desk } : { key: "ok.transferred_service", select: form.service };
    var name = where.select.options[where.select.selectedIndex].textContent;
    return api("POST", ticketPath(cur.id, "transfer"), { service: service || null, desk: desk || null, note: note || null })
      .then(function (t) { show(fmt(where.key, { code: t.code, name: name }), "ok"); });
  },
  pause: function (form) {
    var preset = form.querySelector("input[name=preset]:checked");
    var reason = (preset && preset.value) || form.other.value.trim();
    if (!reason) throw new HttpError(T["pause.reason"] + "?", 0);
    return api("POST", deskPath("pause"), { reason: reason }).then(function () { show(T["ok.paused"], "ok"); });
  },
  specific: function (form) {
    var id = parseInt(form.ticket.value, 10), reason = form.reason.value.trim();
    if (!id || !reason) throw new HttpError(T["specific.pick"], 0);
    return api("POST", deskPath("call"), { ticket_id: id, reason: reason }).then(function (t) {
      state.current = t;
      show(fmt("ok.called", { code: t.code }), "ok");
    });
  },
  close: function () {
    return api("POST", deskPath("close")).then(function () { window.location.assign(cfg.urls.home); });
  },
  absent: function () {
    var cur = state.current;
    return api("POST", ticketPath(cur.id, "no-show")).then(function (gone) {
      state.current = null;
      return api("POST", deskPath("call-next")).then(function (next) {
        if (next === null) { show(fmt("ok.no_show", { code: gone.code }) + " " + T["nobody_waits"], "info"); return; }
        state.current = next;
        show(fmt("ok.no_show_next", { code: gone.code, next: next.code }), "ok");
      });
    });
  },
};

Array.prototype.forEach.call(document.querySelectorAll("dialog form[data-submit]"), function (form) {
  var dlg = form.closest("dialog");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.busy) return;
    state.busy = true;
    var submitBtn = form.querySelector("button[type=submit]");
    submitBtn.disabled = true;
    render();
    Promise.resolve().then(function () { return submits[form.dataset.submit](form); })
      .then(function () { if (dlg.open) dlg.close(); })
      .catch(function (err) { dialogError(dlg, err.message || String(err)); })
      .then(function () { state.busy = false; submitBtn.disabled = false; return refresh(); })
      .then(render);
  });
  form.querySelectorAll("[data-close]").forEach(function (b) { b.addEventListener("click", function () { dlg.close(); }); });
});
/* In the outcome dialog the digits pick an outcome, so finishing is "F, 1, Enter". */
$("dlg-finish").addEventListener("keydown", function (event) {
  if ((event.target.tagName || "").toLowerCase() === "textarea") return;
  var n = /^Digit([1-9])$/.exec(event.code);
  if (n) {
    var input = $("dlg-finish").querySelectorAll("input[name=outcome]")[parseInt(n[1], 10) - 1];
    if (input) { input.checked = true; input.focus(); event.preventDefault(); }
  } else if (event.key === "Enter" && event.target.name === "outcome") {
    event.preventDefault();
    $("finish-submit").click();
  }
});
// Typing an "other" pause reason selects that choice.
var other = $("dlg-pause").querySelector("input[name=other]");
other.addEventListener("input", function () { $("dlg-pause").querySelector("input[name=preset][value='']").checked = true; });

// --- buttons and keys ------------------------------------------------------------------------------

document.querySelectorAll("[data-action]").forEach(function (btn) {
  btn.addEventListener("click", function () { if (!btn.disabled) actions[btn.dataset.action](); });
});

/* Layout-independent keys (event.code): the same physical key works with the Ukrainian layout. */
var KEYS = { KeyN: "btn-next", KeyR: "btn-recall", KeyS: "btn-start", KeyF: "btn-finish", KeyX: "btn-no-show",
             KeyT: "btn-transfer", KeyC: "btn-specific" };
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
  if (document.querySelector("dialog[open]")) return;
  var tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select") return;
  var id = event.code === "KeyP" ? (state.desk.status === "paused" ? "btn-resume" : "btn-pause") : KEYS[event.code];
  var btn = id && $(id);
  if (!btn || btn.disabled || btn.hidden) return;
  event.preventDefault();
  btn.click();
});

// --- live updates --------------------------------------------------------------------------------

function setLive(on) {
  state.live = on;
  $("live").dataset.live = on ? "on" : "off";
  $("live").textContent = on ? T["live.on"] : T["live.off"];
}

if (window.io) {
  var socket = window.io("/desk", { auth: { office: OFFICE } });
  socket.on("connect", function () { setLive(true); scheduleRefresh(); });
  socket.on("disconnect", function () { setLive(false); });
  socket.on("signed_out", function () { location.reload(); });  // rights withdrawn: sign in again, or see the new ones
  socket.on("connect_error", function () { setLive(false); });
  socket.on("snapshot", function (snap) { if (snap.office === OFFICE) applyQueue(snap, false); });
  socket.on("queue", function (hint) { if (hint.version > state.version) scheduleRefresh(); });
  socket.on("suspended", function () { scheduleRefresh(); });
  socket.on("resumed", function () { scheduleRefresh(); });
  socket.on("alerts", function () { scheduleRefresh(); });  // the office's open alerts changed
}
setInterval(function () { if (!state.live && !state.busy) refresh(); }, POLL_MS);
setInterval(tick, 1000);

refresh().then(function () { $("btn-next").focus(); });
