/* The manager's live hall view (backoffice/hall): draws the read model of GET /api/v1/offices/{code}/hall,
   refetches it on every hint of the /hall Socket.IO namespace (debounced) and ticks the durations
   between fetches. Text only through textContent (no markup from data); no inline script (strict CSP). */
import { el, readConfig } from "/static/js/shared/dom.js";
import { duration as formatDuration } from "/static/js/shared/format.js";
import { request } from "/static/js/shared/http.js";

const config = readConfig("hall-config");
var W = config.words;
var root = document.getElementById("hall");
var view = null, fetchedAt = 0, seq = 0, shown = 0, timer = null, firstHint = 0;

function duration(s) { return formatDuration(s, W); }
function elapsed() { return (Date.now() - fetchedAt) / 1000; }
function name(o) { return config.lang === "en" ? (o.name_en || o.name_uk) : o.name_uk; }
function flag(text) { return el("span", "hl-flag", "\u26a0 " + text); }

function serviceRow(s) {
  var tr = el("tr", "hl-svc");
  tr.dataset.service = s.code;
  tr.appendChild(el("td", "hl-name", s.prefix + " · " + name(s)));
  tr.appendChild(el("td", "hl-num hl-count", String(s.waiting)));
  var longest = el("td", "hl-num hl-longest", s.longest_wait_s === null ? W.nobody : "");
  if (s.longest_wait_s !== null) {
    longest.dataset.base = s.longest_wait_s;
    longest.dataset.grow = view.suspended ? "0" : "1";  // suspended time is not waiting
    if (s.target_wait_min !== null) longest.dataset.target = s.target_wait_min * 60;
  }
  tr.appendChild(longest);
  tr.appendChild(el("td", "hl-num", s.target_wait_min === null ? W.no_target : s.target_wait_min + " " + W.minutes));
  tr.appendChild(el("td", "hl-state"));
  if (s.unserved) tr.dataset.unserved = "1";  // someone waits and no open desk offers it: nobody will call them
  return tr;
}

function deskItem(d) {
  var li = el("li", "hl-desk hl-desk-" + d.state);
  li.dataset.desk = d.code;
  li.dataset.state = d.state;
  li.appendChild(el("span", "hl-desk-name", name(d)));
  var state = el("span", "hl-desk-state", W["state_" + d.state]);
  // "Викликає К-003" / "Обслуговує К-003"; a desk paused with someone still at it says so too.
  if (d.ticket) state.appendChild(el("strong", "hl-ticket", " " + d.ticket));
  if (d.ticket && d.state === "paused") state.appendChild(el("span", "hl-ticket-status", " (" + W["ticket_" + d.ticket_status] + ")"));
  li.appendChild(state);
  if (d.pause_reason) li.appendChild(el("span", "hl-desk-reason", d.pause_reason));
  if (d.seconds !== null && d.state !== "closed") {
    var t = el("span", "hl-desk-time hl-tick");
    t.dataset.base = d.seconds;
    t.dataset.grow = "1";
    li.appendChild(t);
  }
  return li;
}

function deviceItem(k) {
  var li = el("li", "hl-kiosk" + (k.alarm ? " is-alarm" : k.problem ? " is-warn" : ""));
  li.dataset.device = k.id;
  li.dataset.kind = k.kind;
  var label = el("span", "hl-kiosk-name", k.name);
  label.appendChild(el("span", "hl-kind bo-muted", " · " + W["kind_" + k.kind]));
  li.appendChild(label);
  if (k.problem) li.appendChild(flag(W["problem_" + k.problem]));
  else li.appendChild(el("span", "hl-ok", "\u2713 " + W.kiosk_ok));
  var seen = el("span", "hl-seen bo-muted");
  if (k.last_seen_at) {
    seen.dataset.base = Math.max(0, (Date.parse(view.now) - Date.parse(k.last_seen_at)) / 1000);
    seen.dataset.grow = "1";
    seen.dataset.prefix = W.last_seen + " ";
    seen.dataset.suffix = " " + W.ago;
    seen.classList.add("hl-tick");
  } else {
    seen.textContent = W.never;
  }
  li.appendChild(seen);
  if (!k.printer && k.kind === "kiosk") li.appendChild(el("span", "hl-printer bo-muted", W.no_printer));
  return li;
}

