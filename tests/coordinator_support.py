"""Coordinator tests' support: sites that ran a real cycle, their bundles, one real PostgreSQL.

tests/conftest.py loads it as a plugin, so its fixtures serve every test."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path

import pytest
from support.project import FIXTURE_MODULES, essai_cycle, essai_project_at, free_port


def _pg_bin() -> Path:
    """$PG_BIN, else the newest Debian PostgreSQL (`apt-get install postgresql`)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
RIGHT = {
    "eval-couleur": "Bleu",
    "eval-fruits": ["Pomme", "Poire"],
    "eval-nombre": "7",
    "eval-ville-pays": ["France", "Italie"],
    "eval-message": "Oui, je viens dimanche !",
    "eval-boite": ["colis=signaler", "club=fiable"],
    "eval-site": "officiel",
    "eval-discussion": ["Oui, avec plaisir !", "Non, je ne donne jamais mon code."],
    "eval-formulaire": ["Martin", "Lyon"],
    "eval-etapes": ["Se lever", "Se laver", "Déjeuner"],
}
WRONG = {"eval-couleur": "Vert", "eval-fruits": ["Pomme"], "eval-nombre": "8"}


def configure(root: Path, lines: str) -> None:
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write("\n" + lines + "\n")


def run_site(root: Path, site: str, trainer: str, answers: dict, written: dict, config: str = ""):
    """A trainer's laptop after a real workshop on the essai module: its project, learners."""
    from course.settings import Project

    project = essai_project_at(root)
    configure(root, f"c.WorkshopSettings.site = {site!r}\n{config}")
    project, learners = essai_cycle(Project(root), answers, written)
    from course.learner.session import LearnerSession

    module = project.catalogue.get("essai")
    first = LearnerSession(project, module, next(iter(learners.values())).id)
    for question in module.practice_questions:  # the first learner finishes the lesson
        first.practice(question.id, question.model_answer())
    book = project.workshops()
    book.create(
        f"Atelier d'essai à {site}",
        date(2026, 11, 24),
        ["essai"],
        start=clock(14, 0),
        duration_minutes=90,
        place=site,
        trainer=trainer,
        notes="Maryvonne est venue avec sa voisine.",
        learner_ids=[lr.id for lr in learners.values()],
    )
    book.close()
    return project, learners


@pytest.fixture(scope="session")
def two_bundles(tmp_path_factory):
    """Bundles of two sites (Brest: Alice, Bruno; Quimper: Chloé) after real cycles, and the
    two sites' projects."""
    from course.coordinator.bundle import make_bundle

    base = tmp_path_factory.mktemp("sites")
    brest, _ = run_site(
        base / "brest", "Médiathèque de Brest", "Awa", {"Alice": RIGHT, "Bruno": WRONG},
        {"Alice": (2, "Très bien."), "Bruno": (0, "")},
    )  # fmt: skip
    quimper, _ = run_site(
        base / "quimper", "France Services Quimper", "Yann", {"Chloé": RIGHT},
        {"Chloé": (1, "")},
    )  # fmt: skip
    paths = []
    for project in (brest, quimper):
        path = base / f"{project.root.name}.zip"
        make_bundle(project, path)
        paths.append(path)
    return paths, (brest, quimper)


@pytest.fixture
def coordinator(tmp_path, monkeypatch):
    """An empty coordinator project (the essai module, no learners of its own)."""
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    return essai_project_at(tmp_path / "coordination")


# --- One real PostgreSQL for the test session -------------------------------------------------


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as `nobody`."""
    if os.getuid() != 0:
        return command
    return ["runuser", "-u", "nobody", "--", *command]


class Postgres:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ateliers-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.getuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
        self.dir.chmod(0o700)
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "ateliers", "-A", "trust"]
        subprocess.run(_as_server_user([*initdb, "-E", "UTF8"]), check=True,
                       capture_output=True)  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w"]
        log = ["-l", str(self.dir / "server.log"), "start"]
        subprocess.run(_as_server_user([*start, *log]), check=True, capture_output=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://ateliers@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=ateliers dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        stop = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True)
        time.sleep(0.2)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    if not (PG_BIN / "initdb").is_file():
        pytest.fail(f"PostgreSQL is missing ({PG_BIN}): scripts/test.sh installs `postgresql`.")
    server = Postgres()
    yield server
    server.stop()


# --- Fixed records (golden exports, figures) ---------------------------------------------------


def outcome(qid: str, score: float | None, top: float = 1):
    from course.coordinator.results import QuestionResult

    return QuestionResult(qid, score, top)


@pytest.fixture
def fixed_records(tmp_path):
    """Two sites' workshops and results with fixed dates, hostile text included."""
    from course.coordinator.records import LearnerInfo, Lesson, Records, Result
    from course.workshops import WorkshopBook

    book = WorkshopBook(tmp_path)
    w1 = book.create("Le ciel et les fruits", date(2026, 11, 24), ["essai"], start=clock(14),
                     duration_minutes=90, place="Médiathèque de Brest", trainer="Awa",
                     learner_ids=["brest-aaaa", "brest-bbbb"], uid="w-brest")  # fmt: skip
    book.settings.site = "France Services Quimper"
    w2 = book.create("=Atelier du mardi", date(2026, 11, 25), ["essai"], place="Mairie",
                     place_kind="Autre", equipment="Tablette", level="Intermediaire",
                     trainer="Yann", learner_ids=["quimper-cccc"], uid="w-quimper")  # fmt: skip
    book.close()
    for w, site in ((w1, "Médiathèque de Brest"), (w2, "France Services Quimper")):
        w.site = site
    full = [("eval-couleur", 1), ("eval-fruits", 1), ("eval-nombre", 1), ("eval-ville-pays", 1)]
    learners = {
        "brest-aaaa": LearnerInfo("brest-aaaa", "Médiathèque de Brest", "brest-aaaa", "Alice"),
        "brest-bbbb": LearnerInfo("brest-bbbb", "Médiathèque de Brest", "brest-bbbb", "+Bruno"),
        "quimper-cccc": LearnerInfo("quimper-cccc", "France Services Quimper", "quimper-cccc"),
    }
    sent = datetime(2026, 11, 24, 14, 55, tzinfo=UTC)  # 15:55 in Paris
    results = [
        Result("Médiathèque de Brest", "brest-aaaa", "essai", sent,
               {q: outcome(q, s) for q, s in full} | {"eval-message": outcome("eval-message", 2, 2)}),
        Result("Médiathèque de Brest", "brest-bbbb", "essai", sent,
               {q: outcome(q, 0.5 if q == "eval-fruits" else 0) for q, _ in full}
               | {"eval-message": outcome("eval-message", None, 2)}),
        Result("France Services Quimper", "quimper-cccc", "essai",
               datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
               {q: outcome(q, 1) for q, _ in full[:2]} | {"eval-message": outcome("eval-message", 1, 2)}),
    ]  # fmt: skip
    lessons = [Lesson("brest-aaaa", "essai", 2, 2)]
    return Records([w1, w2], learners, results, lessons)


@pytest.fixture
def essai_modules():
    from course.content.catalogue import Catalogue

    return Catalogue.load(FIXTURE_MODULES).modules
