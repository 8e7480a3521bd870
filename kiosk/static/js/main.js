// The kiosk: start (service menu) -> priority question -> ticket; or start -> booking code -> ticket.
// State lives here; the server is asked through the JSON API only.

import { createApi, newKey, unanswered } from "./api.js";
import { installGuards } from "./guards.js";
import { createI18n } from "./i18n.js";
import { IdleTimer } from "./idle.js";
import { Keypad, MIN_CODE } from "./keypad.js";
import { pairedToken } from "./pairing.js";
import { $, el, readConfig } from "/static/js/shared/dom.js";

const config = readConfig("kiosk-config");
const i18n = createI18n(config.messages, "uk");
const deviceToken = pairedToken(config.pairing);
const api = createApi(config.api, deviceToken);
const idle = new IdleTimer();

// Up to this many services are shown on one screen, grouped under category headings (one tap);
// more than that and the menu becomes categories -> services.
const FLAT_LIMIT = 8;
// Without the server the kiosk keeps its last menu, says so, and asks again: 1, 2, 4, 8, 15 s (jittered).
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15000;
let retryTimer = null; // set while the server is out of reach: the backoff, not the poll, asks next
let retryDelay = RETRY_FIRST_MS;
// A ticket request whose answer is lost is sent again with the same key, after these pauses;
// if all fail, a new tap on the same choice within PENDING_MS reuses the key (never two tickets).
const ISSUE_RETRIES_MS = [1000, 2000, 4000];
const PENDING_MS = 2 * 60 * 1000;
let pending = null; // {service, priority, key, at}: a request that may have made a ticket

const state = {
  screen: "start",
  menu: null,
  category: null, // id of the open category (tree menu only)
  service: null, // the service chosen, waiting for the priority answer
  ticket: null,
  busy: false, // a request that issues a ticket is in flight: taps are ignored (no double tickets)
};

// Whether the kiosk offers tickets now: within hours and not suspended (air-raid alert, blackout).
function offering() {
  return !!(state.menu && state.menu.open && !state.menu.suspended);
}

function show(screen) {
  state.screen = screen;
  document.body.dataset.screen = screen;
  for (const section of document.querySelectorAll(".screen")) {
    section.hidden = section.id !== `screen-${screen}`;
  }
  $("footer").hidden = screen !== "start" || !offering();
  hideIdleWarning();
  armIdle();
  window.scrollTo(0, 0);
  document.querySelector(`#screen-${screen}`).scrollTop = 0;
  if (screen === "start") fitMenu();
}

function setBusy(on, textKey = "busy") {
  state.busy = on;
  $("busy-text").textContent = i18n.t(textKey);
  $("busy").hidden = !on;
}

function dialog(titleKey, text) {
  $("dialog-title").textContent = i18n.t(titleKey);
  $("dialog-text").textContent = text;
  $("dialog").hidden = false;
  $("dialog").querySelector("button").focus();
}

// --- the menu ---------------------------------------------------------------------------------

async function loadMenu() {
  const answer = await api.menu(i18n.lang);
  if (answer.status === 401 || answer.status === 403) {
    location.reload(); // the device was revoked: the server shows the "not paired" page
    return;
  }
  if (!answer.ok || !answer.data) {
    // Keep serving the last menu rather than nothing, with a notice; a first load has none.
    $("offline").hidden = !!state.menu;
    setConnectionNotice(!!state.menu);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(loadMenu, retryDelay * (0.75 + Math.random() * 0.5)); // jitter: not all at once
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
    return;
  }
  clearTimeout(retryTimer);
  retryTimer = null;
  retryDelay = RETRY_FIRST_MS;
  $("offline").hidden = true;
  setConnectionNotice(false);
  state.menu = answer.data;
  if (state.screen === "start") $("footer").hidden = !offering(); // before the menu is fitted
  renderMenu();
  if (state.screen === "priority") renderPriority();
}

// The strip takes room from the menu: the menu is fitted again when it comes or goes.
function setConnectionNotice(on) {
  if ($("connection").hidden === !on) return;
  $("connection").hidden = !on;
  fitMenu();
}

function subtree(categoryId) {
  const { categories, services } = state.menu;
  const ids = new Set([categoryId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of categories) {
      if (c.parent !== null && ids.has(c.parent) && !ids.has(c.id)) {
        ids.add(c.id);
        grew = true;
      }
    }
  }
  return services.filter((s) => ids.has(s.category));
}

