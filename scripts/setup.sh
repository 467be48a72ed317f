#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine: Chromium (for image
# export and browser tests) and a virtual environment with the pinned packages.
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-runtime}   # runtime | dev

# Debian packages: chromium (image export, browser tests) and a Unicode font for the handout.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PY" -m venv .venv
fi
req=requirements.txt
[ "$want" = dev ] && req=requirements-dev.txt
stamp=.venv/.installed-$want
if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    echo "setup: installing $req into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
    touch "$stamp"
fi

# Test-only: axe-core (npm, pinned in package-lock.json), which the accessibility tests run in Chromium.
if [ "$want" = dev ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "setup: installing Debian package: npm"
        if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
    fi
    if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "setup: installing axe-core from package-lock.json"
        npm ci --no-audit --no-fund --loglevel=error
    fi
fi
