# What scripts/run.sh and scripts/hub.sh both need before they start (from the project folder):
#   source scripts/setup-venv.sh [MODULE...]    (MODULE: what must import, default: course)
# - the project's virtual environment (.venv), made on the first run; the project is installed
#   again only when pyproject.toml changed since the last install (or a MODULE does not import):
#   a workshop room or a hub's server often has no Internet, and an installed machine must start
#   without it. pip's long output goes to .venv/installation.log: the person at the terminal
#   reads a few French lines, and the end of that log when something fails;
# - Debian packages, installed when we may (root, or sudo without a password): python3-venv
#   (Debian's python3 has no venv without it), DejaVu fonts (PDFs with accents: CV, sign-in
#   cards) and eSpeak NG (« Écouter » on devices without a French voice).

_setup_fail() {
  echo "Erreur : $1" >&2
  if [ -s .venv/installation.log ]; then
    echo "Fin du journal d'installation (.venv/installation.log) :" >&2
    tail -n 15 .venv/installation.log >&2
  fi
  exit 1
}

# Install Debian packages when we may; returns non-zero when we may not or it failed.
_setup_apt() {
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
    sudo="sudo"
  fi
  command -v apt-get >/dev/null || return 1
  $sudo apt-get update -qq >/dev/null 2>&1 &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

if ! command -v python3 >/dev/null; then
  _setup_fail "Python 3 est introuvable. Installez-le (Debian, Ubuntu : apt install python3 python3-venv), puis relancez."
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  _setup_fail "il faut Python 3.11 ou plus récent (ici : $(python3 --version 2>&1))."
fi
if [ ! -x .venv/bin/python ]; then
  python3 -c 'import ensurepip' 2>/dev/null || _setup_apt python3-venv || true
  rm -rf .venv # what a failed attempt may have left
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    _setup_fail "impossible de créer l'environnement Python (.venv). Sur Debian ou Ubuntu, installez le paquet python3-venv (apt install python3-venv), puis relancez."
  fi
fi
_setup_modules="${*:-course}"
if ! cmp -s pyproject.toml .venv/.installed-pyproject ||
  ! .venv/bin/python -c "import ${_setup_modules// /, }" 2>/dev/null; then
  echo "Installation du logiciel dans .venv (la première fois : quelques minutes, avec Internet)…"
  : >.venv/installation.log
  .venv/bin/python -m pip install --upgrade pip >>.venv/installation.log 2>&1 ||
    _setup_fail "pip n'a pas pu se mettre à jour (pas d'accès à Internet ?). Relancez la même commande une fois connecté."
  .venv/bin/python -m pip install -e . >>.venv/installation.log 2>&1 ||
    _setup_fail "l'installation a échoué (pas d'accès à Internet ?). Relancez la même commande une fois connecté."
  cp pyproject.toml .venv/.installed-pyproject
  echo "✔ Logiciel installé."
fi
unset _setup_modules

_setup_missing=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || _setup_missing+=(fonts-dejavu-core)
command -v espeak-ng >/dev/null || _setup_missing+=(espeak-ng)
if [ ${#_setup_missing[@]} -gt 0 ] && ! _setup_apt "${_setup_missing[@]}"; then
  echo "Attention : installez les paquets ${_setup_missing[*]} (PDF avec accents, lecture à voix haute)." >&2
fi
unset _setup_missing
