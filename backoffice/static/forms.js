// Staff forms in the product's own words and dates, whatever the browser's language.
// A browser in en-US would show <input type=date> as mm/dd/yyyy and say "Please fill out this field";
// so date fields are text fields holding dd.mm.yyyy (<input data-date>, parsed on the server by the one
// parser, reception.kernel.bounds.read_date), times are 24-hour hh:mm text (<input data-time>), and every
// constraint message comes from the catalogue (the texts ride on <body data-form-texts>).
(() => {
  const texts = JSON.parse(document.body.dataset.formTexts || "{}");
  const fill = (text, values) => (text || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
  const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
  const pad = (n) => String(n).padStart(2, "0");
  const show = (day) => `${pad(day.getDate())}.${pad(day.getMonth() + 1)}.${day.getFullYear()}`;

  function readDate(value) {
    const m = DATE.exec(value.trim());
    if (!m) return null;
    const day = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
    return day.getDate() === Number(m[1]) && day.getMonth() === Number(m[2]) - 1 ? day : null;
  }

  function plural(n, forms) { // Ukrainian: 1 символ, 2 символи, 5 символів (English: two forms)
    if (!forms) return "";
    if (forms.length < 3) return forms[n === 1 ? 0 : 1];
    const d = n % 10, h = n % 100;
    return forms[d === 1 && h !== 11 ? 0 : d >= 2 && d <= 4 && (h < 12 || h > 14) ? 1 : 2];
  }

  function message(field) {
    const v = field.validity;
    const value = (field.value || "").trim();
    if (v.valueMissing) {
      if (field.type === "checkbox" || field.type === "radio") return texts.check;
      return field.tagName === "SELECT" ? texts.choose : texts.required;
    }
    if (field.matches("[data-date]") && value && !readDate(value)) return texts.date;
    if (field.matches("[data-time]") && value && !TIME.test(value)) return texts.time;
    if (v.tooShort) return fill(texts.too_short, {n: field.minLength, unit: plural(field.minLength, texts.chars)});
    if (v.tooLong) return fill(texts.too_long, {n: field.maxLength, unit: plural(field.maxLength, texts.chars)});
    if (v.badInput) return texts.number;
    if (v.rangeUnderflow) return fill(texts.min, {min: field.min});
    if (v.rangeOverflow) return fill(texts.max, {max: field.max});
    if (v.stepMismatch) return fill(texts.step, {step: String(field.step).replace(".", texts.decimal || ".")});
    if (v.typeMismatch || v.patternMismatch) return texts.pattern;
    return "";
  }

  // The browser's own message is replaced before it shows (invalid), and the field is re-judged as it
  // changes, so a corrected field is valid again and a 31.02 is caught though it matches the pattern.
  function judge(field) {
    if (!field.setCustomValidity) return;
    field.setCustomValidity("");
    if (field.willValidate && (!field.validity.valid || field.matches("[data-date], [data-time]"))) {
      field.setCustomValidity(message(field));
    }
  }
  document.addEventListener("invalid", (event) => judge(event.target), true);
  ["input", "change"].forEach((type) => document.addEventListener(type, (event) => {
    if (event.target.form || event.target.matches?.("input, select, textarea")) judge(event.target);
  }, true));

  // dd.mm.yyyy as typed loosely: 1.2.2026 or 01022026 -> 01.02.2026 when the field is left (9:30 -> 09:30).
  document.addEventListener("blur", (event) => {
    const field = event.target;
    const time = field.matches?.("[data-time]") && TIME.exec(field.value.trim());
    if (time) field.value = `${pad(time[1])}:${time[2]}`;
    if (!field.matches?.("[data-date]")) return;
    const digits = field.value.trim();
    const m = /^(\d{2})(\d{2})(\d{4})$/.exec(digits);
    const day = readDate(m ? `${m[1]}.${m[2]}.${m[3]}` : digits);
    if (day) field.value = show(day);
    judge(field);
  }, true);

  // A small month calendar beside each date field (the browser's picker would speak its own language).
  let open = null;
  function close() {
    if (!open) return;
    open.popup.remove();
    open.button.setAttribute("aria-expanded", "false");
    open = null;
  }

  function render(state) {
    const {popup, month} = state;
    popup.replaceChildren();
    const head = document.createElement("div");
    head.className = "bo-cal-head";
    const step = (delta, label, sign) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "bo-cal-step";
      b.textContent = sign;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", (event) => {
        event.stopPropagation(); // the re-render detaches this button: the outside-click rule must not see it
        state.month = new Date(state.month.getFullYear(), state.month.getMonth() + delta, 1);
        render(state);
      });
      return b;
    };
    const title = document.createElement("span");
    title.className = "bo-cal-title";
    title.textContent = `${texts.months[month.getMonth()]} ${month.getFullYear()}`;
    head.append(step(-1, texts.prev, "‹"), title, step(1, texts.next, "›"));
    const grid = document.createElement("div");
    grid.className = "bo-cal-grid";
    texts.weekdays.forEach((w) => {
      const cell = document.createElement("span");
      cell.className = "bo-cal-wd";
      cell.textContent = w;
      grid.append(cell);
    });
    const first = (month.getDay() + 6) % 7; // Monday first
    for (let i = 0; i < first; i += 1) grid.append(document.createElement("span"));
    const chosen = readDate(state.field.value);
    const today = new Date();
    const days = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
    for (let d = 1; d <= days; d += 1) {
      const day = new Date(month.getFullYear(), month.getMonth(), d);
      const b = document.createElement("button");
      b.type = "button";
      b.className = "bo-cal-day";
      b.textContent = String(d);
      b.setAttribute("aria-label", show(day));
      if (chosen && show(chosen) === show(day)) b.setAttribute("aria-pressed", "true");
      if (show(today) === show(day)) b.classList.add("bo-cal-today");
      b.addEventListener("click", () => {
        state.field.value = show(day);
        state.field.dispatchEvent(new Event("input", {bubbles: true}));
        state.field.dispatchEvent(new Event("change", {bubbles: true}));
        close();
        state.field.focus();
      });
      grid.append(b);
    }
    popup.append(head, grid);
  }

  document.querySelectorAll("input[data-date]").forEach((field) => {
    const wrap = document.createElement("span");
    wrap.className = "bo-date";
    field.replaceWith(wrap);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "bo-date-btn";
    button.setAttribute("aria-label", texts.pick);
    button.setAttribute("aria-expanded", "false");
    button.textContent = "▦";
    wrap.append(field, button);
    button.addEventListener("click", () => {
      const again = open && open.field === field;
      close();
      if (again) return;
      const popup = document.createElement("div");
      popup.className = "bo-cal";
      popup.setAttribute("role", "dialog");
      popup.setAttribute("aria-label", texts.pick);
      const start = readDate(field.value) || new Date();
      open = {field, button, popup, month: new Date(start.getFullYear(), start.getMonth(), 1)};
      render(open);
      wrap.append(popup);
      button.setAttribute("aria-expanded", "true");
      popup.querySelector("[aria-pressed], .bo-cal-today, .bo-cal-day")?.focus();
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && open) {
      const {button} = open;
      close();
      button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (open && !event.target.closest?.(".bo-date")) close();
  });
})();
