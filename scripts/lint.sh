#!/usr/bin/env bash
# Static checks CI runs before the suites: ruff, the import contracts (pyproject.toml), mypy.
source "$(dirname "$0")/venv.sh"
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/mypy
