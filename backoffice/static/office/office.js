// Reception-office pages: copy confirmation texts, and the leader's desk actions through the JSON API.
import { byId } from "/static/js/shared/dom.js";
import { request } from "/static/js/shared/http.js";

(function () {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = byId(button.dataset.copy)?.textContent || "";
      try {
        await navigator.clipboard.writeText(text);
      } catch (_err) {
        const range = document.createRange();
        range.selectNodeContents(byId(button.dataset.copy));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
      }
      const label = button.textContent;
      button.textContent = button.dataset.done;
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  });

  // The rule form: "how often" reads as a whole phrase that agrees with the chosen weekday
  // ("перший понеділок місяця", "перша середа місяця"), relabelled from the server's phrases.
  document.querySelectorAll("select[data-rule-phrases]").forEach((often) => {
    const weekday = often.form?.querySelector("select[data-rule-weekday]");
    if (!weekday) return;
    const phrases = JSON.parse(often.dataset.rulePhrases);
    const relabel = () => {
      const texts = phrases[weekday.value] || {};
      Array.from(often.options).forEach((option) => { option.textContent = texts[option.value] || option.textContent; });
    };
    weekday.addEventListener("change", relabel);
    relabel();
  });

  // A step that cannot be undone (ending a reception rule) asks first, in the page.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.confirmed === "1") return;
      event.preventDefault();
      askToConfirm(form);
    });
  });

  function askToConfirm(form) {
    const dialog = byId("confirm-dialog");
    if (!dialog) { form.dataset.confirmed = "1"; form.requestSubmit(); return; }
    dialog.querySelector("[data-confirm-text]").textContent = form.dataset.confirm;
    const yes = dialog.querySelector("[data-confirm-yes]");
    const no = dialog.querySelector("[data-confirm-no]");
    const close = () => { yes.onclick = null; no.onclick = null; dialog.close(); };
    yes.onclick = () => {
      close();
      form.dataset.confirmed = "1";
      const confirmed = form.querySelector("input[name=confirmed]");
      if (confirmed) confirmed.value = "1";
      form.requestSubmit();
    };
    no.onclick = close;
    dialog.showModal();
    no.focus();
  }

  const panels = document.querySelectorAll("[data-desk-actions]");
  if (!panels.length) return;

  const api = (path, body) => request("POST", `/api/v1${path}`, body || {});

  panels.forEach((desk) => desk.addEventListener("click", async (event) => {
    const status = desk.querySelector(".desk-status");
    const show = (message) => { status.textContent = message; status.hidden = !message; };
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    event.preventDefault();
    const code = desk.dataset.desk;
    const ticket = desk.dataset.ticket;
    button.disabled = true;
    try {
      if (button.dataset.action === "call") {
        const called = await api(`/desks/${encodeURIComponent(code)}/call-next`);
        if (called === null) { show(desk.dataset.nobody); button.disabled = false; return; }
      } else if (button.dataset.action === "open") {
        await api(`/desks/${encodeURIComponent(code)}/open`);
      } else if (button.dataset.action === "recall") {
        await api(`/tickets/${ticket}/recall`);
      } else if (button.dataset.action === "no-show") {
        await api(`/tickets/${ticket}/no-show`);
      } else if (button.dataset.action === "finish") {
        const select = desk.querySelector(".finish-outcome");
        const outcome = select.value;
        if (!outcome) {  // no default: the leader picks what happened
          show(desk.dataset.pickOutcome);
          button.disabled = false;
          select.focus();
          return;
        }
        const note = desk.querySelector(".finish-note").value.trim();
        await api(`/tickets/${ticket}/finish`, note ? { outcome, note } : { outcome });
        if (select.selectedOptions[0]?.dataset.opensRecord === "1") {
          window.location.assign(`${desk.dataset.recordUrl}?ticket=${ticket}`);
          return;
        }
      }
      window.location.reload();
    } catch (err) {
      show(err.message);
      button.disabled = false;
    }
  }));

  // Check-ins arrive while the leader works: refresh the list quietly when nothing is being typed
  // and nothing typed would be lost (a note written, then a click elsewhere, stays).
  let edited = false;
  document.addEventListener("input", () => { edited = true; });
  setInterval(() => {
    const active = document.activeElement;
    const typing = active && ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName);
    if (!typing && !edited) window.location.reload();
  }, 30000);
})();
