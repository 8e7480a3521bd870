#!/usr/bin/env bash
# Run the whole test suite. SQLite by default; PostgreSQL and Redis when
# RECEPTION_TEST_DATABASE_URL / RECEPTION_TEST_REDIS_URL name them (.ci/run does).
source "$(dirname "$0")/venv.sh"
# Browser tests drive Debian's Chromium (never a downloaded browser); install it when we can.
if [ ! -x "${RECEPTION_CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
fi
# The e-mail intake's tests run Debian's dovecot as a process of their own (never a daemon on port 143).
if ! command -v dovecot >/dev/null && ! [ -x /usr/sbin/dovecot ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's dovecot-imapd for the e-mail intake's tests" >&2
  (apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null) || true
fi
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$rc"
