# Shared helpers for the project's shell scripts (sourced, not run).
say() { printf '\033[1;34m[fernhill]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[fernhill]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[fernhill]\033[0m %s\n' "$*" >&2; exit 1; }

# Loads .env (if present) so every script sees the same settings as the Python code.
load_env() {
  if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    source .env
    set +a
  fi
}

# wait_http URL SECONDS NAME [PID]: polls until URL answers 2xx, the process dies, or time runs out.
wait_http() {
  local url="$1" limit="$2" name="$3" pid="${4:-}" start=$SECONDS
  while (( SECONDS - start < limit )); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      say "$name is ready ($((SECONDS - start)) s)"
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      warn "$name exited while starting; see its log under .run/"
      return 1
    fi
    sleep 1
  done
  warn "$name did not answer at $url within $limit s"
  return 1
}
