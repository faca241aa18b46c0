"""Coordination: the results of every evaluation, exported for a spreadsheet."""

from __future__ import annotations

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
)


@command(
    cli, "coordination", help="Exporte les résultats : une ligne par apprenant et par évaluation."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    help="Format du fichier (par défaut : csv).",
)
@MODULE_OPTION
@output_option("Fichier à écrire (sinon : résultats.csv ou .xlsx ; « - » pour l'écran en CSV).")
@click.option(
    "--separator",
    default=";",
    help="Séparateur CSV (par défaut « ; », pour un tableur en français).",
)
def export(fmt: str, module_ref: str | None, output: Path | None, separator: str) -> None:
    from course.coordinator.export import export_results, table, to_csv

    project = open_project()
    module = find_module(project, module_ref) if module_ref else None
    if output is not None and str(output) == "-":
        click.echo(to_csv(*table(project, module), separator), nl=False)
        return
    output = output or Path(f"resultats.{fmt}")
    rows = export_results(project, module, output, fmt, separator)
    console.print(f"✔ {rows} ligne(s) écrite(s) dans {output}.")