function serviceTile(service) {
  const tile = el("button", `tile service${service.available ? "" : " unavailable"}`);
  tile.type = "button";
  tile.dataset.service = service.code;
  const main = el("span", "tile-main");
  main.append(el("span", "tile-name", service.name));
  if (service.available) {
    if (service.description) main.append(el("span", "tile-desc", service.description));
  } else {
    main.append(el("span", "tile-unavailable", service.unavailable_message));
  }
  tile.append(main);
  if (service.available) tile.append(serviceStats(service));
  tile.addEventListener("click", () => chooseService(service));
  return tile;
}

function serviceStats(service) {
  const stats = el("span", "tile-stats");
  if (service.served_now === false) {
    // Nobody serves it now (decision 034): said on the tile, and no wait is promised.
    stats.classList.add("unserved");
    if (service.waiting) stats.append(el("span", "stat-waiting", `${service.waiting} ${i18n.t("waiting")}`));
    stats.append(el("span", "stat-unserved", i18n.t("unserved_tile")));
    return stats;
  }
  if (!service.waiting) {
    stats.classList.add("free");
    stats.append(el("span", "stat-free", i18n.t("wait_none")));
    return stats;
  }
  const line = (value, label) => {
    const row = el("span", "stat");
    row.append(el("b", "stat-value", value), el("span", "stat-label", label));
    return row;
  };
  stats.append(line(String(service.waiting), i18n.t("waiting")));
  if (service.eta_min) stats.append(line(i18n.t("wait_about", { m: service.eta_min }), i18n.t("wait_label")));
  return stats;
}

function section(title, tiles) {
  const block = el("div", "menu-section");
  // In landscape a group takes as many of the menu's columns as it has tiles (kiosk.css), so its
  // tiles sit side by side instead of running off the bottom of a wide, short screen.
  block.style.setProperty("--span2", String(Math.min(tiles.length, 2)));
  block.style.setProperty("--span3", String(Math.min(tiles.length, 3)));
  if (title) block.append(el("h2", "menu-group", title));
  block.append(...tiles);
  return block;
}

function categoryTile(category, count) {
  const tile = el("button", "tile category");
  tile.type = "button";
  tile.dataset.category = category.code;
  const main = el("span", "tile-main");
  main.append(el("span", "tile-name", category.name), el("span", "tile-desc", i18n.t("services_count", { n: count })));
  tile.append(main, el("span", "tile-chevron", "›"));
  tile.addEventListener("click", () => {
    state.category = category.id;
    renderMenu();
    armIdle();
  });
  return tile;
}

let resumeTimer = null;

function renderSuspended(suspended) {
  $("suspended-panel").hidden = !suspended;
  clearTimeout(resumeTimer);
  if (!suspended) return;
  // A scheduled resume happens without any event (decision 012): ask again at its minute.
  if (suspended.resume_at) {
    resumeTimer = setTimeout(loadMenu, Math.max(Date.parse(suspended.resume_at) - Date.now(), 0) + 1500);
  }
  $("suspended-title").textContent = suspended.title;
  $("suspended-text").textContent = suspended.body || suspended.message;
  $("suspended-resume").textContent = suspended.resume_message || "";
  $("suspended-resume").hidden = !suspended.resume_message;
}

function renderMenu() {
  const menu = state.menu;
  const container = $("menu");
  const open = offering();
  container.replaceChildren();
  renderSuspended(menu.suspended);
  $("closed-panel").hidden = menu.open || !!menu.suspended;
  container.hidden = !open;
  document.querySelector(".screen-head .k-hint").hidden = !open;
  $("closed-text").textContent = menu.closed_message || "";
  const hours = (config.hours && config.hours[i18n.lang]) || [];
  $("closed-hours-list").replaceChildren(...hours.map((line) => el("li", null, line)));
  $("closed-hours").hidden = !hours.length;
  $("start-title").hidden = !open;
  document.querySelector('[data-action="category-up"]').hidden = state.category === null || !open;
  if (!open) return;

  const categories = menu.categories;
  if (menu.services.length <= FLAT_LIMIT) {
    state.category = null;
    const loose = menu.services.filter((s) => !categories.some((c) => c.id === s.category));
    if (loose.length) container.append(section(null, loose.map(serviceTile)));
    for (const category of categories) {
      const inside = menu.services.filter((s) => s.category === category.id);
      if (inside.length) container.append(section(category.name, inside.map(serviceTile)));
    }
    fitMenu();
    return;
  }
  const parent = state.category;
  const current = categories.find((c) => c.id === parent);
  const tiles = [];
  for (const category of categories.filter((c) => c.parent === parent)) {
    const inside = subtree(category.id);
    if (inside.length === 1) tiles.push(serviceTile(inside[0])); // a category of one: skip a tap
    else if (inside.length > 1) tiles.push(categoryTile(category, inside.length));
  }
  const here = menu.services.filter((s) =>
    parent === null ? !categories.some((c) => c.id === s.category) : s.category === parent,
  );
  tiles.push(...here.map(serviceTile));
  container.append(section(current ? current.name : null, tiles));
  fitMenu();
}

