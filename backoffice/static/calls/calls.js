// The call-centre's screen (decision 042): a call registered from the keyboard alone. The caller's earlier
// appeals appear as the phone is typed (found however it is written); what is typed is kept on the server
// as the operator's draft, so a dropped call or a crashed browser loses nothing.
import { byId, el, readConfig } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";
import { fill } from "/static/js/shared/format.js";

const config = readConfig("call-config");
const texts = config.texts;
const form = byId("call-form");
const status = byId("call-status");
const FIELDS = ["phone", "surname", "name", "patronymic", "topic", "summary", "answer", "executor_id"];
const input = (name) => form.elements.namedItem(name);
const messages = { network: texts.network, signedOut: texts.signed_out };
let earlier = [];
let draftTimer = null;
let draftInFlight = Promise.resolve();
let phoneTimer = null;
let lastPhone = "";
let escAt = 0;
let saving = false;

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("is-error", isError);
}

function radio(name) {
  const checked = form.querySelector(`input[name="${name}"]:checked`);
  return checked ? checked.value : "";
}

function setRadio(name, value) {
  const target = form.querySelector(`input[name="${name}"][value="${value}"]`);
  if (target) {
    target.checked = true;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function collect() {
  const data = {};
  for (const name of FIELDS) data[name] = input(name).value;
  data.kind = radio("kind");
  data.outcome = radio("outcome");
  data.needs_study = byId("call-needs-study").checked;
  return data;
}

function restore(data) {
  for (const name of FIELDS) if (typeof data[name] === "string" || typeof data[name] === "number") input(name).value = String(data[name]);
  if (data.kind) setRadio("kind", data.kind);
  if (data.outcome) setRadio("outcome", data.outcome);
  if (typeof data.needs_study === "boolean") byId("call-needs-study").checked = data.needs_study;
}

// --- the deadline the law gives (Art. 20): 15 days without study, else one calendar month ------------
function addMonth(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last)));
}

function deadline() {
  const today = config.today;
  if (byId("call-needs-study").checked) return addMonth(today);
  const base = new Date(`${today}T00:00:00Z`);
  base.setUTCDate(base.getUTCDate() + 15);
  return base;
}

const ddmmyyyy = (date) => date.toISOString().slice(0, 10).split("-").reverse().join(".");

function showOutcome() {
  const outcome = radio("outcome");
  byId("call-control").hidden = outcome !== "control";
  byId("call-answer-field").hidden = outcome !== "on_spot";
  byId("call-due").textContent = ddmmyyyy(deadline());
}

// --- the caller's earlier appeals ---------------------------------------------------------------------
function showRepeat() {
  const topic = input("topic").value;
  const same = topic ? earlier.find((a) => a.topic === topic) : null;
  const note = byId("call-repeat");
  note.hidden = !same;
  if (same) note.textContent = fill(texts.repeat_of, { index: same.reg_index, date: ddmmyyyy(new Date(`${same.reception_date}T00:00:00Z`)) });
  for (const item of byId("call-earlier-list").children) item.classList.toggle("is-same-topic", !!topic && item.dataset.topic === topic);
}

function showEarlier(found) {
  earlier = found ? found.appeals : [];
  const list = byId("call-earlier-list");
  list.replaceChildren();
  byId("call-earlier-none").textContent = found ? (earlier.length ? fill(texts.earlier_n, { n: earlier.length }) : texts.no_earlier) : texts.phone_first;
  for (const a of earlier) {
    const item = el("li", { "data-topic": a.topic, "data-id": String(a.id) });
    const meta = el("div", "cc-earlier-meta",
      `${a.reg_index} · ${ddmmyyyy(new Date(`${a.reception_date}T00:00:00Z`))} · ${texts[`form_${a.form}`] || a.form}`);
    const badge = el("span", `cc-badge st-${a.status}`, texts[`status_${a.status}`] || a.status);
    meta.append(" ", badge);
    item.append(meta, el("div", "cc-earlier-topic", a.topic_name || ""), el("div", "cc-earlier-summary", a.summary));
    list.append(item);
  }
  if (found && found.person && !input("surname").value && !input("name").value) {
    input("surname").value = found.person.surname || "";
    input("name").value = found.person.name || "";
    input("patronymic").value = found.person.patronymic || "";
  }
  showRepeat();
}

async function lookUp() {
  const phone = input("phone").value.trim();
  if (phone === lastPhone) return;
  lastPhone = phone;
  if ((phone.match(/\d/g) || []).length < 9) { showEarlier(null); return; }
  byId("call-earlier-none").textContent = texts.searching;
  try {
    const found = await request("GET", `/api/v1/appeals/caller?office=${encodeURIComponent(config.office)}&phone=${encodeURIComponent(phone)}`,
      undefined, { lang: config.lang, messages });
    if (input("phone").value.trim() === phone) showEarlier(found);
  } catch (error) {
    showEarlier(null);
    byId("call-earlier-none").textContent = error.message;
  }
}

