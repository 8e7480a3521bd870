#!/usr/bin/env bash
# Run the product on the embedded default: SQLite in ./instance, demo office seeded, no services needed.
source "$(dirname "$0")/venv.sh"
exec .venv/bin/reception demo "$@"
