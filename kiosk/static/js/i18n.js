// Two languages, switched in place: every element with data-t="key" shows messages[lang][key].

import { fill } from "/static/js/shared/format.js";

export function createI18n(messages, initial = "uk") {
  let lang = initial;

  function t(key, params = {}) {
    const text = (messages[lang] && messages[lang][key]) || messages.uk[key] || key;
    return fill(text, params);
  }

  function apply(root = document) {
    document.documentElement.lang = lang;
    root.querySelectorAll("[data-t]").forEach((el) => {
      el.textContent = t(el.dataset.t);
    });
  }

  return {
    t,
    apply,
    get lang() {
      return lang;
    },
    set lang(value) {
      lang = value === "en" ? "en" : "uk";
    },
  };
}