// --- the draft on the server ------------------------------------------------------------------------
function saveDraft() {
  draftTimer = null;
  const data = collect();
  draftInFlight = draftInFlight.then(async () => {
    try {
      await request("PUT", "/api/v1/appeals/draft", { office: config.office, data }, { lang: config.lang, messages });
      if (!saving) say(texts.draft_saved);
    } catch (error) {
      say(`${texts.draft_failed} ${error.message}`, true);
    }
  });
  return draftInFlight;
}

function changed() {
  if (draftTimer) clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, 500);
}

async function loadDraft() {
  try {
    const draft = await request("GET", "/api/v1/appeals/draft", undefined, { lang: config.lang, messages });
    if (draft && draft.office === config.office && Object.keys(draft.data).length) {
      restore(draft.data);
      say(texts.draft_restored);
      lookUp();
    }
  } catch (_error) { /* no draft to restore: an empty form */ }
  showOutcome();
}

// --- save and clear ---------------------------------------------------------------------------------
function body() {
  const data = collect();
  const out = {
    office: config.office, form: "phone", kind: data.kind, topic: data.topic,
    questions: [data.summary], visitor: { surname: data.surname, name: data.name, patronymic: data.patronymic, phone: data.phone },
    needs_study: data.needs_study,
  };
  if (data.outcome === "consultation") Object.assign(out, { is_consultation: true, answer_method: "phone" });
  if (data.outcome === "on_spot") Object.assign(out, { answered_on_spot: true, answer_method: "phone", result: data.answer });
  if (data.outcome === "control" && data.executor_id) out.executor_id = Number(data.executor_id);
  return out;
}

function reset() {
  form.reset();
  earlier = [];
  lastPhone = "";
  showEarlier(null);
  showOutcome();
  input("phone").focus();
}

async function save() {
  if (saving) return;
  saving = true;
  if (draftTimer) { clearTimeout(draftTimer); draftTimer = null; }
  await draftInFlight;  // a draft still on its way must not outlive the saved call
  try {
    const rec = await request("POST", "/api/v1/records", body(), { lang: config.lang, messages });
    reset();
    say(fill(texts.saved, { index: rec.reg_index, date: ddmmyyyy(new Date(`${rec.deadline}T00:00:00Z`)) }));
  } catch (error) {
    say(error.message, true);
    saveDraft();
  } finally {
    saving = false;
  }
}

async function clearAll() {
  if (draftTimer) { clearTimeout(draftTimer); draftTimer = null; }
  reset();
  await draftInFlight;
  try { await request("DELETE", "/api/v1/appeals/draft", undefined, { lang: config.lang, messages }); } catch (_e) { /* kept */ }
  say(texts.cleared);
}

function book() {
  const data = collect();
  const params = new URLSearchParams();
  for (const [key, value] of [["surname", data.surname], ["name", data.name], ["patronymic", data.patronymic],
    ["phone", data.phone], ["topic", data.summary]]) if (value) params.set(key, value);
  const link = byId("call-book");
  window.open(`${link.getAttribute("href")}&${params}`, "_blank", "noopener");
}

// --- the keyboard -----------------------------------------------------------------------------------
const KINDS = { Digit1: "proposal", Digit2: "application", Digit3: "complaint" };
const OUTCOMES = { Digit4: "consultation", Digit5: "on_spot", Digit6: "control" };
const FOCUS = { Digit0: "phone", KeyT: "topic", KeyS: "summary", KeyE: "executor_id" };

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    save();
    return;
  }
  if (event.key === "Escape") {
    event.preventDefault();
    const now = Date.now();
    if (now - escAt < 1500) { escAt = 0; clearAll(); } else { escAt = now; say(texts.clear_again); }
    return;
  }
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  if (KINDS[event.code]) { event.preventDefault(); setRadio("kind", KINDS[event.code]); changed(); }
  else if (OUTCOMES[event.code]) { event.preventDefault(); setRadio("outcome", OUTCOMES[event.code]); changed(); }
  else if (FOCUS[event.code]) {
    event.preventDefault();
    const target = input(FOCUS[event.code]);
    if (FOCUS[event.code] === "executor_id") setRadio("outcome", "control");
    target.focus();
  } else if (event.code === "KeyB") { event.preventDefault(); book(); }
});

form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
form.addEventListener("input", changed);
form.addEventListener("change", (event) => {
  changed();
  if (event.target.name === "outcome" || event.target.name === "needs_study") showOutcome();
  if (event.target.name === "topic") showRepeat();
});
input("phone").addEventListener("input", () => {
  if (phoneTimer) clearTimeout(phoneTimer);
  phoneTimer = setTimeout(lookUp, 300);
});
input("phone").addEventListener("blur", lookUp);
byId("call-clear").addEventListener("click", clearAll);
byId("call-book").addEventListener("click", (event) => { event.preventDefault(); book(); });
document.body.dataset.calls = "ready";
showEarlier(null);
loadDraft();
