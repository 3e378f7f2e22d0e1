#!/usr/bin/env bash
# Runs the assistant in the scaled profile on this machine (docs/scaling.md): N Rasa replicas,
# M action servers and K web apps behind nginx, conversations in PostgreSQL, Rasa's locks and the
# widget's sockets in Redis, every event to RabbitMQ. Set-up and training as `make run`; then
# prepares the databases and the index, starts everything and stops it all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
load_env

bash scripts/setup.sh --scaled
bash scripts/train.sh
command -v nginx >/dev/null 2>&1 \
  || die "nginx is needed as the load balancer: apt-get install nginx-light (scripts/setup.sh --scaled does it)"
exports="$(.venv/bin/python -m bot.scale env)" || die "the scaled profile's settings are wrong (the reason is above)"
eval "$exports"
for engine in "PostgreSQL $FERNHILL_PG_HOST $FERNHILL_PG_PORT" "Redis $FERNHILL_REDIS_HOST $FERNHILL_REDIS_PORT" \
              "RabbitMQ $FERNHILL_RABBITMQ_HOST $FERNHILL_RABBITMQ_PORT"; do
  read -r name host port <<<"$engine"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null \
    || die "$name does not answer on $host:$port (its settings: docs/scaling.md)"
done

mkdir -p .run/scaled var
for name in rasa-api-token action-api-token action-webhook-token; do
  [ -s "var/$name" ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > "var/$name")
done
export FERNHILL_RASA_TOKEN="${FERNHILL_RASA_TOKEN:-$(cat var/rasa-api-token)}"
export FERNHILL_ACTION_API_TOKEN="${FERNHILL_ACTION_API_TOKEN:-$(cat var/action-api-token)}"
export FERNHILL_ACTION_WEBHOOK_TOKEN="${FERNHILL_ACTION_WEBHOOK_TOKEN:-$(cat var/action-webhook-token)}"

say "creating the scaled profile's PostgreSQL databases if missing"
.venv/bin/python -m bot.scale databases
say "preparing the shop database"
.venv/bin/python -m bot db init
say "bringing the app database to the newest schema"
.venv/bin/python -m bot app-db upgrade \
  || die "the app database could not be upgraded (the reason is above); no service was started"
say "preparing the knowledge index (rebuilt only if the knowledge base changed)"
.venv/bin/python -m bot kb build
say "preparing the reply generator"
.venv/bin/python -m bot generator prepare

say "starting $FERNHILL_ACTION_REPLICAS action servers, $FERNHILL_RASA_REPLICAS Rasa replicas, $FERNHILL_WEB_REPLICAS web apps and nginx"
exec .venv/bin/python -m bot.scale run --run-dir .run/scaled
