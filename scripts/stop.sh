#!/usr/bin/env bash
# Stops services started by scripts/run.sh and scripts/run_scaled.sh (from their pid files; the
# scaled profile's supervisor first, which stops its replicas and nginx itself).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
found=0
for f in .run/scaled/supervisor.pid .run/*.pid .run/scaled/*.pid; do
  [ -e "$f" ] || continue
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && say "stopped $(basename "$f" .pid) ($pid)"; found=1; fi
  rm -f "$f"
done
[ "$found" = 1 ] || say "nothing was running"
