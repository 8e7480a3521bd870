// Reception-office pages: copy confirmation texts, and the leader's desk actions through the JSON API.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy)?.textContent || "";
      try {
        await navigator.clipboard.writeText(text);
      } catch (_err) {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
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

  const panels = document.querySelectorAll("[data-desk-actions]");
  if (!panels.length) return;

  async function api(path, body) {
    const response = await fetch(`/api/v1${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {}),
    });
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || response.statusText);
    return data;
  }

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

  // Check-ins arrive while the leader works: refresh the list quietly when nothing is being typed.
  setInterval(() => {
    const active = document.activeElement;
    if (!active || !["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName)) window.location.reload();
  }, 30000);
})();
