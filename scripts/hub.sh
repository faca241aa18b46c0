#!/usr/bin/env bash
# A hub for a network of sites (JupyterHub): set everything up (scripts/setup-venv.sh), make a
# sample hub with one site on the first run and say what to do next, then start it. Ctrl+C
# stops it.
# Usage: bash scripts/hub.sh [HUB_FOLDER]   (default: $COURSE_HUB, else hub/ in this folder)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh course jupyterhub
export COURSE_HUB="${1:-${COURSE_HUB:-hub}}"
course=.venv/bin/course
if [ ! -f "$COURSE_HUB/hub.toml" ]; then
  "$course" hub init >/dev/null
  "$course" hub add-site mon-site --nom "Mon premier site" >/dev/null
  # The commands below must name the hub's folder when it is not the default one.
  dossier=""
  [ "$COURSE_HUB" = hub ] || dossier=" --dossier $COURSE_HUB"
  cat <<TEXT

Un hub d'exemple est prêt dans le dossier « $COURSE_HUB » : un site, « Mon premier site »
(identifiant mon-site), visible de cet ordinateur seulement. Il démarre ci-dessous.

Pendant qu'il tourne, ouvrez un autre terminal dans ce dossier pour la suite :
  1. Une personne qui anime, et son mot de passe (10 caractères au moins) :
       $course hub add-trainer$dossier marie --site mon-site --nom "Marie Dupont"
       $course hub set-password$dossier marie
     Elle se connecte au hub (« Je suis formateur, formatrice ou coordinateur ») : son espace
     inscrit les apprenants, imprime leurs cartes et ouvre les évaluations.
  2. La coordination (tous les sites) :
       $course hub add-coordinator$dossier claire
       $course hub set-password$dossier claire
  3. Un autre site (il compte au prochain démarrage) :
       $course hub add-site$dossier brest --nom "Médiathèque de Brest"
  4. Pour le réseau : dans $COURSE_HUB/hub.toml, mettez ip = "0.0.0.0", public_url (l'adresse
     que tapent les apprenants, imprimée sur les cartes), les chemins du certificat HTTPS du
     serveur (ssl_cert, ssl_key) et, pour PostgreSQL, db_url (README, « Pour un réseau de sites »).
Pour redémarrer après un changement de hub.toml : Ctrl+C ici, puis bash scripts/hub.sh$([ "$COURSE_HUB" = hub ] || echo " $COURSE_HUB")

TEXT
fi
exec "$course" hub start
