// Element helpers shared by every page (kiosk, display, desk console, office pages).
// Text goes in through textContent only: no markup from data, nothing for the strict CSP to refuse.

export const byId = (id) => document.getElementById(id);
export const $ = byId;

// el("span", "dc-badge", text) sets the class; el("input", {type: "radio", ...}, text) sets attributes.
// A null/undefined text leaves the node empty.
export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  if (typeof attrs === "string") {
    if (attrs) node.className = attrs;
  } else if (attrs) {
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  }
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// The page's configuration: a <script type="application/json" id="..."> block written by the server.
export function readConfig(id) {
  return JSON.parse(byId(id).textContent);
}
