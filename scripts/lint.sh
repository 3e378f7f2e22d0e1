#!/usr/bin/env bash
# The linters and type checks (configured in pyproject.toml and eslint.config.mjs):
#   ruff      lint + import order, and the formatter's check, on all Python
#   mypy      --strict on bot/; the checked defaults on actions/ (.venv) and on
#             rasa_components/ + rasa_channels/ against the Rasa environment (.venv-rasa)
#   eslint    the widget's and the console's JavaScript
# Runs every check, then fails if any failed. `make lint` runs it; so does the test command.
# Needs the environments (scripts/setup.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

failed=()
check() { # NAME COMMAND...
  local name="$1"; shift
  say "lint: $name"
  if ! "$@"; then failed+=("$name"); fi
}

check "ruff check" .venv/bin/ruff check .
check "ruff format" .venv/bin/ruff format --check .
check "mypy --strict bot" .venv/bin/mypy --strict bot
check "mypy actions" .venv/bin/mypy actions
check "mypy rasa_components rasa_channels" .venv/bin/mypy --python-executable .venv-rasa/bin/python \
  --python-version 3.10 rasa_components rasa_channels
check "eslint" node_modules/.bin/eslint bot/web eslint.config.mjs

if [ "${#failed[@]}" -gt 0 ]; then
  warn "lint failed: ${failed[*]}"
  exit 1
fi
say "lint passed"
