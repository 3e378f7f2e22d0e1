#!/usr/bin/env bash
# Shows whether each service answers.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
load_env
check() { if curl -fsS -o /dev/null --max-time 2 "$2"; then say "$1: up ($2)"; else warn "$1: down ($2)"; fi; }
check "action server" "http://127.0.0.1:${FERNHILL_ACTION_PORT:-5055}/health"
check "Rasa server" "http://127.0.0.1:${FERNHILL_RASA_PORT:-5005}/"
check "web app" "http://127.0.0.1:${FERNHILL_WEB_PORT:-8000}/health"
