#!/usr/bin/env bash
# Creates (or checks) the project's two virtual environments from requirements/.
#   .venv-rasa/  Python 3.10, Rasa 3.6 (requirements/rasa.txt, rasa-models.txt)
#   .venv/       Python 3.11, torch first, then the rest (requirements/torch.txt, app.txt, models.txt),
#                then the project itself, editable (pip install --no-deps -e .)
#   node_modules/ the chat widget's socket.io client (npm ci from package.json + package-lock.json)
# Idempotent: each environment records the hash of its requirement files; a second run only checks.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

find_python() { # $1 = 3.10 or 3.11; prints a path or nothing
  local v="$1" c
  local candidates=("python$v")
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv root 2>/dev/null)/versions/$v"*/bin/python"$v")
  fi
  candidates+=("$HOME/.pyenv/versions/$v"*/bin/python"$v" "/usr/local/bin/python$v" "/usr/bin/python$v")
  for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    # skip pyenv shims that point to a version that is not installed
    if [ -x "$c" ] || command -v "$c" >/dev/null 2>&1; then
      if "$c" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$v'.split('.')))" 2>/dev/null; then
        command -v "$c" 2>/dev/null || echo "$c"
        return 0
      fi
    fi
  done
}

reqs_hash() { cat "$@" | sha256sum | cut -c1-16; }

make_venv() { # $1 dir, $2 python version, then requirement steps as "flags:file"
  local dir="$1" ver="$2"; shift 2
  local files=() step
  for step in "$@"; do files+=("${step#*:}"); done
  local want; want="$(reqs_hash "${files[@]}")"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.requirements-hash" 2>/dev/null)" = "$want" ]; then
    say "$dir is up to date (Python $("$dir/bin/python" -c 'import platform; print(platform.python_version())'))"
    return 0
  fi
  local py; py="$(find_python "$ver")"
  if [ -z "$py" ]; then
    die "Python $ver is needed for $dir but was not found (looked on PATH, in pyenv and /usr/bin). Install it, e.g. 'pyenv install $ver', and run again."
  fi
  say "creating $dir with $py"
  [ -x "$dir/bin/python" ] || "$py" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  for step in "$@"; do
    local flags="${step%%:*}" file="${step#*:}"
    say "  pip install $flags -r $file"
    # shellcheck disable=SC2086
    "$dir/bin/python" -m pip install -q --disable-pip-version-check $flags -r "$file" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    [ "${PIPESTATUS[0]}" = 0 ] || die "pip install -r $file failed for $dir"
  done
  echo "$want" > "$dir/.requirements-hash"
}

install_project() { # $1 = environment: the project's packages (bot, devtools, ...) importable
  # from anywhere, benchmarks started as scripts included; editable, so the code is this checkout.
  local dir="$1" root; root="$(pwd)"
  # checked from / so that this folder on sys.path does not pass for an installed project
  if (cd / && "$root/$dir/bin/python" -c "import sys, devtools; from pathlib import Path; sys.exit(Path(devtools.__file__).resolve().parents[1] != Path(sys.argv[1]))" "$root") 2>/dev/null; then
    say "$dir has the project installed (editable)"
    return 0
  fi
  say "  pip install --no-deps -e . ($dir)"
  # (the build backend's generic warning about editable installs is not for this layout)
  PYTHONWARNINGS=ignore "$dir/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e . 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  [ "${PIPESTATUS[0]}" = 0 ] || die "pip install -e . failed for $dir"
}

install_browser() {
  if command -v chromium >/dev/null 2>&1; then
    say "chromium is installed ($(chromium --version 2>/dev/null | head -1))"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "chromium is needed for browser tests; install Debian's chromium package"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing Debian's chromium and chromium-driver (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

install_widget_deps() { # the chat widget's socket.io client, served as-is from node_modules/
  command -v npm >/dev/null 2>&1 \
    || die "npm (Node.js 18 or newer) is needed for the chat widget's socket.io client; install Node.js and run again"
  local want; want="$(reqs_hash package.json package-lock.json)"
  if [ "$(cat node_modules/.fernhill-hash 2>/dev/null)" = "$want" ] \
    && [ -f node_modules/socket.io-client/dist/socket.io.esm.min.js ]; then
    say "node_modules is up to date (chat widget)"
    return 0
  fi
  say "npm ci (chat widget: socket.io client)"
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
  echo "$want" > node_modules/.fernhill-hash
}

install_balancer() { # nginx from Debian: the scaled profile's load balancer (make run-scaled, its tests)
  command -v nginx >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "nginx is needed for the scaled profile; install Debian's nginx-light"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing Debian's nginx-light (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null
}

t0=$SECONDS
make_venv .venv-rasa 3.10 ":requirements/rasa.txt" "--no-deps:requirements/rasa-models.txt"
make_venv .venv 3.11 ":requirements/torch.txt" ":requirements/app.txt" "--no-deps:requirements/models.txt"
install_project .venv
install_widget_deps
if [ "${1:-}" = "--browser" ]; then install_browser; fi
if [ "${1:-}" = "--browser" ] || [ "${1:-}" = "--scaled" ]; then install_balancer; fi
say "set-up done in $((SECONDS - t0)) s"
