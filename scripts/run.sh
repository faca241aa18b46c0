#!/usr/bin/env bash
# Set everything up (a virtual environment in .venv) and open the learner apps with Voilà.
# Usage: bash scripts/run.sh [--host 0.0.0.0] [--port 8866]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/course serve "$@"
