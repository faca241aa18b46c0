"""Writing modules: list them, rebuild their nbgrader notebooks, check them, print a guide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from course.cli import cli
from course.cli.base import (
    MODULE_OPTION,
    command,
    console,
    find_module,
    open_project,
    output_option,
    progress,
)
from course.core.french import count


@command(cli, "authoring", help="Liste les modules du catalogue.")
def modules() -> None:
    for m in open_project().catalogue.modules:
        # Plain echo: one line per module whatever the terminal width (rich would wrap).
        click.echo(
            f"{m.number:02d}  {m.id:<28} {m.title} | {m.level} | {m.duration_minutes} min | "
            f"Pix {', '.join(m.competences)} | {count(len(m.questions), 'question', 'questions')}"
        )


@command(
    cli,
    "authoring",
    help="Régénère les notebooks nbgrader (assessments/source) depuis les modules.",
)
def build() -> None:
    from course.trainer.workflow import build_sources

    changed = build_sources(open_project())
    console.print(f"✔ {count(len(changed), 'notebook mis', 'notebooks mis')} à jour.")


@command(
    cli,
    "authoring",
    help="Vérifie les modules : français simple, contenu complet, correction par nbgrader.",
)
@MODULE_OPTION
@click.option(
    "--no-grading",
    is_flag=True,
    help="Plus rapide : sans lancer les applications ni la correction nbgrader.",
)
@click.option("--report", is_flag=True, help="Affiche tous les chiffres de lisibilité.")
def check(module_ref: str | None, no_grading: bool, report: bool) -> None:
    from course.content.check import render, run_check

    try:
        result = run_check(open_project(), module_ref, grading=not no_grading, progress=progress)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from exc
    for line in render(result, figures=report):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if not result.ok:
        sys.exit(1)


@command(
    cli,
    "authoring",
    help="Écrit le guide de l'animateur d'un module en page HTML (à lire ou imprimer).",
)
@click.argument("module")
@output_option("Fichier à écrire (par défaut : guide-<module>.html).")
def guide(module: str, output: Path | None) -> None:
    from course.trainer.guide import write_guide

    m = find_module(open_project(), module)
    path = write_guide(m, output or Path(f"guide-{m.id}.html"))
    console.print(f"✔ Guide écrit dans {path}. Ouvrez-le dans un navigateur.")
