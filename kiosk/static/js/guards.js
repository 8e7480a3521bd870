// A public touch screen: no context menu, no text selection, no pinch or double-tap zoom,
// no drag-and-drop of images, no browser shortcuts that would leave the kiosk.

export function installGuards() {
  const stop = (e) => e.preventDefault();
  document.addEventListener("contextmenu", stop);
  document.addEventListener("selectstart", stop);
  document.addEventListener("dragstart", stop);
  document.addEventListener("gesturestart", stop); // Safari pinch
  document.addEventListener(
    "touchmove",
    (e) => {
      if (e.touches && e.touches.length > 1) e.preventDefault(); // pinch
    },
    { passive: false },
  );
  document.addEventListener(
    "wheel",
    (e) => {
      if (e.ctrlKey) e.preventDefault(); // trackpad pinch arrives as ctrl+wheel
    },
    { passive: false },
  );
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && ["+", "-", "=", "0", "p", "s", "o"].includes(e.key.toLowerCase())) {
      e.preventDefault();
    }
  });
}
