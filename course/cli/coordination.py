"""Coordination: results exports, La Coop's activity report, bundles between laptops."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from course.cli import cli
from course.cli.base import (
    MODULE_OPTION,
    command,
    console,
    find_module,
    keep_private,
    open_project,
    output_path,
)
from course.core import french

if TYPE_CHECKING:
    from course.coordinator.filters import Filters


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    for parse in (date.fromisoformat, lambda v: date(*reversed([int(p) for p in v.split("/")]))):
        try:
            return parse(value)
        except (ValueError, TypeError):
            continue
    raise click.BadParameter(f"« {value} » n'est pas une date (ex. 01/12/2026).")


def filter_options(function: Any) -> Any:
    """--du, --au, --site, --animation: the same filters as the coordinator space."""
    options = [
        click.option("--du", "since", callback=_day, help="Premier jour (ex. 01/12/2026)."),
        click.option("--au", "until", callback=_day, help="Dernier jour (ex. 31/12/2026)."),
        click.option("--site", default="", help="Un seul site (son nom exact)."),
        click.option("--animation", "trainer", default="", help="Une seule personne qui anime."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    help="Format du fichier (par défaut : xlsx).",
)
OUTPUT = click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Fichier à écrire."
)


def _filters(
    since: date | None, until: date | None, site: str, trainer: str, module: str = ""
) -> Filters:
    from course.coordinator.filters import Filters

    return Filters(since, until, site, trainer, module)


@command(cli, "coordination", help="Exporte les résultats (une ligne par apprenant et évaluation).")
@FORMAT_OPTION
@MODULE_OPTION
@filter_options
@click.option("--anonyme", is_flag=True, help="Pseudonymes seulement, sans les prénoms.")
@OUTPUT
def export(fmt: str, module_ref: str | None, since: date | None, until: date | None, site: str,
           trainer: str, anonyme: bool, output: Path | None) -> None:  # fmt: skip
    from course.coordinator.export import export_results

    project = open_project()
    module_id = find_module(project, module_ref).id if module_ref else ""
    name = f"resultats{'-anonymes' if anonyme else ''}.{fmt}"
    output = output_path(project, output, "exports", name)
    f = _filters(since, until, site, trainer, module_id)
    rows, paths = export_results(project, output, fmt, f, anonyme)
    keep_private(*paths)
    said = french.count(rows, "résultat écrit", "résultats écrits")
    console.print(f"✔ {said} dans {', '.join(map(str, paths))}.")


@command(
    cli, "coordination", help="Écrit le rapport d'activité pour La Coop (un atelier par ligne)."
)
@FORMAT_OPTION
@filter_options
@OUTPUT
def activity(fmt: str, since: date | None, until: date | None, site: str, trainer: str,
             output: Path | None) -> None:  # fmt: skip
    from course.coordinator.activity import export_activity

    project = open_project()
    output = output_path(project, output, "exports", f"activites-la-coop.{fmt}")
    count = export_activity(project, output, fmt, _filters(since, until, site, trainer))
    keep_private(output)
    said = french.count(count, "atelier écrit", "ateliers écrits")
    console.print(
        f"✔ {said} dans {output}, " + ("prêt" if count == 1 else "prêts") + " pour La Coop."
    )


@command(
    cli, "coordination", help="Prépare le paquet de ce site pour la coordination (un fichier)."
)
@OUTPUT
def bundle(output: Path | None) -> None:
    from course.coordinator.bundle import make_bundle
    from course.coordinator.outbox import BUNDLES, bundle_name
    from course.coordinator.records import local_site
    from course.core import french

    project = open_project()
    today = french.today()
    name = bundle_name(local_site(project), today)
    output = output_path(project, output, BUNDLES, name)
    counts = make_bundle(project, output)  # a BundleError is said by `french_errors`
    keep_private(output)
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    console.print(f"✔ Paquet écrit dans {output} : {summary}.")


@command(cli, "coordination", help="Importe les paquets de plusieurs sites (tout ou rien).")
@click.argument("paquets", nargs=-1, required=True, type=click.Path(path_type=Path))
def gather(paquets: tuple[Path, ...]) -> None:
    from course.coordinator.bundle_import import import_bundles

    project = open_project()
    reports = import_bundles(project, list(paquets))  # all or nothing; refusals are French
    for path, report in zip(paquets, reports, strict=True):
        if report.already:
            console.print(f"• {path} ({report.site}) : déjà importé, rien d'ajouté.")
            continue
        added = ", ".join(f"{n} {what}" for what, n in report.added.items())
        console.print(f"✔ {path} ({report.site}) : ajoutés {added}.")


@command(
    cli, "coordination", help="Donne le lien de l'espace de coordination, pour cet ordinateur."
)
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port de « course serve » (par défaut celui sur lequel il tourne, sinon 8866).",
)
def space(port: int | None) -> None:
    from course.access.settings import identity_provider
    from course.coordinator.space import PREFIX
    from course.server.running import running
    from course.server.serve import ServeSettings
    from course.web.space import space_url

    project = open_project()
    settings = ServeSettings(config=project.config)
    serving = running(project)
    # The scheme `course serve` runs with (HTTPS with --certfile/--self-signed), on its port.
    scheme = serving.scheme if serving and (port is None or port == serving.port) else "http"
    port = port or (serving.port if serving else settings.port)
    sign_in = space_url(settings.base_url, PREFIX, "connexion")
    link = identity_provider(project).space_link("coordinator", sign_in)
    console.print("Pendant que « course serve » tourne, ouvrez sur cet ordinateur :")
    console.print(
        f"{scheme}://127.0.0.1:{port}{link}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        "Depuis un autre ordinateur : « course mot-de-passe --espace coordination », une fois."
    )
