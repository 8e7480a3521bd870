#!/usr/bin/env bash
# Run the whole test suite. SQLite by default; PostgreSQL and Redis when
# RECEPTION_TEST_DATABASE_URL / RECEPTION_TEST_REDIS_URL name them (.ci/run does).
source "$(dirname "$0")/venv.sh"
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$rc"
