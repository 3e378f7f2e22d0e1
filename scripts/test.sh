#!/usr/bin/env bash
# Runs the whole test suite: set-up, the linters and type checks, training if needed, Rasa data
# validation and test stories,
# the Rasa-side unit tests, then every Python test (unit + integration with real servers).
# Extra arguments go to the final pytest run, e.g. scripts/test.sh -m unit
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mkdir -p .run
t0=$SECONDS

bash scripts/setup.sh --browser  # browser tests drive Debian's chromium
status=0
say "linters and type checks, beside the training (its log follows the training's)"
bash scripts/lint.sh >.run/lint.log 2>&1 &
lint=$!
bash scripts/train.sh
wait "$lint" || status=1
cat .run/lint.log

say "Rasa-side unit tests (.venv-rasa)"
PYTHONPATH="$PWD" .venv-rasa/bin/python -m pytest -q -p no:cacheprovider -c pytest.ini -o addopts="" --confcutdir=tests/unit tests/unit/rasa_components tests/unit/rasa_channels

say "Python tests (.venv)"
.venv/bin/python -m pytest --durations=25 "$@" || status=$?
say "test run finished in $((SECONDS - t0)) s"
exit "$status"
