// The "not paired" page is still a public touch screen: the same guards as the kiosk itself.
// Re-pairing from localStorage is shared with the wall display (/static/js/repair.js).
import { installGuards } from "./guards.js";

installGuards();
