"""`course mot-de-passe`: the password that opens a private space from another computer."""

from __future__ import annotations

import getpass

import click

from course.cli import cli
from course.cli.base import command, console, open_project

ROLES = {"animation": "trainer", "coordination": "coordinator"}


@command(
    cli,
    "workshop",
    "mot-de-passe",
    help="Choisit le mot de passe de votre espace, pour l'ouvrir depuis un autre ordinateur.",
)
@click.option(
    "--espace",
    "space",
    type=click.Choice(list(ROLES)),
    default="animation",
    help="L'espace : animation (par défaut, /atelier/) ou coordination (/coordination/).",
)
def password(space: str) -> None:
    from course.access.gate import configured_password, set_password

    project = open_project()
    first = getpass.getpass("Nouveau mot de passe (8 caractères au moins, rien ne s'affiche) : ")
    if getpass.getpass("Le même, encore une fois : ") != first:
        raise click.ClickException("Les deux mots de passe sont différents. Rien n'a changé.")
    try:
        path = set_password(project, ROLES[space], first)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(
        f"✔ Mot de passe enregistré (chiffré) dans {path}, lisible par vous seul. Il compte "
        "tout de suite, même si « course serve » tourne déjà.",
        markup=False,
    )
    if configured_password(project, ROLES[space]):
        console.print(
            "Attention : nbgrader_config.py fixe déjà un mot de passe pour cet espace "
            f"(c.{'TrainerAccess' if space == 'animation' else 'CoordinatorAccess'}"
            ".password_hash) ; c'est celui-là qui compte tant qu'il y est.",
            markup=False,
        )