// The whole menu should be seen at once: if it runs past the screen, tiles get tighter, step by
// step (kiosk.css: 1 no hint, 2 tighter tiles, 3 one-line descriptions, 4 none). If it still does
// not fit, a cue at the bottom says there is more below, until the visitor has scrolled to the end.
const DENSITY_LEVELS = 4;

function fitMenu() {
  const screen = $("screen-start");
  if (screen.hidden) return; // measured when shown
  const overflows = () => screen.scrollHeight > screen.clientHeight + 1;
  let level = 0;
  screen.dataset.density = "0";
  while (overflows() && level < DENSITY_LEVELS) {
    level += 1;
    screen.dataset.density = String(level);
  }
  updateMoreCue();
}

function updateMoreCue() {
  const screen = $("screen-start");
  const more = $("menu-more");
  const below = screen.scrollHeight - screen.clientHeight - screen.scrollTop;
  more.hidden = !(state.menu && state.menu.open) || below <= more.offsetHeight + 2;
}

function categoryUp() {
  const current = state.menu.categories.find((c) => c.id === state.category);
  state.category = current ? current.parent : null;
  renderMenu();
}

// --- choosing a service and the priority question ---------------------------------------------

function chooseService(service) {
  if (state.busy) return;
  if (!service.available) {
    dialog("unavailable_title", service.unavailable_message || i18n.t("error_generic"));
    return;
  }
  state.service = service;
  if (!state.menu.priority_categories.length) {
    issue(null);
    return;
  }
  renderPriority();
  show("priority");
}

function renderPriority() {
  const service = state.menu.services.find((s) => s.code === (state.service && state.service.code));
  if (service) state.service = service; // the name in the current language
  $("chosen-service").textContent = i18n.t("service_chosen", { name: state.service ? state.service.name : "" });
  const list = $("priority-list");
  list.replaceChildren();
  for (const category of state.menu.priority_categories) {
    const button = el("button", "priority", category.name);
    button.type = "button";
    button.dataset.priority = category.code;
    button.addEventListener("click", () => issue(category.code));
    list.append(button);
  }
}

// The tap's key: the one of a request that got no answer for the same choice, if recent, else new.
function tapKey(service, priority) {
  const same = pending && pending.service === service && pending.priority === priority;
  if (same && Date.now() - pending.at < PENDING_MS) return pending.key;
  return newKey();
}

async function issue(priority) {
  if (state.busy || !state.service) return;
  const service = state.service.code;
  priority = priority || null;
  const key = tapKey(service, priority);
  pending = { service, priority, key, at: Date.now() };
  setBusy(true, "busy");
  let answer = await api.issue(service, priority, i18n.lang, key);
  for (const pause of ISSUE_RETRIES_MS) {
    if (!unanswered(answer)) break;
    setBusy(true, "busy_reconnecting");
    await new Promise((resolve) => setTimeout(resolve, pause));
    answer = await api.issue(service, priority, i18n.lang, key);
  }
  setBusy(false);
  if (!unanswered(answer)) pending = null; // answered: that key is spent, either way
  if (answer.status === 201 && answer.data) {
    showTicket(answer.data);
    return;
  }
  handleFailure(answer, null);
  loadMenu(); // availability may have changed (limit reached, hours over)
}

function problemText(answer, fallbackKey) {
  const detail = answer.data && typeof answer.data.detail === "string" ? answer.data.detail : "";
  return detail || i18n.t(fallbackKey);
}

function handleFailure(answer, fallbackKey) {
  if (answer.status === 401 || answer.status === 403) {
    location.reload();
  } else if (answer.data && answer.data.code === "office_suspended") {
    show("start"); // the start screen says why, once the menu is reloaded
    dialog("error_title", problemText(answer, "error_generic"));
    loadMenu();
  } else if (unanswered(answer)) {
    dialog("error_title", i18n.t("error_network"));
  } else if (answer.status === 409 || answer.status === 429 || (answer.status === 404 && !fallbackKey)) {
    dialog("error_title", problemText(answer, fallbackKey || "error_generic"));
  } else {
    dialog("error_title", i18n.t(fallbackKey || "error_generic"));
  }
}

