#!/usr/bin/env bash
# Set everything up (.venv, Debian's Chromium for the browser tests) and run every check.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# The project is installed from this pyproject.toml: scripts/run.sh need not reinstall it.
cp pyproject.toml .venv/.installed-pyproject

# System packages: Debian's Chromium for the browser tests (Playwright's own browser download
# cannot work offline), DejaVu fonts for PDFs (CV, cards) with accents, and poppler's pdftoppm,
# which the tests use to check that the PDFs render; Debian's PostgreSQL server, which the
# coordinator tests start in a temporary folder (the gradebook and workshops on one server);
# Debian's Node.js and npm for the OpenID Connect provider of the ProConnect tests (tests/oidc);
# eSpeak NG, whose French voice reads pages aloud (« Écouter ») on devices without one.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -x /usr/bin/pdftoppm ] || missing+=(poppler-utils)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v unshare >/dev/null && command -v ip >/dev/null || missing+=(util-linux iproute2)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The test provider's packages, from its package-lock.json (once: an offline rerun needs nothing).
if [ ! -d tests/oidc/node_modules ]; then
  npm ci --prefix tests/oidc --prefer-offline --no-audit --no-fund --loglevel=error
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Two workers, each test file on one of them (its module's server and fixtures start once), the
# longest files handed out first (tests/scheduling.py) so both finish together; the 25 slowest
# steps are listed at the end. `bash scripts/test.sh -n 0` runs serially.
.venv/bin/python -m pytest -n 2 --dist loadfile --durations=25 "$@"