function fill(id, nodes, empty) {
  var box = document.getElementById(id);
  box.textContent = "";
  nodes.forEach(function (n) { box.appendChild(n); });
  if (!nodes.length && empty) box.appendChild(el("li", "bo-muted", empty));
}

function accuracy(a) {
  var box = document.getElementById("hall-accuracy");
  box.textContent = "";
  if (!a.n) {  // a <dd> needs its <dt>: "samples — none yet" (no estimate is given while nobody serves)
    var none = el("div", "hl-acc-item");
    none.appendChild(el("dt", "", W.samples));
    none.appendChild(el("dd", "bo-muted", W.no_samples));
    box.appendChild(none);
    return;
  }
  [[W.mae, a.mae_min + " " + W.minutes], [W.inside, a.inside_pct + " %"], [W.samples, String(a.n)]]
    .forEach(function (pair) {
      var d = el("div", "hl-acc-item");
      d.appendChild(el("dt", "", pair[0]));
      d.appendChild(el("dd", "", config.lang === "uk" ? pair[1].replace(".", ",") : pair[1]));
      box.appendChild(d);
    });
}

/* The office's open alerts (decision 040), most urgent first; none: the strip is hidden. */
function alertItem(a) {
  var li = el("li", "hl-alert hl-alert-" + a.severity);
  li.dataset.kind = a.kind;
  li.appendChild(el("span", "hl-alert-sev", W["alert_" + a.severity] || a.severity));
  li.appendChild(el("strong", "hl-alert-title", a["title_" + config.lang] || a.title_uk));
  li.appendChild(el("span", "hl-alert-text", a["text_" + config.lang] || a.text_uk));
  li.appendChild(el("span", "hl-alert-since bo-muted", W.alert_since + " " + String(a.since).slice(11, 16)));
  return li;
}

function alerts(list) {
  var sorted = (list || []).slice().sort(function (a, b) {
    return (a.severity === "critical" ? 0 : 1) - (b.severity === "critical" ? 0 : 1);
  });
  document.getElementById("hall-alerts-box").hidden = !sorted.length;
  fill("hall-alerts", sorted.map(alertItem));
}