// --- the ticket -------------------------------------------------------------------------------

function showTicket(ticket) {
  state.ticket = ticket;
  state.service = null;
  renderTicket();
  const qr = $("ticket-qr");
  qr.hidden = false;
  qr.onerror = () => {
    qr.hidden = true;
  };
  qr.src = config.qr.replace("TOKEN", encodeURIComponent(ticket.public_token));
  show("ticket");
}

function renderTicket() {
  const ticket = state.ticket;
  if (!ticket) return;
  $("ticket-code").textContent = ticket.code;
  $("ticket-service").textContent = i18n.lang === "en" ? ticket.service_name_en || ticket.service_name_uk : ticket.service_name_uk;
  $("ticket-ahead").textContent = ticket.position ? String(ticket.position) : i18n.t("people_none");
  // The core words the estimate as a range ("15–25 хв", "скоро"); a booked visitor has none, and
  // nobody is promised a wait while nobody serves the service (decision 034).
  const unserved = ticket.served_now === false;
  $("ticket-eta").textContent = unserved ? i18n.t("eta_unknown")
    : ticket.eta_text || (ticket.eta_min ? i18n.t("eta_value", { m: ticket.eta_min }) : i18n.t("eta_soon"));
  $("ticket-unserved").hidden = !unserved;
  // A booked visitor is called to a room: the board shows the place of reception, not a window.
  $("watch-screen").textContent = i18n.t(ticket.appointment_at ? "watch_screen_room" : "watch_screen");
  const badge = $("ticket-badge");
  // A booked visitor is told their slot and room; the queue's figures are not theirs.
  $("ticket-facts").hidden = !!ticket.appointment_at;
  if (ticket.appointment_at) {
    const room = i18n.lang === "en" ? ticket.appointment_room_en || ticket.appointment_room_uk : ticket.appointment_room_uk;
    badge.textContent = i18n.t("appointment_at", { time: ticket.appointment_at.slice(11, 16) }) + (room ? `, ${room}` : "");
  } else if (ticket.priority) {
    badge.textContent = i18n.t("priority_badge");
  }
  badge.hidden = !(ticket.appointment_at || ticket.priority);
  const note = $("print-note");
  const printed = ticket.print && ticket.print.ok;
  note.className = `print-note ${printed ? "ok" : "failed"}`;
  note.textContent = printed ? i18n.t("take_ticket") : i18n.t(ticket.print ? "print_failed" : "no_printer");
  $("ticket-qr").alt = i18n.t("qr_alt");
}

// --- booking code check-in --------------------------------------------------------------------

const keypad = new Keypad($("keypad"), {
  alphabet: config.booking_code.alphabet,
  eraseLabel: i18n.t("erase"),
  eraseHint: i18n.t("erase_hint"),
  onChange(value) {
    // shown in groups of three ("K7M-4PX"), as the call-centre reads codes out; sent without the hyphen
    $("code-display").textContent = value.replace(/(.{3})(?=.)/g, "$1-");
    $("code-display").classList.toggle("empty", !value);
    document.querySelector('[data-action="checkin"]').disabled = value.length < MIN_CODE;
    document.querySelector('[data-action="clear"]').disabled = !value; // nothing to clear: not shown
    $("checkin-error").hidden = true;
  },
});

function openCheckin() {
  keypad.set("");
  show("checkin");
}

async function checkin() {
  if (state.busy || !keypad.complete) return;
  setBusy(true, "busy_checkin");
  const answer = await api.checkin(keypad.value, i18n.lang);
  setBusy(false);
  if (answer.status === 201 && answer.data) {
    showTicket(answer.data);
    return;
  }
  const error = $("checkin-error");
  if (answer.status === 404) {
    error.textContent = i18n.t("checkin_not_found");
  } else if (answer.status === 409) {
    error.textContent = problemText(answer, "checkin_conflict");
  } else if (answer.status === 422 || answer.status === 400) {
    error.textContent = i18n.t("checkin_invalid");
  } else {
    handleFailure(answer, "error_generic");
    return;
  }
  error.hidden = false;
}

// --- idle timeout -----------------------------------------------------------------------------

function hideIdleWarning() {
  $("idle-warning").hidden = true;
}

