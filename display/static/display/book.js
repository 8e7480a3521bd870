/* The public booking page: office -> service -> day -> time -> name and contact -> code -> booking.
 * Talks only to the public booking API; every text comes from the server's catalogue (book-config). */
import { $, el, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

const cfg = readConfig("book-config");
const L = cfg.labels, lang = cfg.lang;
const messages = { network: L.network };
const state = { office: null, service: null, day: null, at: null, requestId: null, verifyBy: "sms", remote: false };

function pick(obj, field) { return obj[field + "_" + lang] || obj[field + "_uk"] || ""; }
function pad(n) { return String(n).padStart(2, "0"); }
function dmy(y, m, d) { return `${pad(d)}.${pad(m)}.${y}`; }
function iso(y, m, d) { return `${y}-${pad(m)}-${pad(d)}`; }

function alertShow(text) {
  const box = $("alert");
  box.textContent = text || "";
  box.hidden = !text;
  if (text) box.scrollIntoView({ block: "nearest" });
}

function show(step) {
  for (const id of ["step-choose", "step-who", "step-code", "step-done", "step-cancel", "step-remote",
    "step-remote-done"]) $(id).hidden = id !== step;
  $("intro").hidden = step !== "step-choose";
}

function office() { return cfg.offices.find((o) => o.code === state.office); }
function service() { return office().services.find((s) => s.code === state.service); }

// The office's today, from the server's clock, in the office's time zone.
function officeToday(tz) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(cfg.today));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return Date.UTC(get("year"), get("month") - 1, get("day"));
}

