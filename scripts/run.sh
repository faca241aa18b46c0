#!/usr/bin/env bash
# Set everything up (scripts/setup-venv.sh: .venv, fonts, eSpeak NG) and open the learner apps
# with Voilà.
# Usage: bash scripts/run.sh [--host 0.0.0.0] [--port 8866]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh course
exec .venv/bin/course serve "$@"
