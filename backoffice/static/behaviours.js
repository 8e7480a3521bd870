// Small behaviours of the staff pages, wired here because the CSP allows no inline handlers.
// <select data-autosubmit>: submit its form on change. <a data-back>: go back (the href is the fallback).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form && select.form.submit());
});
document.querySelectorAll("a[data-back]").forEach((link) => {
  link.addEventListener("click", (event) => {
    if (history.length > 1) {
      event.preventDefault();
      history.back();
    }
  });
});