function radio(group, value, text, onPick) {
  const id = `${group}-${value}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const input = el("input", { type: "radio", name: group, id, value });
  input.addEventListener("change", () => onPick(value));
  const label = el("label", { for: id, class: "choice" });
  label.append(input, el("span", null, text));
  return label;
}

function renderOffices() {
  const select = $("office");
  select.replaceChildren(...cfg.offices.map((o) => el("option", { value: o.code }, pick(o, "name"))));
  select.addEventListener("change", () => chooseOffice(select.value));
  if (cfg.offices.length) chooseOffice(cfg.offices[0].code);
}

function chooseOffice(code) {
  state.office = code; state.service = null; state.day = null; state.at = null;
  $("services").replaceChildren(...office().services.map((s) => radio("service", s.code, pick(s, "name"), chooseService)));
  $("days-box").hidden = true; $("times-box").hidden = true;
}

function chooseService(code) {
  state.service = code; state.day = null; state.at = null;
  const start = officeToday(office().timezone);
  const days = [];
  for (let i = 0; i <= service().days_ahead; i++) {
    const d = new Date(start + i * 86400000);
    const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1, day = d.getUTCDate();
    const weekday = cfg.weekdays[(d.getUTCDay() + 6) % 7];
    days.push(radio("day", iso(y, m, day), `${weekday} ${dmy(y, m, day)}`, chooseDay));
  }
  $("days").replaceChildren(...days);
  $("days-box").hidden = false; $("times-box").hidden = true;
  $("remote-box").hidden = !service().remote_queue;
}

async function remoteSend(event) {
  event.preventDefault();
  alertShow("");
  const contact = $("remote-contact").value.trim();
  if (!contact) { alertShow(L.required); $("remote-contact").focus(); return; }
  const body = { office: state.office, service: state.service, lang };
  body[contact.includes("@") ? "email" : "phone"] = contact;
  $("remote-send").disabled = true;
  try {
    const answer = await request("POST", "/api/v1/public/remote-tickets", body, { lang, messages });
    state.requestId = answer.request_id; state.remote = true;
    $("code-hint").textContent = answer.verify_by === "email" ? L.code_hint_email : L.code_hint_sms;
    show("step-code");
    $("code").focus();
  } catch (error) {
    alertShow(error.message);
  } finally {
    $("remote-send").disabled = false;
  }
}

async function remoteDone(place) {
  $("remote-code").textContent = place.code;
  $("remote-qr").src = `/book/qr/${encodeURIComponent(place.code)}.svg`;
  $("remote-qr").alt = `${L.qr_alt} ${place.code}`;
  show("step-remote-done");
  $("remote-code").focus();
  try {
    const status = await request("GET", `/api/v1/public/remote-tickets/${encodeURIComponent(place.public_token)}`,
      undefined, { lang, messages });
    $("remote-ahead").textContent = L.remote_ahead.replace("{ahead}", status.ahead).replace("{minutes}", status.come_within_min);
  } catch (error) {
    alertShow(error.message);
  }
}

async function chooseDay(day, keepAlert = false) {
  state.day = day; state.at = null;
  if (keepAlert !== true) alertShow("");
  $("times").replaceChildren(el("span", "muted", L.loading));
  $("times-box").hidden = false; $("no-time").hidden = true;
  try {
    const q = new URLSearchParams({ office: state.office, service: state.service, date: day });
    const slots = await request("GET", `/api/v1/public/slots?${q}`, undefined, { lang, messages });
    const free = slots.filter((s) => s.free > 0);
    $("times").replaceChildren(...free.map((s) => radio("time", s.at, s.at.substring(11, 16), chooseTime)));
    $("no-time").hidden = free.length > 0;
  } catch (error) {
    $("times").replaceChildren();
    alertShow(error.message);
  }
}

function chooseTime(at) {
  state.at = at;
  state.verifyBy = service().verify_by;
  const [y, m, d] = state.day.split("-");
  $("chosen").textContent = `${pick(service(), "name")} — ${d}.${m}.${y} ${at.substring(11, 16)}`;
  $("contact-hint").textContent = state.verifyBy === "email" ? L.contact_hint_email : L.contact_hint_sms;
  $(state.verifyBy === "email" ? "email" : "phone").required = true;
  const leadership = service().kind === "leadership";  // a personal reception: the appeal's topic too
  $("topic-box").hidden = !leadership;
  $("topic").required = leadership;
  show("step-who");
  $("surname").focus();
}

async function send(event) {
  event.preventDefault();
  alertShow("");
  const need = ["surname", "name", state.verifyBy === "email" ? "email" : "phone"];
  if (service().kind === "leadership") need.push("topic");
  const missing = need.find((id) => !$(id).value.trim());
  if (missing || !$("consent").checked) {
    alertShow(L.required);
    $(missing || "consent").focus();
    return;
  }
  const visitor = { surname: $("surname").value.trim(), name: $("name").value.trim() };
  if ($("phone").value.trim()) visitor.phone = $("phone").value.trim();
  if ($("email").value.trim()) visitor.email = $("email").value.trim();
  const body = { office: state.office, service: state.service, at: state.at, visitor, consent: true, lang };
  if (service().kind === "leadership") body.topic = $("topic").value.trim();
  $("send").disabled = true;
  try {
    const answer = await request("POST", "/api/v1/public/bookings", body, { lang, messages });
    state.requestId = answer.request_id;
    $("code-hint").textContent = answer.verify_by === "email" ? L.code_hint_email : L.code_hint_sms;
    show("step-code");
    $("code").focus();
  } catch (error) {
    alertShow(error.message);
    if (error.code === "slot_taken") { show("step-choose"); chooseDay(state.day, true); }
  } finally {
    $("send").disabled = false;
  }
}

async function confirm(event) {
  event.preventDefault();
  alertShow("");
  const code = $("code").value.replace(/\D/g, "");
  if (code.length !== 6) { alertShow(L.required); $("code").focus(); return; }
  $("confirm").disabled = true;
  try {
    if (state.remote) {
      const place = await request("POST", `/api/v1/public/remote-tickets/${encodeURIComponent(state.requestId)}/confirm`,
        { code }, { lang, messages });
      await remoteDone(place);
      return;
    }
    const booked = await request("POST", `/api/v1/public/bookings/${encodeURIComponent(state.requestId)}/confirm`,
      { code }, { lang, messages });
    $("booking-code").textContent = booked.booking_code;
    const [y, m, d] = booked.at.substring(0, 10).split("-");
    $("booked-when").textContent = `${pick(service(), "name")}: ${d}.${m}.${y} ${booked.at.substring(11, 16)}`;
    $("qr").src = `/book/qr/${encodeURIComponent(booked.booking_code)}.svg`;
    $("qr").alt = `${L.qr_alt} ${booked.booking_code}`;
    const q = new URLSearchParams({ cancel: booked.booking_code, token: booked.cancel_token, lang });
    $("cancel-link").href = `/book?${q}`;
    show("step-done");
    $("booking-code").focus();
  } catch (error) {
    alertShow(error.message);
    if (error.code === "code_dead" || error.code === "slot_taken") show("step-choose");
  } finally {
    $("confirm").disabled = false;
  }
}

async function cancel(code, token) {
  alertShow("");
  $("cancel-do").disabled = true;
  try {
    await request("POST", `/api/v1/public/bookings/${encodeURIComponent(code)}/cancel`, { cancel_token: token },
      { lang, messages });
    $("cancel-state").hidden = false;
    $("cancel-do").hidden = true;
  } catch (error) {
    alertShow(error.message);
    $("cancel-do").disabled = false;
  }
}

function start() {
  const params = new URLSearchParams(location.search);
  if (params.get("cancel") && params.get("token")) {
    $("cancel-code").textContent = params.get("cancel");
    $("cancel-do").addEventListener("click", () => cancel(params.get("cancel"), params.get("token")));
    show("step-cancel");
    return;
  }
  $("booking-code").tabIndex = -1;
  $("step-who").addEventListener("submit", send);
  $("step-code").addEventListener("submit", confirm);
  $("back").addEventListener("click", () => show("step-choose"));
  $("remote-start").addEventListener("click", () => { show("step-remote"); $("remote-contact").focus(); });
  $("remote-back").addEventListener("click", () => show("step-choose"));
  $("step-remote").addEventListener("submit", remoteSend);
  renderOffices();
  show("step-choose");
}

start();
