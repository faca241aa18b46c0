"""`course learners …` and `course cards`: the group, its codes and its sign-in cards."""

from __future__ import annotations

from pathlib import Path

import click

from course.cli import cli
from course.cli.base import (
    URL_OPTION,
    FrenchGroup,
    command,
    console,
    open_project,
    output_option,
    output_path,
)
from course.core.french import clock, count
from course.trainer.cards import Card, print_cards, reissue_cards, spaced


@cli.group(cls=FrenchGroup, help="Gère les apprenants du groupe (prénom et code).")
def learners() -> None:
    pass


learners.audience = "enrolment"  # type: ignore[attr-defined]


def _show_cards(path: Path, cards: list[Card], url: str | None) -> None:
    for card in cards:
        code = spaced(card.code) if card.code else "(code non affiché)"
        console.print(
            f"{card.learner.name:<20} {code:<18} {card.link}", markup=False, soft_wrap=True
        )
    if len(cards) == 1:
        console.print(f"✔ 1 carte dans {path} : imprimez-la et découpez-la.")
    else:
        console.print(
            f"✔ {count(len(cards), 'carte', 'cartes')} dans {path} : imprimez-les et découpez-les."
        )
    if not url:
        console.print(
            "Les liens mènent à http://127.0.0.1:8866 (cet ordinateur seulement). Pour les "
            "autres ordinateurs de la salle, ajoutez --url http://ADRESSE-DE-CET-ORDINATEUR:8866",
            markup=False,
            highlight=False,
        )


@command(
    learners,
    "enrolment",
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
@URL_OPTION
@click.option(
    "--meme-personne",
    "same",
    flag_value="oui",
    default=None,
    help="Un prénom déjà inscrit désigne la même personne (sans question).",
)
@click.option(
    "--autre-personne",
    "same",
    flag_value="non",
    help="Un prénom déjà inscrit désigne une autre personne (sans question).",
)
def learners_add(
    names: tuple[str, ...], cards_path: Path | None, url: str | None, same: str | None
) -> None:
    from course.trainer.group import SameName, enrol

    project = open_project()
    added = []
    for name in names:
        try:
            learner, code = enrol(
                project, name, same_person={"oui": True, "non": False}.get(same or "")
            )
        except SameName as question:
            learner, code = enrol(project, name, same_person=ask_yes_no(str(question)))
        shown = code or "(inchangé)"
        console.print(f"{learner.name:<20} identifiant {learner.id:<20} code {shown}", markup=False)
        added.append((learner, code))
    if cards_path:
        codes = {learner.id: code for learner, code in added if code}
        learners_added = [learner for learner, _ in added]
        _show_cards(*print_cards(project, learners_added, codes, cards_path, url), url)


def ask_yes_no(question: str) -> bool:
    """A French yes/no question on the terminal (click's own prompt answers in English)."""
    import sys

    if not sys.stdin.isatty():
        raise click.ClickException(f"{question} Relancez avec --meme-personne ou --autre-personne.")
    while True:
        reply = input(f"{question} (o/n) ").strip().casefold()
        if reply in ("o", "oui"):
            return True
        if reply in ("n", "non"):
            return False
        console.print("Répondez o (oui) ou n (non).")


@command(learners, "enrolment", "list", help="Liste les apprenants du groupe.")
def learners_list() -> None:
    roster = open_project().roster()
    for learner in roster.learners():
        line = f"{learner.id:<24} {learner.name}"
        if until := roster.locked_until(learner.id):
            line += (
                f"  (code bloqué jusqu'à {clock(until)} après trop de codes faux ; le lien personnel "
                f'marche ; pour débloquer : course cards --reset-codes "{learner.name}")'
            )
        click.echo(line)  # one line per learner whatever the terminal width


@command(
    cli,
    "enrolment",
    "cards",
    help="Imprime les cartes de connexion : prénom, code, lien personnel et son QR code (PDF).",
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
@output_option("Fichier PDF à écrire (par défaut : var/cards/cartes.pdf, lisible par vous seul).")
@URL_OPTION
def cards(names: tuple[str, ...], reset: bool, output: Path | None, url: str | None) -> None:
    project = open_project()
    output = output_path(project, output, "cards", "cartes.pdf")
    path, made = reissue_cards(project, names, output, url, new_codes=reset)
    if reset:
        people = count(len(made), "apprenant", "apprenants")
        console.print(f"Nouveaux codes pour {people} : les anciens ne marchent plus.")
    _show_cards(path, made, url)
    if not reset:
        console.print(
            "Les codes ne sont pas sur les cartes (ils sont gardés chiffrés). Pour imprimer "
            "de nouveaux codes : course cards --reset-codes"
        )