function armIdle() {
  const { ticket: ticketS, other, warn } = config.idle_s;
  if (state.screen === "ticket") {
    idle.arm(ticketS, {
      onTick: (s) => {
        $("countdown").textContent = i18n.t("returning", { s });
      },
      onExpire: endVisit,
    });
    return;
  }
  idle.arm(other, {
    onTick: (s) => {
      const atRest = state.screen === "start" && state.category === null && i18n.lang === "uk";
      const warning = $("idle-warning");
      warning.hidden = atRest || s > warn;
      if (!warning.hidden) warning.textContent = i18n.t("still_here", { s });
    },
    onExpire: endVisit,
  });
}

// The low-vision mode (high contrast, larger text): on for this visitor until the idle timeout,
// when the kiosk goes back to how it starts (the device's ?contrast= choice, or the screen's
// own "prefers more contrast" setting).
const contrastByDefault = config.contrast === "high" || matchMedia("(prefers-contrast: more)").matches;

function setContrast(on) {
  document.documentElement.dataset.contrast = on ? "high" : "normal";
  document.querySelector('[data-action="contrast"]').setAttribute("aria-pressed", String(on));
  if (state.screen === "start") fitMenu(); // larger text: the menu is fitted again
}

function toggleContrast() {
  setContrast(document.documentElement.dataset.contrast !== "high");
}

function endVisit() {
  setContrast(contrastByDefault);
  resetToStart();
}

function resetToStart() {
  const langChanged = i18n.lang !== "uk";
  i18n.lang = "uk"; // the next visitor starts in Ukrainian
  applyLanguage();
  $("dialog").hidden = true;
  state.category = null;
  state.service = null;
  state.ticket = null;
  if (state.menu) renderMenu();
  show("start");
  if (langChanged || state.menu) loadMenu();
}

// --- wiring -----------------------------------------------------------------------------------

function applyLanguage() {
  i18n.apply();
  document.querySelector("[data-office]").textContent = config.office[i18n.lang] || config.office.uk;
  // The button names the other language in that language («English», «Українська»): its name is its text.
  document.querySelector('[data-t="lang_switch"]').lang = i18n.lang === "uk" ? "en" : "uk";
  keypad.setEraseLabel(i18n.t("erase"), i18n.t("erase_hint"));
}

function toggleLanguage() {
  i18n.lang = i18n.lang === "uk" ? "en" : "uk";
  applyLanguage();
  $("dialog").hidden = true;
  if (state.menu) renderMenu();
  renderTicket();
  loadMenu();
}

const actions = {
  lang: toggleLanguage,
  contrast: toggleContrast,
  "to-start": resetToStart,
  "category-up": categoryUp,
  "priority-no": () => issue(null),
  "checkin-open": openCheckin,
  clear: () => keypad.set(""),
  checkin,
  "dialog-ok": () => {
    $("dialog").hidden = true;
  },
};

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || target.disabled) return;
  const action = actions[target.dataset.action];
  if (action && (!state.busy || target.dataset.action === "dialog-ok")) action();
});

$("screen-start").addEventListener("scroll", updateMoreCue, { passive: true });
window.addEventListener("resize", fitMenu);
if (document.fonts) document.fonts.ready.then(fitMenu); // the web font changes the heights

// The office's suspension (air-raid alert, blackout) is pushed over Socket.IO, as to the wall
// display, so the kiosk stops issuing (and starts again) within a second or two, not at its next
// menu poll; the poll stays the safety net. A visitor half-way through is brought back to the
// start screen, which says why.
function listenForSuspension() {
  if (typeof io !== "function") return;
  const socket = io("/kiosk", {
    auth: (send) => deviceToken().then((token) => send({ token }), () => send({})),
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,
  });
  const refresh = async () => {
    await loadMenu();
    if (state.menu && state.menu.suspended && ["priority", "checkin"].includes(state.screen) && !state.busy) {
      resetToStart();
    }
  };
  socket.on("suspended", refresh);
  socket.on("resumed", refresh);
  socket.on("connect", () => {
    if (state.menu) refresh(); // back after a cut: an event may have been missed
  });
  window.__kioskSocket = socket;
}

installGuards();
applyLanguage();
setContrast(contrastByDefault);
show("start");
loadMenu();
listenForSuspension();
setInterval(() => {
  if (state.screen === "start" && !state.busy && !retryTimer && document.visibilityState === "visible") loadMenu();
}, config.poll_s * 1000);
