"""`course`: the trainer's command line, a thin layer over the library (help texts in French)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from course.catalogue import ModuleError
from course.settings import Project, ProjectNotFound
from course.store import InvalidLearnerId
from course.workflow import WorkflowError

console = Console()
err = Console(stderr=True)


class FrenchFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Utilisation : ")


click.Context.formatter_class = FrenchFormatter
CONTEXT = {"help_option_names": ["-h", "--aide", "--help"]}


def _french_help_option(command: click.Command, ctx: click.Context):
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = "Affiche cette aide."
    return option


class FrenchCommand(click.Command):
    """A command whose own help option is described in French."""

    get_help_option = _french_help_option


class FrenchGroup(click.Group):
    command_class = FrenchCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        kwargs.setdefault("options_metavar", "[OPTIONS]")
        super().__init__(*args, **kwargs)

    get_help_option = _french_help_option

    def format_commands(self, ctx, formatter):
        rows = [
            (name, cmd.get_short_help_str(80))
            for name in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
        ]
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)

    def format_options(self, ctx, formatter):
        opts = [p.get_help_record(ctx) for p in self.get_params(ctx)]
        opts = [o for o in opts if o]
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)
        self.format_commands(ctx, formatter)


def _project() -> Project:
    try:
        return Project()
    except ProjectNotFound as exc:
        raise click.ClickException(
            "Je ne trouve pas le dossier du projet (celui qui contient nbgrader_config.py). "
            f"Placez-vous dedans. Détail : {exc}"
        ) from exc


def _module(project: Project, ref: str):
    try:
        return project.catalogue.get(ref)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from exc


def _progress(message: str) -> None:
    console.print(f"[bold]→[/bold] {message}")


def main() -> None:
    try:
        cli(standalone_mode=True)
    except (ModuleError, InvalidLearnerId) as exc:
        err.print(f"Erreur : {exc}")
        sys.exit(1)


def _fail(exc: WorkflowError) -> None:
    err.print(f"[bold red]Erreur :[/bold red] {exc}")
    if exc.log:
        err.print("Journal de nbgrader :")
        err.print(exc.log, markup=False, highlight=False)
    sys.exit(1)


@click.group(
    cls=FrenchGroup,
    context_settings=CONTEXT,
    help="Ateliers numériques : modules, évaluations nbgrader, résultats.",
)
def cli() -> None:
    pass


@cli.command(help="Liste les modules du catalogue.")
def modules() -> None:
    project = _project()
    for m in project.catalogue.modules:
        # Plain echo: one line per module whatever the terminal width (rich would wrap).
        click.echo(
            f"{m.number:02d}  {m.id:<28} {m.title} | {m.level} | {m.duration_minutes} min | "
            f"Pix {', '.join(m.competences)} | {len(m.questions)} questions"
        )


@cli.command(help="Ouvre les modules pour les apprenants (Voilà), sur cette machine.")
@click.option(
    "--host",
    default="127.0.0.1",
    help="Adresse d’écoute (par défaut 127.0.0.1 ; 0.0.0.0 pour toute la salle).",
)
@click.option("--port", default=8866, help="Port d’écoute (par défaut 8866).")
@click.option(
    "--module",
    "-m",
    "focus",
    default=None,
    metavar="MODULE",
    help="Le module de l'atelier (ex. 02) : ses pages sont préparées à l'avance et s'ouvrent "
    "plus vite. Les autres modules restent ouverts.",
)
def serve(host: str, port: int, focus: str | None) -> None:
    from course.serve import run

    project = _project()
    module = _module(project, focus) if focus else None
    console.print(f"Les modules sont ouverts : http://{host}:{port}/  (Ctrl+C pour arrêter)")
    if module:
        console.print(f"Pages préparées à l'avance : « {module.title} ».")
    sys.exit(run(project, host, port, module))


@cli.command(help="Prépare l'évaluation d'un module et la publie pour les apprenants.")
@click.argument("module")
def release(module: str) -> None:
    from course.workflow import release as do_release

    project = _project()
    m = _module(project, module)
    try:
        do_release(project, m, _progress)
    except WorkflowError as exc:
        _fail(exc)
    console.print(f"✔ L'évaluation « {m.title} » est ouverte aux apprenants.")


@cli.command(help="Ramasse les évaluations envoyées par les apprenants.")
@click.argument("module")
def collect(module: str) -> None:
    from course.workflow import collect as do_collect

    project = _project()
    m = _module(project, module)
    try:
        learners = do_collect(project, m, _progress)
    except WorkflowError as exc:
        _fail(exc)
    console.print(
        f"✔ {len(learners)} évaluation(s) ramassée(s) : {', '.join(learners) or 'aucune'}."
    )


@cli.command(help="Corrige automatiquement les évaluations ramassées (nbgrader).")
@click.argument("module")
def grade(module: str) -> None:
    from course.trainer.grade_report import progress_bar, render
    from course.workflow import grade as do_grade

    project = _project()
    m = _module(project, module)
    try:
        with progress_bar(console) as bar:
            report = do_grade(project, m, _progress, bar)
    except WorkflowError as exc:
        _fail(exc)
    console.print(render(project, m, report))
    console.print(f"✔ {len(report.graded)} évaluation(s) corrigée(s).")
    if any(q.type == "libre" for q in m.questions):
        console.print("Les réponses rédigées se corrigent à la main dans formgrader (JupyterLab).")
    if report.failed:
        sys.exit(1)


@cli.command(help="Écrit le retour en français de chaque apprenant et le met à disposition.")
@click.argument("module")
def feedback(module: str) -> None:
    from course.feedback import generate_feedback

    project = _project()
    m = _module(project, module)
    try:
        paths = generate_feedback(project, m, _progress)
    except WorkflowError as exc:
        _fail(exc)
    console.print(f"✔ {len(paths)} retour(s) écrit(s) dans {project.course_dir / 'feedback'}.")


@cli.command(help="Exporte les résultats : une ligne par apprenant et par évaluation.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    help="Format du fichier (par défaut : csv).",
)
@click.option("--module", "module_ref", default=None, help="Un seul module (sinon tous).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (sinon : résultats.csv ou .xlsx ; « - » pour l'écran en CSV).",
)
@click.option(
    "--separator",
    default=";",
    help="Séparateur CSV (par défaut « ; », pour un tableur en français).",
)
def export(fmt: str, module_ref: str | None, output: Path | None, separator: str) -> None:
    from course.export import table, to_csv, write_csv, write_xlsx

    project = _project()
    m = _module(project, module_ref) if module_ref else None
    header, rows = table(project, m)
    if output is not None and str(output) == "-":
        click.echo(to_csv(header, rows, separator), nl=False)
        return
    output = output or Path(f"resultats.{fmt}")
    if fmt == "csv":
        write_csv(output, header, rows, separator)
    else:
        write_xlsx(output, header, rows)
    console.print(f"✔ {len(rows)} ligne(s) écrite(s) dans {output}.")


@cli.command(help="Écrit le guide de l'animateur d'un module en page HTML (à lire ou imprimer).")
@click.argument("module")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (par défaut : guide-<module>.html).",
)
def guide(module: str, output: Path | None) -> None:
    from course.guide import write_guide

    project = _project()
    m = _module(project, module)
    path = write_guide(m, output or Path(f"guide-{m.id}.html"))
    console.print(f"✔ Guide écrit dans {path}. Ouvrez-le dans un navigateur.")


@cli.command(help="Régénère les notebooks nbgrader (assessments/source) depuis les modules.")
def build() -> None:
    from course.workflow import build_sources

    project = _project()
    changed = build_sources(project)
    console.print(f"✔ {len(changed)} notebook(s) mis à jour.")


@cli.command(
    help="Vérifie les modules : français simple, contenu complet, correction par nbgrader."
)
@click.option("--module", "module_ref", default=None, help="Un seul module (sinon tous).")
@click.option(
    "--no-grading",
    is_flag=True,
    help="Plus rapide : sans lancer les applications ni la correction nbgrader.",
)
@click.option("--report", is_flag=True, help="Affiche tous les chiffres de lisibilité.")
def check(module_ref: str | None, no_grading: bool, report: bool) -> None:
    from course.check import render, run_check

    project = _project()
    try:
        result = run_check(project, module_ref, grading=not no_grading, progress=_progress)
    except KeyError as exc:
        raise click.ClickException(exc.args[0]) from exc
    for line in render(result, figures=report):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if not result.ok:
        sys.exit(1)


@cli.group(cls=FrenchGroup, help="Gère les apprenants du groupe (prénom et code).")
def learners() -> None:
    pass


_URL_OPTION = click.option(
    "--url",
    default=None,
    help="Adresse des modules vue par les apprenants, pour leur lien personnel (par défaut "
    "http://127.0.0.1:8866 ; pour la salle : http://ADRESSE-DE-CET-ORDINATEUR:8866).",
)


def _print_cards(project, roster, learners, codes, url, output) -> None:
    from course.cards import DEFAULT_URL, CardsError, make_cards, spaced, write_cards

    cards = make_cards(roster, learners, codes, url or DEFAULT_URL)
    try:
        path = write_cards(output, cards, project.settings.course_title)
    except CardsError as exc:
        raise click.ClickException(str(exc)) from exc
    for card in cards:
        code = spaced(card.code) if card.code else "(code non affiché)"
        console.print(
            f"{card.learner.name:<20} {code:<18} {card.link}", markup=False, soft_wrap=True
        )
    console.print(f"✔ {len(cards)} carte(s) dans {path} : imprimez-les et découpez-les.")
    if not url:
        console.print(
            "Les liens mènent à http://127.0.0.1:8866 (cet ordinateur seulement). Pour les "
            "autres ordinateurs de la salle, ajoutez --url http://ADRESSE-DE-CET-ORDINATEUR:8866",
            markup=False,
            highlight=False,
        )


@learners.command(
    "add",
    help="Ajoute des apprenants et affiche leur code (à noter : il n'est montré qu'une fois).",
)
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--cards",
    "--cartes",
    "cards_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrit aussi leurs cartes de connexion (PDF à imprimer, avec code et QR code).",
)
@_URL_OPTION
def learners_add(names: tuple[str, ...], cards_path: Path | None, url: str | None) -> None:
    from course.identity import Roster

    project = _project()
    roster = Roster(project.data_dir)
    added, codes = [], {}
    for name in names:
        learner, code = roster.add(name)
        added.append(learner)
        codes[learner.id] = code
        console.print(f"{learner.name:<20} identifiant {learner.id:<20} code {code}", markup=False)
    if cards_path:
        _print_cards(project, roster, added, codes, url, cards_path)


@cli.command(
    help="Imprime les cartes de connexion : prénom, code, lien personnel et son QR code (PDF)."
)
@click.argument("names", nargs=-1, metavar="[PRÉNOMS]...")
@click.option(
    "--reset-codes",
    "--nouveaux-codes",
    "reset",
    is_flag=True,
    help="Donne de nouveaux codes (les anciens ne marchent plus) et les imprime. Sans cette "
    "option, les codes ne sont pas connus (ils sont gardés chiffrés) : les cartes n'ont que le lien.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("cartes.pdf"),
    help="Fichier PDF à écrire (par défaut : cartes.pdf).",
)
@_URL_OPTION
def cards(names: tuple[str, ...], reset: bool, output: Path, url: str | None) -> None:
    from course.cards import CardsError, reset_codes, select
    from course.identity import Roster

    project = _project()
    roster = Roster(project.data_dir)
    try:
        learners = select(roster, names)
    except CardsError as exc:
        raise click.ClickException(str(exc)) from exc
    if not learners:
        raise click.ClickException("Aucun apprenant : ajoutez-en avec « course learners add ».")
    codes = reset_codes(roster, learners) if reset else {}
    if reset:
        console.print(
            f"Nouveaux codes pour {len(learners)} apprenant(s) : les anciens ne marchent plus."
        )
    _print_cards(project, roster, learners, codes, url, output)
    if not reset:
        console.print(
            "Les codes ne sont pas sur les cartes (ils sont gardés chiffrés). Pour imprimer "
            "de nouveaux codes : course cards --reset-codes"
        )


@learners.command("list", help="Liste les apprenants du groupe.")
def learners_list() -> None:
    from course.identity import Roster

    project = _project()
    roster = Roster(project.data_dir)
    for learner in roster.learners():
        line = f"{learner.id:<24} {learner.name}"
        until = roster.locked_until(learner.id)
        if until:
            local = until.astimezone().strftime("%H:%M")
            line += (
                f"  (code bloqué jusqu'à {local} après trop de codes faux ; le lien personnel "
                f'marche ; pour débloquer : course cards --reset-codes "{learner.name}")'
            )
        click.echo(line)  # one line per learner whatever the terminal width
