// Formatting shared by the pages: message templates, two-digit clock parts, durations.

// "{code} — {outcome}" with params; a placeholder without a value stays as it is (visible, not "undefined").
export function fill(text, params) {
  return String(text).replace(/\{(\w+)\}/g, (match, key) => (params && key in params ? params[key] : match));
}

export const pad2 = (n) => String(n).padStart(2, "0");

// Office-local "HH:MM" of an ISO timestamp the server already wrote in the office zone; "—" for none.
export function isoClock(iso) {
  return iso ? iso.substring(11, 16) : "—";
}

// Whole seconds / minutes from an ISO instant to ``nowMs`` (never negative: clocks drift).
export function secondsSince(iso, nowMs) {
  return Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 1000));
}
export function minutesSince(iso, nowMs) {
  return Math.floor(secondsSince(iso, nowMs) / 60);
}

// "7:05" — minutes and seconds of a running stopwatch.
export function minSec(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
}

// "1 год 05 хв" / "4 хв 09 с" / "38 с" (no "0 хв") with the page's words {hours, minutes, seconds}.
export function duration(seconds, words) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (h) return `${h} ${words.hours} ${pad2(m)} ${words.minutes}`;
  if (!m) return `${sec} ${words.seconds}`;
  return `${m} ${words.minutes} ${pad2(sec)} ${words.seconds}`;
}
