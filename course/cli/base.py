"""What every `course` command shares: French help, the project and module lookups, progress
lines, and one wrapper that turns our library's errors into a French message and exit code 1.

Commands are grouped by who uses them (`AUDIENCES`), and `course --help` lists them so.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from course.content.catalogue import Module
from course.core.errors import UserError
from course.settings import Project

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

# Sections of `course --help`, in this order; each command names its own.
AUDIENCES = {
    "enrolment": "Inscrire le groupe",
    "workshop": "Animer l'atelier",
    "authoring": "Écrire et vérifier les modules",
    "coordination": "Coordonner : résultats, La Coop, paquets des sites",
    "hub": "Un réseau de sites (JupyterHub)",
}


class FrenchFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Utilisation : ")


click.Context.formatter_class = FrenchFormatter
CONTEXT = {"help_option_names": ["-h", "--aide", "--help"]}


def _french_help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = "Affiche cette aide."
    return option


class FrenchCommand(click.Command):
    """A command whose own help option is described in French."""

    get_help_option = _french_help_option


class FrenchGroup(click.Group):
    """A group whose help is French and lists its commands by audience."""

    command_class = FrenchCommand

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        kwargs.setdefault("options_metavar", "[OPTIONS]")
        super().__init__(*args, **kwargs)

    get_help_option = _french_help_option

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            audience = getattr(cmd, "audience", None)
            title = AUDIENCES.get(audience, "Commandes") if audience else "Commandes"
            sections.setdefault(title, []).append((name, cmd.get_short_help_str(80)))
        order = [*AUDIENCES.values(), "Commandes"]
        for title in sorted(sections, key=order.index):
            with formatter.section(title):
                formatter.write_dl(sections[title])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        opts = [record for p in self.get_params(ctx) if (record := p.get_help_record(ctx))]
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)
        self.format_commands(ctx, formatter)


def open_project() -> Project:
    """The project of this folder (or $COURSE_ROOT); else `ProjectNotFound`, a `UserError`."""
    return Project()


def find_module(project: Project, ref: str) -> Module:
    try:
        return project.catalogue.get(ref)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from exc


def progress(message: str) -> None:
    console.print(f"[bold]→[/bold] {message}")


def french_errors(function: F) -> F:
    """Our library's errors (`UserError`: French, shown as is) on stderr, exit code 1, no
    traceback; a technical log (nbgrader's) follows under its own title."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except UserError as exc:
            err.print(f"[bold red]Erreur :[/bold red] {escape(str(exc))}", highlight=False)
            if exc.log:
                err.print(f"{exc.log_title} :")
                err.print(exc.log, markup=False, highlight=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def command(group: click.Group, audience: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:
    """`@group.command(...)` with French errors, listed under `audience` in the help."""

    def decorate(function: F) -> F:
        cmd = group.command(*args, **kwargs)(french_errors(function))
        cmd.audience = audience
        return function

    return decorate


URL_OPTION = click.option(
    "--url",
    default=None,
    help="Adresse des modules vue par les apprenants, pour leur lien personnel (par défaut "
    "http://127.0.0.1:8866 ; pour la salle : http://ADRESSE-DE-CET-ORDINATEUR:8866).",
)
MODULE_OPTION = click.option(
    "--module", "module_ref", default=None, help="Un seul module (sinon tous)."
)


def output_option(default_help: str, default: Path | None = None) -> Callable[[F], F]:
    """`--output`/`-o`: the file a command writes."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        help=default_help,
    )


def output_path(project: Project, given: Path | None, folder: str, name: str) -> Path:
    """Where a command writes a file with personal data: `given`, else `var/<folder>/<name>`
    (the folder readable by its owner only). Private by default: never the current folder,
    which may be the project's, tracked by git."""
    from course.core.files import private_dir

    if given is not None:
        return given
    return private_dir(project.data_dir / folder) / name


def keep_private(*paths: Path) -> None:
    """The files a command wrote, readable and writable by their owner only (0o600)."""
    from course.core.files import PRIVATE_FILE

    for path in paths:
        if path.is_file():
            path.chmod(PRIVATE_FILE)
