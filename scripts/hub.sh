#!/usr/bin/env bash
# A hub for a network of sites (JupyterHub): set everything up (.venv, as scripts/run.sh does),
# make a sample hub with one site on the first run, then start it. Ctrl+C stops it.
# Usage: bash scripts/hub.sh [HUB_FOLDER]   (default: $COURSE_HUB, else hub/ in this folder)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Install only when the project's dependencies changed since the last install (offline starts).
stamp=.venv/.installed-pyproject
if ! cmp -s pyproject.toml "$stamp" || ! .venv/bin/python -c "import course, jupyterhub" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
  cp pyproject.toml "$stamp"
fi
export COURSE_HUB="${1:-${COURSE_HUB:-hub}}"
course=.venv/bin/course
if [ ! -f "$COURSE_HUB/hub.toml" ]; then
  "$course" hub init
  "$course" hub add-site mon-site --nom "Mon premier site"
  cat <<TEXT

Un hub d'exemple est prêt dans « $COURSE_HUB » (un site : mon-site). Pour la suite :
  1. Une formatrice, un formateur :  $course hub add-trainer marie --site mon-site --nom "Marie Dupont"
     puis son mot de passe :          $course hub set-password marie
  2. La coordination :                $course hub add-coordinator claire   (puis set-password)
  3. Un autre site :                  $course hub add-site brest --nom "Médiathèque de Brest"
  4. Pour le réseau : dans $COURSE_HUB/hub.toml, mettez ip = "0.0.0.0", les chemins du
     certificat HTTPS (ssl_cert, ssl_key) et, pour PostgreSQL, db_url.
Relancez ensuite : bash scripts/hub.sh   (avec COURSE_HUB=$COURSE_HUB si ce n'est pas « hub »)

TEXT
fi
exec "$course" hub start
