// On-screen keypad for booking codes (no physical keyboard). The server gives the alphabet
// booking codes are made of, so the keypad offers no key that cannot be part of a code.
//
// Backspace (⌫) is a key of the grid, last after the letters, where a finger ends a code; "clear
// all" is not on the keypad at all (it sits by the code field, kiosk/templates/kiosk/page.html),
// so a slip of the finger costs one symbol, never the whole code.

import { el } from "/static/js/shared/dom.js";

export const MAX_CODE = 12;
export const MIN_CODE = 4;

const ERASE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 5h11v14H9l-6-7z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M12 9l5 6M17 9l-5 6" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';

export class Keypad {
  constructor(container, { onChange, eraseLabel, eraseHint, alphabet = "23456789ABCEHKMPTX" }) {
    this.value = "";
    this.onChange = onChange;
    const symbols = alphabet.split("");
    const DIGITS = symbols.filter((ch) => /[0-9]/.test(ch));
    const LETTERS = symbols.filter((ch) => !/[0-9]/.test(ch));
    const digits = el("div", "keys digits");
    digits.style.setProperty("--cols", String(DIGITS.length));
    digits.append(...DIGITS.map((ch) => this.key(ch, ch, () => this.type(ch), "key digit")));
    const letters = el("div", "keys letters");
    // Two rows of letters; backspace takes two cells at the end of the second.
    letters.style.setProperty("--cols", String(Math.ceil((LETTERS.length + 2) / 2)));
    letters.append(...LETTERS.map((ch) => this.key(ch, ch, () => this.type(ch), "key")));
    this.erase = this.key("erase", "", () => this.backspace(), "key erase");
    this.erase.innerHTML = `${ERASE_ICON}<span class="erase-label"></span>`;
    this.setEraseLabel(eraseLabel, eraseHint);
    letters.append(this.erase);
    container.replaceChildren(digits, letters);
  }

  key(name, label, action, className) {
    const button = el("button", { type: "button", class: className, "data-key": name }, label);
    button.addEventListener("click", action);
    return button;
  }

  setEraseLabel(label, hint) {
    this.erase.setAttribute("aria-label", hint || label);
    this.erase.querySelector(".erase-label").textContent = label;
  }

  type(ch) {
    if (this.value.length >= MAX_CODE) return;
    this.set(this.value + ch);
  }

  backspace() {
    this.set(this.value.slice(0, -1));
  }

  set(value) {
    this.value = value;
    this.onChange(this.value);
  }

  get complete() {
    return this.value.length >= MIN_CODE;
  }
}
