/* The pairing code's touch keypad (the form of /pair): digits and backspace type into the code
 * field, so a kiosk or display with no keyboard pairs by touch (or a mouse click). The field stays
 * editable for a keyboard; inputmode="none" keeps a phone's on-screen keyboard from covering the keys.
 * The page's own guards (kiosk) still apply: this only wires the keys. */
(function () {
  "use strict";
  var DIGITS = 6;
  document.querySelectorAll(".pair-form").forEach(function (form) {
    var field = form.querySelector(".pair-code");
    var submit = form.querySelector(".pair-submit");
    function digits() { return field.value.replace(/\D/g, ""); }
    function update() { submit.disabled = digits().length !== DIGITS; }
    form.querySelectorAll("[data-digit]").forEach(function (key) {
      key.addEventListener("click", function () {
        if (digits().length < DIGITS) field.value = digits() + key.dataset.digit;
        update();
      });
    });
    form.querySelector("[data-erase]").addEventListener("click", function () {
      field.value = digits().slice(0, -1);
      update();
    });
    field.addEventListener("input", update);
    update();
  });
})();
