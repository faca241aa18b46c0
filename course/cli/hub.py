"""`course hub …`: a network of sites on one JupyterHub (the library is `course.hub`).

The hub's folder is `--dossier` (or $COURSE_HUB, else `./hub`): its `hub.toml` lists the sites,
trainers and coordinators; `prive/` keeps what nobody else may read.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from course.cli import cli
from course.cli.base import FrenchGroup, command, console
from course.core import french
from course.settings import find_root

HUB_DIR = click.option(
    "--dossier",
    "hub_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="COURSE_HUB",
    default=Path("hub"),
    metavar="DOSSIER",
    help="Dossier du hub : son fichier hub.toml, ses sites, ses données privées (par défaut : "
    "$COURSE_HUB, sinon « hub » dans le dossier courant).",
)


EMAIL_OPTION = click.option(
    "--email",
    default="",
    metavar="ADRESSE",
    help="Son e-mail ProConnect (pour se connecter avec ProConnect).",
)


@cli.group(cls=FrenchGroup, help="Un hub JupyterHub pour un réseau de sites (HTTPS, comptes).")
def hub() -> None:
    pass


hub.audience = "hub"  # type: ignore[attr-defined]


@command(hub, "hub", "init", help="Crée le dossier d'un nouveau hub et son fichier hub.toml.")
@HUB_DIR
def init(hub_dir: Path) -> None:
    from course.hub.admin import init_hub

    path = init_hub(hub_dir)
    console.print(f"✔ Hub créé : {path}", markup=False, highlight=False)


@command(hub, "hub", "start", help="Démarre le hub (JupyterHub) ; Ctrl+C l'arrête.")
@HUB_DIR
def start(hub_dir: Path) -> None:
    from course.hub.logs import hub_log
    from course.hub.run import prepare
    from course.hub.run import start as start_hub

    settings, config = prepare(hub_dir)
    scheme = "https" if settings.ssl_cert else "http"
    host = "ADRESSE-DU-SERVEUR" if settings.ip in ("0.0.0.0", "") else settings.ip
    address = settings.public_url or f"{scheme}://{host}:{settings.port}"  # hub.toml's, if any
    url = f"{address}/"
    console.print(
        f"Le hub démarre : {url} ({french.count(len(settings.sites), 'site', 'sites')}). "
        "Attendez la ligne qui dit qu'il est prêt (une minute environ).",
        markup=False,
        highlight=False,
    )
    # Becomes the small `course.hub.supervise`, which says when the hub is ready and how it ended.
    start_hub(hub_dir, settings, config, url, hub_log(hub_dir))


@command(hub, "hub", "add-site", help="Ajoute un site (un dossier de projet complet, ses modules).")
@HUB_DIR
@click.argument("slug")
@click.option("--nom", default="", metavar="NOM", help="Nom du lieu montré aux apprenants.")
@click.option(
    "--depuis",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Projet d'où copier les modules (par défaut : le projet de ce dossier).",
)
def add_site(hub_dir: Path, slug: str, nom: str, depuis: Path | None) -> None:
    from course.hub.admin import add_site as add

    site = add(hub_dir, slug, nom or slug, depuis or find_root())
    console.print(
        f"✔ Site « {site.name} » ajouté ({site.slug}, port {site.port}).",
        markup=False,
        highlight=False,
    )


@command(hub, "hub", "add-trainer", help="Rattache un formateur ou une formatrice à un site.")
@HUB_DIR
@click.argument("identifiant")
@click.option(
    "--site", "slug", default="", metavar="SITE", help="Identifiant du site (obligatoire)."
)
@click.option("--nom", default="", metavar="NOM", help="Nom complet (affiché).")
@EMAIL_OPTION
def add_trainer(hub_dir: Path, identifiant: str, slug: str, nom: str, email: str) -> None:
    from course.hub.admin import add_trainer as add

    if not slug:  # not `required=True`: click would print « [required] » in the help
        raise click.UsageError("Missing option '--site'.")
    add(hub_dir, identifiant, slug, nom, email)
    console.print(f"✔ « {identifiant} » anime au site « {slug} ».", markup=False, highlight=False)
    _next_step(hub_dir, identifiant, email)


@command(hub, "hub", "add-coordinator", help="Ajoute une personne à la coordination.")
@HUB_DIR
@click.argument("identifiant")
@EMAIL_OPTION
def add_coordinator(hub_dir: Path, identifiant: str, email: str) -> None:
    from course.hub.admin import add_coordinator as add

    add(hub_dir, identifiant, email)
    console.print(f"✔ « {identifiant} » coordonne ce hub.", markup=False, highlight=False)
    _next_step(hub_dir, identifiant, email)


def _next_step(hub_dir: Path, identifiant: str, email: str) -> None:
    """What the person needs next to sign in: ProConnect (their e-mail) or a password."""
    from course.hub.settings import load

    if email:
        console.print(f"E-mail ProConnect : {email.strip().lower()}", markup=False)
    if not load(hub_dir).proconnect_issuer:
        console.print(f"Choisissez son mot de passe : course hub set-password {identifiant}")
    elif not email:
        console.print(f"Donnez son e-mail ProConnect : course hub set-email {identifiant} ADRESSE")


@command(
    hub,
    "hub",
    "set-email",
    help="Donne l'e-mail ProConnect d'une personne de l'équipe (c'est lui qui la fait entrer).",
)
@HUB_DIR
@click.argument("identifiant")
@click.argument("adresse")
def set_email(hub_dir: Path, identifiant: str, adresse: str) -> None:
    from course.hub.admin import set_email as store

    settings = store(hub_dir, identifiant, adresse)
    console.print(
        f"✔ E-mail ProConnect de « {identifiant} » : {settings.emails[identifiant]}",
        markup=False,
        highlight=False,
    )


@command(hub, "hub", "set-password", help="Choisit le mot de passe d'une personne de l'équipe.")
@HUB_DIR
@click.argument("identifiant")
def set_password(hub_dir: Path, identifiant: str) -> None:
    from course.hub.admin import set_password as store

    if sys.stdin.isatty():
        password = getpass.getpass("Mot de passe (10 caractères au moins, rien ne s'affiche) : ")
        if getpass.getpass("Le même, encore une fois : ") != password:
            raise click.ClickException("Les deux mots de passe sont différents.")
    else:  # a script gives it on its standard input
        password = sys.stdin.readline().rstrip("\n")
    store(hub_dir, identifiant, password)
    console.print(f"✔ Mot de passe de « {identifiant} » enregistré (chiffré, dans prive/).")
