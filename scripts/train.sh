#!/usr/bin/env bash
# Trains the Rasa model when the training data, domain or config changed since the last training.
# Usage: scripts/train.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mkdir -p .run

fingerprint() {
  { cat config.yml; find domain data rasa_components -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort | xargs cat; } \
    | sha256sum | cut -c1-16
}

# One training at a time: a second call waits for the first, then finds the model up to date.
mkdir -p models
exec 9>models/.train.lock
flock 9

want="$(fingerprint)"
have="$(cat models/.fingerprint 2>/dev/null || true)"
if [ "${1:-}" != "--force" ] && [ "$want" = "$have" ] && ls models/*.tar.gz >/dev/null 2>&1; then
  say "Rasa model is up to date ($(ls -t models/*.tar.gz | head -1))"
  exit 0
fi
say "training the Rasa model (data, domain or config changed)"
t0=$SECONDS
mkdir -p models
# Train into a scratch folder and move the model into place at the end, so a server or test
# that is using models/ keeps a model for the whole training.
scratch="$(mktemp -d "models/.training.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" SQLALCHEMY_SILENCE_UBER_WARNING=1 \
  .venv-rasa/bin/rasa train --domain domain --data data --config config.yml --out "$scratch" \
  --fixed-model-name fernhill >.run/train.log 2>&1 || { tail -n 40 .run/train.log; die "rasa train failed (full log: .run/train.log)"; }
for old in models/*.tar.gz; do
  [ -e "$old" ] && [ "$old" != "models/fernhill.tar.gz" ] && rm -f "$old"
done
mv -f "$scratch/fernhill.tar.gz" models/fernhill.tar.gz
echo "$want" > models/.fingerprint
say "trained in $((SECONDS - t0)) s: models/fernhill.tar.gz"
