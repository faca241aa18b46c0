"""The workshop: `course serve` for the learners (and `course upgrade-db`, which it also runs),
then the nbgrader cycle (release, collect, grade, feedback), each a call to `course.trainer`; and
after it, what the trainer prints: the attestations of participation and the workshop's results
book."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from course.cli import cli
from course.cli.base import command, console, find_module, open_project, output_option, progress
from course.core.errors import UserError
from course.core.french import count
from course.settings import Project, ProjectNotFound

if TYPE_CHECKING:
    from course.content.catalogue import Module


@command(cli, "workshop", help="Ouvre les modules pour les apprenants (Voilà), sur cette machine.")
@click.option(
    "--host",
    default="127.0.0.1",
    help="Adresse d’écoute (par défaut 127.0.0.1 ; 0.0.0.0 pour toute la salle).",
)
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port d’écoute (par défaut celui de nbgrader_config.py, c.ServeSettings.port : 8866).",
)
@click.option(
    "--module",
    "-m",
    "focus",
    default=None,
    metavar="MODULE",
    help="Le module de l'atelier (ex. 02) : il est en tête de l'accueil, ses pages sont "
    "préparées à l'avance et s'ouvrent plus vite. Les autres modules restent ouverts. Par "
    "défaut, le module de l'atelier du jour (carnet des ateliers).",
)
@click.option(
    "--hub-site",
    default=None,
    metavar="SITE",
    help="Sert ce site derrière le hub du réseau (service « site-SITE », lancé par le hub) : "
    "chaque page demande qui est connecté au hub. Écoute sur 127.0.0.1 seulement.",
)
@click.option(
    "--certfile",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Certificat (PEM) pour servir en HTTPS sur le réseau de la salle.",
)
@click.option(
    "--keyfile",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="La clé privée (PEM) du certificat donné avec --certfile.",
)
@click.option(
    "--self-signed",
    "self_signed",
    is_flag=True,
    help="HTTPS avec un certificat fabriqué sur cet ordinateur (rangé dans var/tls/) : "
    "les navigateurs préviennent une fois qu'il n'est garanti par personne.",
)
@click.option(
    "--hub-coordination",
    is_flag=True,
    help="Sert l'espace de la coordination derrière le hub du réseau (service « coordination », "
    "lancé par le hub) : tous les sites du hub, en direct. Écoute sur 127.0.0.1 seulement.",
)
def serve(
    host: str,
    port: int | None,
    focus: str | None,
    certfile: Path | None,
    keyfile: Path | None,
    self_signed: bool,
    hub_site: str | None,
    hub_coordination: bool,
) -> None:
    project = open_project()
    if hub_coordination:  # before the imports below: Voilà's (about 25 MiB it never uses)
        sys.exit(_serve_hub_coordination(project, host, port))
    from course.server.lan import lan_address
    from course.server.serve import ServeSettings, announce, run
    from course.server.tls import TlsError, check
    from course.server.tls import self_signed as make_self_signed
    from course.server.today import todays_module
    from course.trainer.cards import short_address

    # Without --module, today's workshop's module (from the workshops book) comes first.
    module = find_module(project, focus) if focus else todays_module(project)
    port = port or ServeSettings(config=project.config).port
    if hub_site is not None:
        sys.exit(_serve_hub_site(project, host, port, module, hub_site))
    if certfile and self_signed:
        raise TlsError("Choisissez --certfile ou --self-signed, pas les deux.")
    tls = None
    if certfile:
        tls = check(certfile, keyfile)
    elif self_signed:
        whole = host in ("0.0.0.0", "::", "")
        tls = make_self_signed(project, [lan_address() if whole else host])
    said = announce(project, host, port, tls)
    say = console.print
    if said.whole_room:
        say(
            f"Pour les apprenants de la salle, dans le navigateur : [bold]{short_address(said.room)}[/bold]"
        )
    else:
        say(f"Les modules sont ouverts sur cet ordinateur : {said.room}/")
        say("Pour toute la salle, relancez avec : bash scripts/run.sh --host 0.0.0.0")
    say("Votre espace (sur cet ordinateur seulement, ne le montrez pas) :")
    say(said.trainer_link, markup=False, highlight=False, soft_wrap=True)
    if tls is not None:
        say("Connexion chiffrée (HTTPS). " + (
            "Le navigateur préviendra une fois que le certificat n'est garanti par personne : "
            "c'est normal ici, choisissez « Continuer vers le site »." if self_signed else ""))  # fmt: skip
    if module:
        say(f"Pages préparées à l'avance : « {module.title} ».")
    say("Ctrl+C pour tout arrêter. (Journal technique : " + str(said.log) + ")", markup=False)
    sys.exit(run(project, host, port, module, tls))


def _serve_hub_site(
    project: Project, host: str, port: int, module: Module | None, site: str
) -> int:
    """`course serve --hub-site`: started by the hub, which alone faces the network."""
    from course.access.hub_names import check_site_slug, service_prefix
    from course.server.serve import run
    from course.server.spaces import spaces

    check_site_slug(site)
    if host != "127.0.0.1":
        raise UserError(
            "Derrière le hub, le site écoute sur 127.0.0.1 seulement : c'est le hub qui reçoit "
            "le réseau. Retirez l'option --host."
        )
    spaces(project)  # a space that cannot be mounted is said here, not only in the log
    console.print(
        f"Site « {site} » servi pour le hub sous {service_prefix(site)} "
        f"(127.0.0.1:{port}). Ctrl+C pour arrêter.",
        markup=False,
    )
    return run(project, host, port, module, hub_site=site)


def _serve_hub_coordination(project: Project, host: str, port: int | None) -> int:
    """`course serve --hub-coordination`: the coordination space, started by the hub."""
    from course.coordinator.live import hub_of
    from course.server.hub_coordination import SERVICE_PREFIX, run

    if host != "127.0.0.1" or not port:
        raise UserError(
            "Derrière le hub, la coordination écoute sur 127.0.0.1 et sur le port que le hub "
            "lui donne (--port) : c'est le hub qui reçoit le réseau."
        )
    if hub_of(project) is None:
        raise UserError(
            "Ce dossier ne coordonne aucun hub : c.CoordinatorSettings.hub_dir manque dans "
            "nbgrader_config.py (course hub add-site l'écrit dans le dossier coordination/)."
        )
    console.print(
        f"Coordination servie pour le hub sous {SERVICE_PREFIX} (127.0.0.1:{port}). "
        "Ctrl+C pour arrêter.",
        markup=False,
    )
    return run(project, host, port)


@command(
    cli,
    "workshop",
    "upgrade-db",
    help="Met à jour la base des ateliers après une mise à jour du logiciel (une copie de "
    "sauvegarde est gardée d'abord). « course serve » le fait aussi en démarrant. Avec --hub : "
    "aussi la base du hub et, pour chacun de ses sites, celle des ateliers et le carnet de notes "
    "nbgrader.",
)
@click.option(
    "--hub",
    "hub_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="COURSE_HUB",
    default=None,
    metavar="DOSSIER",
    help="Dossier d'un hub (course hub) dont mettre à jour les bases.",
)
def upgrade_db(hub_dir: Path | None) -> None:
    if hub_dir is None:
        _upgrade_workshops(open_project())
        return
    from course.hub import layout
    from course.hub.run import upgrade_db as upgrade_hub
    from course.hub.settings import load

    console.print(f"✔ {upgrade_hub(hub_dir)}")
    for site in load(hub_dir).sites:
        console.print(f"Site « {site.name} » :", markup=False, highlight=False)
        site_project = Project(layout.site_dir(hub_dir, site.slug))
        _upgrade_workshops(site_project)
        _upgrade_gradebook(site_project)
    if (layout.coordination_dir(hub_dir) / "nbgrader_config.py").is_file():
        console.print("Coordination :")
        _upgrade_workshops(Project(layout.coordination_dir(hub_dir)))
    try:
        project = open_project()
    except ProjectNotFound:
        return
    _upgrade_workshops(project)


def _upgrade_gradebook(project: Project) -> None:
    """nbgrader's own upgrade of the project's gradebook (`nbgrader db upgrade`)."""
    from course.trainer.gradebook_upgrade import upgrade_gradebook

    done = upgrade_gradebook(project)
    console.print(f"✔ {done.french()}", markup=False, highlight=False)
    if done.backup:
        console.print(f"Copie de l'ancien carnet : {done.backup}", markup=False, highlight=False)


def _upgrade_workshops(project: Project) -> None:
    from course.workshops.migrations import upgrade

    done = upgrade(project)
    if done.created:
        console.print(f"✔ Base des ateliers créée (version {done.after}).")
    elif not done.changed:
        console.print(f"✔ La base des ateliers est déjà à jour (version {done.after}).")
    elif done.before:
        console.print(f"✔ Base des ateliers mise à jour : version {done.before} → {done.after}.")
    else:
        console.print(
            f"✔ Base des ateliers mise à jour : version {done.after} (elle n'avait pas encore de "
            "numéro de version)."
        )
    if done.backup:
        console.print(f"Copie de l'ancienne base : {done.backup}", markup=False, highlight=False)


@command(cli, "workshop", help="Prépare l'évaluation d'un module et la publie pour les apprenants.")
@click.argument("module")
def release(module: str) -> None:
    from course.trainer.workflow import release as release_evaluation

    project = open_project()
    m = find_module(project, module)
    release_evaluation(project, m, progress)
    console.print(f"✔ L'évaluation « {m.title} » est ouverte aux apprenants.")


@command(cli, "workshop", help="Ramasse les évaluations envoyées par les apprenants.")
@click.argument("module")
def collect(module: str) -> None:
    from course.trainer.workflow import collect as collect_evaluations

    project = open_project()
    learners = collect_evaluations(project, find_module(project, module), progress)
    if not learners:
        console.print("Aucune évaluation ramassée : personne ne l'a encore envoyée.")
        return
    said = count(len(learners), "évaluation ramassée", "évaluations ramassées")
    console.print(f"✔ {said} : {', '.join(learners)}.")


@command(cli, "workshop", help="Corrige automatiquement les évaluations ramassées (nbgrader).")
@click.argument("module")
def grade(module: str) -> None:
    from course.trainer.grade_report import progress_bar, render
    from course.trainer.workflow import grade as grade_evaluations

    project = open_project()
    m = find_module(project, module)
    with progress_bar(console) as bar:
        report = grade_evaluations(project, m, progress, bar)
    console.print(render(project, m, report))
    console.print(f"✔ {count(len(report.graded), 'évaluation corrigée', 'évaluations corrigées')}.")
    if any(not q.autograded for q in m.questions):
        console.print(
            "Les réponses rédigées se notent dans votre espace d'animateur "
            "(page « Corriger » de l'atelier)."
        )
    if report.failed:
        sys.exit(1)


@command(
    cli, "workshop", help="Écrit le retour en français de chaque apprenant et le met à disposition."
)
@click.argument("module")
def feedback(module: str) -> None:
    from course.trainer.feedback import generate_feedback

    project = open_project()
    paths = generate_feedback(project, find_module(project, module), progress)
    folder = project.layout.step_root("feedback")
    console.print(f"✔ {count(len(paths), 'retour écrit', 'retours écrits')} dans {folder}.")


@command(
    cli,
    "workshop",
    help="Imprime les attestations de participation d'un atelier, une page par apprenant. "
    "ATELIER est le numéro de l'atelier ; --apprenant pour un seul apprenant du groupe.",
)
@click.argument("atelier", type=int)
@click.option(
    "--apprenant",
    "learner_id",
    default=None,
    metavar="IDENTIFIANT",
    help="L'identifiant d'un seul apprenant (ex. helene), comme dans « course learners list ».",
)
@output_option("Le fichier PDF à écrire (par défaut dans var/attestations/).")
def attestations(atelier: int, learner_id: str | None, output: Path | None) -> None:
    from course.learner.attestation import group_attestations, write_learner_attestation

    project = open_project()
    if learner_id:
        path = write_learner_attestation(project, atelier, learner_id, output)
        console.print(f"✔ Attestation écrite dans {path} : à imprimer en A4.")
    else:
        path = group_attestations(project, atelier, output)
        console.print(f"✔ Attestations du groupe écrites dans {path} : à imprimer en A4.")


@command(
    cli,
    "workshop",
    "results-book",
    help="Imprime les résultats de tout le groupe d'un atelier dans un seul PDF. ATELIER est le "
    "numéro de l'atelier ; chaque apprenant et chaque module commencent une nouvelle page.",
)
@click.argument("atelier", type=int)
@output_option("Le fichier PDF à écrire (par défaut dans var/resultats/).")
def results_book(atelier: int, output: Path | None) -> None:
    from course.trainer.results_book import workshop_results

    path = workshop_results(open_project(), atelier, output)
    console.print(f"✔ Résultats de l'atelier écrits dans {path} : à imprimer en A4.")
