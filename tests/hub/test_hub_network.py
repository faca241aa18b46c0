"""A network on one real JupyterHub with PostgreSQL: two sites, each with its own database on
the hub's PostgreSQL server (workshops and nbgrader gradebook), and the coordination service.

- the nbgrader cycle of site A runs from its trainer space behind the hub (open, collect,
  grade, a written answer graded, results released), on the site's PostgreSQL database, and
  its learners then have their results and attestation;
- the coordinator (group `coordination`) sees both sites' workshops and results live in the
  coordination service (`course serve --hub-coordination`), no bundle carried; a workshop added
  at a site shows at once; a trainer, a learner and an anonymous client are refused there.

One hub for the file (module-scoped), PostgreSQL started by the tests (coordinator_support).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import time
from datetime import date

import pytest
import requests
from coordinator_support import RIGHT, WRONG
from support.hub import COURSE, make_hub, running_hub
from support.project import essai_project_at

pytestmark = [pytest.mark.slow]

XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')
JETON = re.compile(r'data-jeton="([^"]+)"')
# No preheated kernel and no zygote: these tests open no learner page.
LIGHT = (
    "\nc.ServeSettings.pool_size = 0\nc.ServeSettings.max_pooled_kernels = 0\n"
    "c.ServeSettings.fork_kernels = False\n"
)
COORDINATION = "/services/coordination/coordination/"


class Client:
    """A browser without a browser: cookies kept, redirects followed (the hub's OAuth)."""

    def __init__(self, url: str, certificate: str):
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.verify = certificate

    def sign_in(self, name: str, secret: str, site: str = "") -> Client:
        page = self.http.get(f"{self.url}/hub/login", timeout=30)
        fields = {"_xsrf": XSRF_FIELD.search(page.text).group(1)}  # type: ignore[union-attr]
        fields |= {"kind": "apprenant", "site": site} if site else {"kind": "equipe"}
        fields |= {"username": name, "password": secret}
        answer = self.http.post(
            f"{self.url}/hub/login", data=fields, timeout=30, allow_redirects=False
        )
        assert answer.status_code == 302, f"hub sign-in refused for {name}"
        return self

    def get(self, path: str, **options) -> requests.Response:
        options.setdefault("timeout", 120)
        return self.http.get(self.url + path, **options)

    def post(self, path: str, **options) -> requests.Response:
        options.setdefault("timeout", 120)
        return self.http.post(self.url + path, **options)


@pytest.fixture(scope="module")
def network(tmp_path_factory, postgres):
    from course.hub import layout
    from course.hub.settings import load
    from course.settings import Project

    saved = os.environ.pop("COURSE_ROOT", None)
    folder = tmp_path_factory.mktemp("network")
    source = essai_project_at(folder / "source").root
    with (source / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(LIGHT)
    hub_dir = make_hub(
        folder / "hub",
        sites={"a": ["marie"], "b": ["paul"]},
        coordinators=["claire"],
        db_url=postgres.create_database("reseau"),
        source=source,
    )
    projects = {slug: Project(layout.site_dir(hub_dir, slug)) for slug in ("a", "b")}
    learners = {}
    for slug, names in {"a": ("Alice", "Bruno"), "b": ("Chloé",)}.items():
        for name in names:
            learners[name] = projects[slug].roster().add(name)  # (learner, code)
    workshops = {}
    for slug, names in {"a": ("Alice", "Bruno"), "b": ("Chloé",)}.items():
        book = projects[slug].workshops()
        workshops[slug] = book.create(
            f"Atelier du site {slug.upper()}", date(2026, 11, 24), ["essai"],
            trainer=slug, learner_ids=[learners[n][0].id for n in names], show_result=True,
        ).id  # fmt: skip
        book.close()
    settings = load(hub_dir)
    try:
        with running_hub(hub_dir, timeout=600) as running:
            yield {
                "hub": running,
                "projects": projects,
                "learners": learners,
                "workshops": workshops,
                "certificate": settings.ssl_cert,
                "hub_url": settings.db_url,
            }
    finally:
        if saved is not None:
            os.environ["COURSE_ROOT"] = saved


def client(network, name: str = "", site: str = "") -> Client:
    made = Client(network["hub"].url, network["certificate"])
    if not name:
        return made
    if site:
        return made.sign_in(name, network["learners"][name][1], site)
    return made.sign_in(name, f"{name}-mot-de-passe")


def run_step(trainer: Client, jeton: str, workshop: int, step: str) -> dict:
    """One step of the cycle from the trainer space's buttons (their JSON API), until done."""
    base = "/services/site-a/atelier/api"
    started = trainer.post(f"{base}/ateliers/{workshop}/etapes/{step}", headers={"X-Jeton": jeton})
    assert started.status_code in (200, 202), started.text
    job = started.json()
    deadline = time.monotonic() + 300
    while job["running"] and time.monotonic() < deadline:
        time.sleep(0.5)
        job = trainer.get(f"{base}/taches/{job['id']}").json()
    assert job["state"] == "terminé", job
    return job


def answer_in_chromium(network, name: str, module) -> None:
    """In Chromium: the learner signs in at the hub, opens the released evaluation at site A,
    answers every question (the model answers, a sentence for the written one) and sends."""
    from browser_chromium import Guard
    from browser_support import answer, expected_answer, new_context, wait_drawn

    guard = Guard()
    context = new_context(guard, ignore_https_errors=True)  # the test's own certificate
    try:
        page = context.new_page()
        page.goto(f"{network['hub'].url}/services/site-a/voila/render/essai/evaluation.ipynb")
        page.get_by_label("Mon lieu d'atelier").select_option("a")
        page.get_by_label("Mon prénom").fill(name)
        page.get_by_label("Mon code (sur ma carte)").fill(network["learners"][name][1])
        page.get_by_role("button", name="Entrer").click()
        wait_drawn(page)
        for question in module.questions:
            answer(page, question, expected_answer(question))
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.get_by_role("button", name="Oui, j'envoie").click()
        page.locator(".cq-panel").get_by_role("heading", name="C'est envoyé. Merci.").wait_for()
    finally:
        context.close()
    guard.check()


@pytest.fixture(scope="module")
def cycle_a(network):
    """Site A's nbgrader cycle, run by its trainer through the hub, Alice answering on her page
    in Chromium (Bruno in-process); site B's cycle in-process."""
    from course.learner.session import LearnerSession
    from course.trainer.workflow import collect, grade, release

    project, learners = network["projects"]["a"], network["learners"]
    module = project.catalogue.get("essai")
    workshop = network["workshops"]["a"]
    trainer = client(network, "marie")
    home = trainer.get(f"/services/site-a/atelier/ateliers/{workshop}")
    assert home.status_code == 200, home.status_code
    jeton = JETON.search(home.text).group(1)  # type: ignore[union-attr]
    run_step(trainer, jeton, workshop, "ouvrir")
    answer_in_chromium(network, "Alice", module)  # her real page, through the hub
    session = LearnerSession(project, module, learners["Bruno"][0].id)
    for question_id, answer in WRONG.items():
        session.answer(question_id, answer)
    session.submit()
    run_step(trainer, jeton, workshop, "ramasser")
    run_step(trainer, jeton, workshop, "corriger")
    graded = trainer.post(
        f"/services/site-a/atelier/ateliers/{workshop}/correction",
        data={"learner": learners["Alice"][0].id, "question": "eval-message", "score": "2",
              "comment": "Très bien.", "_jeton": jeton},
    )  # fmt: skip
    assert graded.status_code == 200 and "Note enregistrée" in graded.text
    run_step(trainer, jeton, workshop, "rendre")
    site_b = network["projects"]["b"]
    chloe = learners["Chloé"][0]
    # Site B's cycle runs in-process on its own database (its trainer space is A's twin).
    release(site_b, module)
    session = LearnerSession(site_b, module, chloe.id)
    for question_id, answer in RIGHT.items():
        session.answer(question_id, answer)
    session.submit()
    collect(site_b, module)
    grade(site_b, module)
    return trainer


@pytest.mark.browser
def test_site_cycle_from_the_trainer_space_on_postgresql(network, cycle_a):
    import sqlalchemy
    from browser_support import FREE_TEXT

    from course.answers.released import read_results
    from course.answers.store import ANSWERS_FILE, AnswerStore
    from course.coordinator.results import gradebook_url
    from course.hub.databases import site_database_name
    from course.learner.attestation import learner_attestation

    project = network["projects"]["a"]
    url = gradebook_url(project)
    assert url.startswith("postgresql+psycopg://")
    assert url.endswith("/" + site_database_name(network["hub_url"], "a"))  # reseau_site_a
    assert not (project.course_dir / "gradebook.db").exists()
    assert not (project.data_dir / "ateliers.sqlite").exists()
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as con:
        grades = con.execute(sqlalchemy.text("SELECT count(*) FROM grade")).scalar()
        assert grades and grades % 2 == 0  # both learners' grades, in nbgrader's own tables
        titles = con.execute(sqlalchemy.text("SELECT title FROM course_workshops")).scalars()
        assert list(titles) == ["Atelier du site A"]
    engine.dispose()
    alice, bruno = (network["learners"][n][0] for n in ("Alice", "Bruno"))
    # Alice answered on her page in Chromium: her written answer is the page's, and her grade
    # is full (the autograded questions, and the written one graded 2 by her trainer).
    written = project.workspace(alice.id, "essai") / ANSWERS_FILE
    assert AnswerStore(written).answers["eval-message"] == FREE_TEXT
    released = read_results(project.workspace(alice.id, "essai"))
    assert released is not None and released.score == released.max_score
    assert released.max_score > 2
    assert read_results(project.workspace(bruno.id, "essai")) is not None
    assert learner_attestation(project, alice.id).startswith(b"%PDF")
    # Site B's gradebook is another database: A's cycle wrote nothing there.
    assert gradebook_url(network["projects"]["b"]).endswith("_site_b")


@pytest.mark.browser
def test_the_coordinator_sees_every_site_live(network, cycle_a):
    claire = client(network, "claire")
    board = claire.get(COORDINATION)
    assert board.status_code == 200, board.status_code
    assert board.url.startswith(network["hub"].url + COORDINATION)
    for text in ("Atelier du site A", "Atelier du site B", "Site A", "Site B"):
        assert text in board.text, text
    export = claire.get(COORDINATION + "exports/resultats-anonymes.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in rows if "Site" in r)
    sites = [r[header.index("Site")] for r in rows[rows.index(header) + 1 :] if len(r) > 1]
    assert sorted(sites) == ["Site A", "Site A", "Site B"]
    assert not any("Alice" in ";".join(r) or "Chloé" in ";".join(r) for r in rows)
    # Live: a workshop added at site B is on the dashboard at the next page, no bundle.
    book = network["projects"]["b"].workshops()
    chloe = network["learners"]["Chloé"][0]
    book.create(
        "Atelier ajouté à B", date(2026, 11, 26), ["essai"], trainer="paul", learner_ids=[chloe.id]
    )  # fmt: skip  (a workshop with nobody is not counted)
    book.close()
    assert "Atelier ajouté à B" in claire.get(COORDINATION).text


def test_trainers_learners_and_anonymous_clients_are_refused(network):
    trainer = client(network, "marie")
    assert trainer.get(COORDINATION).status_code == 403
    learner = client(network, "Alice", site="a")
    assert learner.get(COORDINATION).status_code == 403
    assert learner.get(COORDINATION + "exports/resultats-anonymes.csv").status_code == 403
    anonymous = client(network)
    first = anonymous.get(COORDINATION, allow_redirects=False)
    assert first.status_code == 302 and "/hub/api/oauth2/authorize" in first.headers["Location"]
    assert "/hub/login" in anonymous.get(COORDINATION).url  # the hub's sign-in, nothing else
    assert anonymous.post(COORDINATION + "paquets").status_code == 403
    export = anonymous.get(COORDINATION + "exports/resultats.csv", allow_redirects=False)
    assert export.status_code == 302
    # The one public door: a laptop outside the hub pushes its signed payload (no hub account);
    # unsigned, the sync API itself refuses it, in French, and nothing is imported.
    push = anonymous.post(COORDINATION + "api/envoi", data=b"{}", allow_redirects=False)
    assert push.status_code in (400, 403) and push.json()["erreur"]


def test_upgrade_db_covers_the_hub_and_every_site_database(network, tmp_path):
    """`course upgrade-db --hub`: the hub's PostgreSQL database, each site's own, and the
    coordination's book (all at the newest version here: nothing changes)."""
    done = subprocess.run(
        [*COURSE, "upgrade-db", "--hub", str(network["hub"].hub_dir)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "COURSE_ROOT"},
    )
    assert done.returncode == 0, done.stderr
    assert "Base du hub à jour" in done.stdout
    for part in ("Site « Site A » :", "Site « Site B » :", "Coordination :"):
        assert part in done.stdout
    assert done.stdout.count("La base des ateliers est déjà à jour") == 3
    # nbgrader's own upgrade of each site's gradebook (`nbgrader db upgrade`), said per site.
    assert done.stdout.count("Le carnet de notes nbgrader est déjà à jour (version ") == 2


def old_gradebook(url: str) -> None:
    """A gradebook as an older nbgrader left it (revision 167914646830): no `lms_user_id` on
    students, no course on assignments (what nbgrader's two later revisions add)."""
    import sqlalchemy
    from nbgrader.api import Gradebook

    from course.trainer.nbgrader_setup import ensure_tools_on_path

    ensure_tools_on_path()  # nbgrader asks the `alembic` program for its newest revision
    with Gradebook(url) as book:
        book.add_student("alice", first_name="Alice")
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as con:
        con.execute(sqlalchemy.text("ALTER TABLE student DROP COLUMN lms_user_id"))
        con.execute(sqlalchemy.text("ALTER TABLE assignment DROP COLUMN course_id"))
        con.execute(sqlalchemy.text("UPDATE alembic_version SET version_num = '167914646830'"))
    engine.dispose()


def test_upgrade_db_brings_an_old_site_gradebook_to_nbgraders_newest(postgres, tmp_path):
    """On a hub not running: site A's gradebook is an older nbgrader's, site B's is new;
    `course upgrade-db --hub` runs nbgrader's migrations on A's, keeps its learners, and says
    per site what it did, in French."""
    import sqlalchemy

    from course.coordinator.results import gradebook_url
    from course.hub import layout
    from course.settings import Project

    hub_dir = make_hub(
        tmp_path / "hub", sites={"a": [], "b": []}, db_url=postgres.create_database("ancien"),
        https=False, source=essai_project_at(tmp_path / "source").root,
    )  # fmt: skip
    url = gradebook_url(Project(layout.site_dir(hub_dir, "a")))
    old_gradebook(url)
    env = {k: v for k, v in os.environ.items() if k != "COURSE_ROOT"}
    env["PATH"] = "/usr/bin:/bin"  # no `alembic` program at hand: nbgrader's API is used
    done = subprocess.run(
        [*COURSE, "upgrade-db", "--hub", str(hub_dir)],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    site_a, site_b = done.stdout.split("Site « Site B » :")
    assert "Carnet de notes nbgrader mis à jour : version 167914646830 → e43177bfe90b." in site_a
    assert "Le carnet de notes nbgrader est déjà à jour (version e43177bfe90b)." in site_b
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as con:
        columns = {c["name"] for c in sqlalchemy.inspect(con).get_columns("student")}
        assert "lms_user_id" in columns
        assert con.execute(sqlalchemy.text("SELECT first_name FROM student")).scalar() == "Alice"
        version = con.execute(sqlalchemy.text("SELECT version_num FROM alembic_version"))
        assert version.scalar() == "e43177bfe90b"
    engine.dispose()
    again = subprocess.run(
        [*COURSE, "upgrade-db", "--hub", str(hub_dir)],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert "Le carnet de notes nbgrader est déjà à jour (version e43177bfe90b)." in again.stdout


def test_the_coordinator_signs_out_and_the_old_cookies_open_nothing(network):
    claire = client(network, "claire")
    board = claire.get(COORDINATION)
    assert board.status_code == 200 and "Se déconnecter" in board.text
    jeton = JETON.search(board.text).group(1)  # type: ignore[union-attr]
    copied = requests.utils.dict_from_cookiejar(claire.http.cookies)
    out = claire.post(COORDINATION + "deconnexion", data={"_jeton": jeton}, allow_redirects=False)
    assert out.status_code == 303 and out.headers["Location"] == "/hub/logout"
    claire.get("/hub/logout")
    replay = client(network)
    replay.http.cookies.update(copied)  # a copy of every cookie she had
    again = replay.get(COORDINATION, allow_redirects=False)
    assert again.status_code == 302 and "/hub/api/oauth2/authorize" in again.headers["Location"]


@pytest.mark.browser
def test_a_learner_reads_results_and_attestation_on_the_hub(network, cycle_a, guard):
    """In Chromium: Alice signs in at the hub, opens her results page at site A (served by the
    site's service, her kernel reading the released results) and makes her attestation (the
    workshop read from the site's PostgreSQL database, in her page's kernel)."""
    from browser_support import new_context, wait_drawn

    from course.answers.released import read_results
    from course.learner.results_view import score_sentence

    project = network["projects"]["a"]
    alice, code = network["learners"]["Alice"]
    expected = score_sentence(read_results(project.workspace(alice.id, "essai")))  # type: ignore[arg-type]
    context = new_context(guard, ignore_https_errors=True)  # the test's own certificate
    try:
        page = context.new_page()
        page.goto(f"{network['hub'].url}/services/site-a/voila/render/essai/resultats.ipynb")
        page.get_by_label("Mon lieu d'atelier").select_option("a")
        page.get_by_label("Mon prénom").fill("Alice")
        page.get_by_label("Mon code (sur ma carte)").fill(code)
        page.get_by_role("button", name="Entrer").click()
        wait_drawn(page)
        assert page.get_by_text(expected).is_visible()
        page.get_by_role(
            "button", name="Télécharger mon attestation de participation en PDF"
        ).click()
        page.get_by_text(re.compile("attestation-2026-11-24-.*est téléchargé")).wait_for(
            timeout=60_000
        )
        link = page.get_by_role("link", name=re.compile("Enregistrer de nouveau le fichier"))
        assert link.get_attribute("href").startswith("data:application/pdf;base64,")
    finally:
        context.close()
