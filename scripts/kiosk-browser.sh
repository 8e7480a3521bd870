#!/bin/sh
# Start Debian's Chromium as the hall's wall display or touch kiosk, hands-free:
#
#   scripts/kiosk-browser.sh DISPLAY http://reception.local:5000/display?token=…
#   scripts/kiosk-browser.sh KIOSK   http://reception.local:5000/kiosk?token=…
#
# Full screen with no way out to the desktop, sound without a first touch (a wall TV has no touch
# screen: calls are chimed and spoken as they come), no cursor, no first-run or restore bubbles,
# no background traffic to Google. See docs/devices.md.
#
# Environment: CHROMIUM (default /usr/bin/chromium), RECEPTION_BROWSER_PROFILE (a profile folder
# of its own; default ~/.cache/reception-display or -kiosk), RECEPTION_BROWSER_DRY_RUN=1 (print the
# command instead of starting it; tests use it).
set -eu

usage() {
  echo "usage: $0 DISPLAY|KIOSK URL" >&2
  exit 2
}
[ $# -eq 2 ] || usage
role=$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')
url=$2
case "$role" in display|kiosk) ;; *) usage ;; esac
case "$url" in http://*|https://*) ;; *) echo "$0: URL must start with http:// or https://" >&2; exit 2 ;; esac

chromium=${CHROMIUM:-/usr/bin/chromium}
profile=${RECEPTION_BROWSER_PROFILE:-${HOME:-/tmp}/.cache/reception-$role}

set -- \
  --kiosk --start-fullscreen --noerrdialogs --disable-infobars \
  --autoplay-policy=no-user-gesture-required \
  --no-first-run --no-default-browser-check --disable-session-crashed-bubble --hide-crash-restore-bubble \
  --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
  --disable-translate --disable-features=Translate,MediaRouter,OptimizationHints \
  --check-for-update-interval=31536000 --password-store=basic \
  --disable-pinch --overscroll-history-navigation=0 \
  --user-data-dir="$profile"
if [ "$role" = kiosk ]; then
  set -- "$@" --touch-events=enabled
fi

if [ "${RECEPTION_BROWSER_DRY_RUN:-}" = 1 ]; then
  printf '%s\n' "$chromium" "$@" "$url"
  exit 0
fi

mkdir -p "$profile"
# After a power cut Chromium would offer to "restore pages" over the display: mark a clean exit.
prefs="$profile/Default/Preferences"
if [ -f "$prefs" ]; then
  sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"[^"]*"/"exit_type":"Normal"/' "$prefs"
fi
# The pages hide the pointer themselves (cursor: none); unclutter also hides it over the first
# paint and on any desktop around them, where it is installed (apt-get install unclutter).
if command -v unclutter >/dev/null 2>&1; then
  unclutter -idle 0.1 -root >/dev/null 2>&1 &
fi
exec "$chromium" "$@" "$url"
