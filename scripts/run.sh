#!/usr/bin/env bash
# Runs the assistant: set-up if needed, train if needed, then the action server, the Rasa server
# and the web app. Waits until each is ready, prints where to chat, stops everything on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
load_env

bash scripts/setup.sh
bash scripts/train.sh

ACTION_PORT="${FERNHILL_ACTION_PORT:-5055}"
RASA_PORT="${FERNHILL_RASA_PORT:-5005}"
WEB_HOST="${FERNHILL_WEB_HOST:-127.0.0.1}"
WEB_PORT="${FERNHILL_WEB_PORT:-8000}"
mkdir -p .run var
TOKEN_FILE=var/rasa-api-token
if [ -z "${FERNHILL_RASA_TOKEN:-}" ]; then
  [ -s "$TOKEN_FILE" ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > "$TOKEN_FILE")
  FERNHILL_RASA_TOKEN="$(cat "$TOKEN_FILE")"
fi
export FERNHILL_RASA_TOKEN FERNHILL_RASA_URL="http://127.0.0.1:$RASA_PORT"
# Token of the action server's POST /knowledge/reload (python -m bot kb reload reads the same file).
ACTION_TOKEN_FILE=var/action-api-token
if [ -z "${FERNHILL_ACTION_API_TOKEN:-}" ]; then
  [ -s "$ACTION_TOKEN_FILE" ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > "$ACTION_TOKEN_FILE")
  FERNHILL_ACTION_API_TOKEN="$(cat "$ACTION_TOKEN_FILE")"
fi
export FERNHILL_ACTION_API_TOKEN FERNHILL_ACTION_URL="http://127.0.0.1:$ACTION_PORT"
# Token Rasa sends with every action call (endpoints.yml); the action server refuses calls without it.
WEBHOOK_TOKEN_FILE=var/action-webhook-token
if [ -z "${FERNHILL_ACTION_WEBHOOK_TOKEN:-}" ]; then
  [ -s "$WEBHOOK_TOKEN_FILE" ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > "$WEBHOOK_TOKEN_FILE")
  FERNHILL_ACTION_WEBHOOK_TOKEN="$(cat "$WEBHOOK_TOKEN_FILE")"
fi
export FERNHILL_ACTION_WEBHOOK_TOKEN
# Only the demo shop and the shop's pages (FERNHILL_ALLOWED_ORIGINS, comma-separated) may reach
# Rasa's socket.io channel from a browser.
RASA_CORS="http://$WEB_HOST:$WEB_PORT ${FERNHILL_ALLOWED_ORIGINS:-http://localhost:$WEB_PORT}"
RASA_CORS="${RASA_CORS//,/ }"

for port in "$ACTION_PORT" "$RASA_PORT" "$WEB_PORT"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    die "port $port is already in use (is the assistant already running? try 'make stop')"
  fi
done

pids=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f .run/*.pid
  say "stopped"
}
trap stop_all INT TERM EXIT

start() { # name, log, command...
  local name="$1" log="$2"; shift 2
  "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  echo "$pid" > ".run/$name.pid"
  LAST_PID=$pid
}

t0=$SECONDS
say "preparing the shop database"
.venv/bin/python -m bot db init
say "bringing the app database (ratings, knowledge gaps, handoff console) to the newest schema"
.venv/bin/python -m bot app-db upgrade \
  || die "the app database could not be upgraded (the reason is above); no service was started"
say "preparing the knowledge index (rebuilt only if the knowledge base changed)"
.venv/bin/python -m bot kb build
say "preparing the reply generator (joined, checked and converted once; later starts take seconds)"
.venv/bin/python -m bot generator prepare

start actions .run/actions.log .venv/bin/python -m actions.server --port "$ACTION_PORT"
wait_http "http://127.0.0.1:$ACTION_PORT/health" 120 "action server" "$LAST_PID" || exit 1

export ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT/webhook"
start rasa .run/rasa.log env PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 \
  .venv-rasa/bin/rasa run --model models --endpoints endpoints.yml --credentials credentials.yml \
  --enable-api --auth-token="$FERNHILL_RASA_TOKEN" --interface 127.0.0.1 --port "$RASA_PORT" \
  --cors $RASA_CORS
wait_http "http://127.0.0.1:$RASA_PORT/" 180 "Rasa server" "$LAST_PID" || exit 1
# The action server loads the index and the reply generator in the background; /ready says when.
wait_http "http://127.0.0.1:$ACTION_PORT/ready" 300 "reply generator" "$(cat .run/actions.pid)" || exit 1

start web .run/web.log .venv/bin/python -m bot web --host "$WEB_HOST" --port "$WEB_PORT"
wait_http "http://127.0.0.1:$WEB_PORT/health" 60 "web app" "$LAST_PID" || exit 1
# Retention limits (docs/privacy.md): what is past its FERNHILL_RETENTION_*_DAYS is purged now
# and then once a day while the assistant runs.
start purge .run/purge.log bash -c 'trap "kill \$! 2>/dev/null; exit 0" TERM
  while true; do .venv/bin/python -m bot privacy purge || echo "purge failed; retried tomorrow"; sleep 86400 & wait $!; done'
# The generator's speed measured at its start often shared the cores with Rasa loading; measured
# again now that they are free (nothing is done when the first measurement had them to itself).
if speed="$(curl -fsS --max-time 120 -X POST -H "Authorization: Bearer $FERNHILL_ACTION_API_TOKEN" \
      "http://127.0.0.1:$ACTION_PORT/generator/measure" 2>/dev/null | .venv/bin/python -c '
import json, sys
body = json.load(sys.stdin); g = body["generator"]
print("off" if body["status"] == "disabled" else "%s: %s ms per prompt token, %s ms per new token, from %s" % (
    body["status"], g["prompt_ms_per_token"], g["ms_per_new_token"], g["speed_basis"]))')"; then
  say "reply generator speed $speed"
else
  warn "could not ask the action server to measure the reply generator's speed (its replies will tell it)"
fi

say "all services ready in $((SECONDS - t0)) s"
say "chat with the assistant: http://$WEB_HOST:$WEB_PORT/"
say "agents' console: http://$WEB_HOST:$WEB_PORT/console (first admin: .venv/bin/python -m bot console create-admin)"
say "logs: .run/actions.log .run/rasa.log .run/web.log — press Ctrl-C to stop"
# Exit (and stop the others) as soon as any service dies.
wait -n "${pids[@]}" || true
warn "a service stopped unexpectedly; see the logs under .run/"