/* Today's ratings of finished visits: how many, and their mean with one decimal ("4,3"). */
function satisfaction(sat) {
  var box = document.getElementById("hall-satisfaction");
  box.textContent = "";
  var mean = sat.mean === null ? W.sat_none : sat.mean.toLocaleString(config.lang === "uk" ? "uk-UA" : "en-GB",
    { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  [[W.sat_mean, mean], [W.sat_responses, String(sat.responses)]].forEach(function (pair) {
    var d = el("div", "hl-acc-item");
    d.appendChild(el("dt", "", pair[0]));
    d.appendChild(el("dd", sat.mean === null && pair[0] === W.sat_mean ? "bo-muted" : "", pair[1]));
    box.appendChild(d);
  });
}

/* Today's appeals of every form (decision 042): how many came, how, and what is overdue now. */
function appeals(a) {
  var box = document.getElementById("hall-appeals");
  box.textContent = "";
  if (!a) return;
  [[W.ap_total, a.total], [W.ap_phone, a.by_form.phone], [W.ap_email, a.by_form.email],
   [W.ap_letter, a.by_form.letter], [W.ap_personal_reception, a.by_form.personal_reception],
   [W.ap_consultations, a.consultations], [W.ap_on_spot, a.on_spot], [W.ap_repeat, a.repeat],
   [W.ap_overdue, a.overdue]].forEach(function (pair) {
    var d = el("div", "hl-acc-item" + (pair[0] === W.ap_overdue && pair[1] ? " is-alarm" : ""));
    d.appendChild(el("dt", "", pair[0]));
    d.appendChild(el("dd", "", String(pair[1] || 0)));
    box.appendChild(d);
  });
}

function render(v) {
  view = v;
  fetchedAt = Date.now();
  root.dataset.version = v.version;
  fill("hall-services", v.services.map(serviceRow));
  fill("hall-desks", v.desks.map(deskItem));
  fill("hall-kiosks", v.devices.map(deviceItem), W.no_devices);
  accuracy(v.accuracy);
  if (v.satisfaction) satisfaction(v.satisfaction);
  appeals(v.appeals);
  var banner = document.getElementById("hall-suspended");
  banner.hidden = !v.suspended;
  if (v.suspended) banner.textContent = "\u26a0 " + W.suspended + ": " + (v.suspended["title_" + config.lang] || "") +
    (v.suspended.by === "feed" ? " (" + W.suspended_by_feed + ")" : "");
  alerts(v.alerts);
  tick();
}

/* Durations grow from the figures of the last fetch; an alarm past a target appears as it is crossed. */
function tick() {
  if (!view) return;
  var grown = elapsed(), over = 0;
  root.querySelectorAll("[data-base]").forEach(function (node) {
    var s = Number(node.dataset.base) + (node.dataset.grow === "1" ? grown : 0);
    node.textContent = (node.dataset.prefix || "") + duration(s) + (node.dataset.suffix || "");
    var row = node.parentNode;
    if (!row.classList.contains("hl-svc")) return;
    var late = node.dataset.target !== undefined && s > Number(node.dataset.target);
    var nobody = row.dataset.unserved === "1", cell = row.querySelector(".hl-state"), key = late + "/" + nobody;
    row.classList.toggle("is-alarm", late || nobody);
    if (cell.dataset.shown !== key) {
      cell.dataset.shown = key;
      cell.textContent = "";
      if (nobody) cell.appendChild(flag(W.unserved));
      if (late) cell.appendChild(flag(W.over_target));
      if (!nobody && !late && node.dataset.target !== undefined) cell.appendChild(el("span", "hl-ok", "\u2713 " + W.within_target));
    }
    over += (late ? 1 : 0) + (nobody ? 1 : 0);
  });
  var alarms = over + view.devices.filter(function (k) { return k.alarm; }).length;
  var summary = document.getElementById("hall-summary");
  summary.className = "hl-summary" + (alarms ? " is-alarm" : "");
  summary.textContent = alarms ? "\u26a0 " + W.attention + ": " + alarms : "\u2713 " + W.all_well;
}

function refetch() {
  timer = null;
  firstHint = 0;
  var mine = ++seq;
  request("GET", "/api/v1/offices/" + encodeURIComponent(config.office) + "/hall")
    .then(function (v) {
      if (mine < shown) return;  // an older request answered late
      shown = mine;
      document.getElementById("hall-stale").hidden = true;
      render(v);
    })
    .catch(function () { document.getElementById("hall-stale").hidden = false; });
}

/* Hints come in bursts (a call moves several things): wait for a quiet 300 ms, never more than 1.5 s. */
function hinted() {
  var now = Date.now();
  if (!firstHint) firstHint = now;
  if (timer) clearTimeout(timer);
  timer = setTimeout(refetch, now - firstHint > 1200 ? 0 : 300);
}

render(config.view);
setInterval(tick, 1000);
setInterval(refetch, 60000);  // a kiosk or display going silent sends no event: look again every minute
if (window.io) {
  var socket = window.io("/hall", { auth: { office: config.office } });
  var live = document.getElementById("hall-live");
  socket.on("connect", function () { live.dataset.live = "on"; });
  socket.on("disconnect", function () { live.dataset.live = "off"; });
  socket.on("signed_out", function () { location.reload(); });  // rights withdrawn: sign in again, or see the new ones
  socket.on("ready", hinted);
  socket.on("hint", hinted);
}
