#!/usr/bin/env bash
# Set everything up (a virtual environment in .venv) and open the learner apps with Voilà.
# Usage: bash scripts/run.sh [--host 0.0.0.0] [--port 8866]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Install only when the project's dependencies changed since the last install: a workshop room
# often has no Internet, and an installed laptop must start without it.
stamp=.venv/.installed-pyproject
if ! cmp -s pyproject.toml "$stamp" || ! .venv/bin/python -c "import course" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
  cp pyproject.toml "$stamp"
fi
# DejaVu fonts let the CV builder write PDFs with accents; eSpeak NG reads pages aloud
# (« Écouter ») for devices without a French voice. Install them when we can.
missing=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
  else
    echo "Attention : installez les paquets ${missing[*]} (CV en PDF avec accents, lecture à voix haute)." >&2
  fi
fi
exec .venv/bin/course serve "$@"
