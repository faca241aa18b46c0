"""Presence and what follows it, in process (`support.spaces`): who came (the group page, the
live table), the « feuille d'émargement », attestations for those who came only, the results
book without command names, this workshop's exports, « Envoyer à la coordination » and the way
to the coordination space; the warning when the room's address is this computer's only."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner
from pypdf import PdfReader
from support.spaces import workshop_form


def pdf_text(page) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.body))
    return len(reader.pages), " ".join(p.extract_text() for p in reader.pages)


def group_of_three(trainer) -> str:
    made = trainer.post("", workshop_form(title="Le courriel"))
    workshop = made.location.split("?")[0]
    for name in ("Hélène", "Ahmed", "Zoé"):
        trainer.post(workshop, {"op": "inscrire", "name": name})
    return workshop


def test_presence_is_marked_on_the_group_page_and_in_the_live_table(trainer, essai_project):
    workshop = group_of_three(trainer)
    form = trainer.get(workshop).soup.select_one("#presences form")
    assert [i["value"] for i in form.select("input[name=present]")] == ["ahmed", "helene", "zoe"]
    marked = trainer.post(workshop + "/presences", [("present", "helene"), ("present", "ahmed"),
                          ("present", "intrus")], follow=True)  # fmt: skip
    assert marked.status_text() == "Présences enregistrées : 2 sur 3."
    wid = int(workshop.rsplit("/", 1)[1])
    assert sorted(essai_project.workshops().get(wid).present_ids) == ["ahmed", "helene"]
    checked = [i["value"] for i in marked.soup.select("#presences input[checked]")]
    assert checked == ["ahmed", "helene"]
    live = trainer.get(workshop + "/suivi?module=essai")
    buttons = [b.get_text(" ") for b in live.row("Zoé").find_all("button")]
    assert any(b.startswith("Marquer présent") for b in buttons), buttons
    toggled = trainer.post(workshop + "/presences", {"learner": "zoe", "present": "oui",
                           "retour": "suivi", "module": "essai"})  # fmt: skip
    assert toggled.location.startswith(workshop + "/suivi?module=essai")
    trainer.post(workshop + "/presences", {"learner": "ahmed", "present": "non"})
    assert sorted(essai_project.workshops().get(wid).present_ids) == ["helene", "zoe"]
    stranger = trainer.post(workshop + "/presences", {"learner": "inconnu", "present": "oui"})
    assert stranger.status == 400
    # Two tabs: the group page drawn before Zoé was marked in the live table keeps her mark.
    drawn = trainer.get(workshop).soup.select_one("#presences form")
    before = drawn.select_one("input[name=avant]")["value"]
    trainer.post(workshop + "/presences", {"learner": "ahmed", "present": "oui"})  # other tab
    trainer.post(
        workshop + "/presences", [("avant", before), ("present", "helene")]
    )  # Zoé unticked
    assert sorted(essai_project.workshops().get(wid).present_ids) == ["ahmed", "helene"]


def test_the_attendance_sheet_and_attestations_follow_presence(trainer, essai_project):
    workshop = group_of_three(trainer)
    docs = workshop + "/documents/"
    nobody = trainer.get(docs + "attestations.pdf")
    assert nobody.status == 400 and "Personne n'est marqué présent" in nobody.words()
    assert nobody.soup.find("a", string="Ouvrir le groupe et les présences")  # the way to fix it
    trainer.post(workshop + "/presences", [("present", "helene"), ("present", "ahmed")])
    sheet = trainer.get(docs + "emargement.pdf")
    assert sheet.headers["Content-Type"] == "application/pdf"
    _pages, text = pdf_text(sheet)
    assert "Feuille d'émargement" in text and "Le courriel" in text and "Camille Martin" in text
    assert all(name in text for name in ("Hélène", "Ahmed", "Zoé"))
    assert "3 personnes inscrites, 2 marquées présentes" in text
    group = trainer.get(docs + "attestations.pdf")
    pages, text = pdf_text(group)
    assert pages == 2 and "Hélène" in text and "Ahmed" in text and "Zoé" not in text
    assert "attachment" in group.headers["Content-Disposition"]
    kept = list((essai_project.data_dir / "attestations").glob("*.pdf"))
    assert kept and all(p.stat().st_mode & 0o077 == 0 for p in kept)
    one = trainer.get(docs + "attestations.pdf?apprenant=helene")
    assert pdf_text(one)[0] == 1 and "Hélène" in pdf_text(one)[1]
    absent = trainer.get(docs + "attestations.pdf?apprenant=zoe")
    assert absent.status == 400 and "n'est pas marquée présente" in absent.words()
    listed = trainer.get(workshop + "/documents")
    links = [a.get_text() for a in listed.soup.select("main a")]
    assert "Attestation de Hélène (PDF)" in links and "Attestation de Zoé (PDF)" not in links


def test_someone_who_worked_counts_as_present(trainer, essai_project):
    from course.learner.session import LearnerSession

    workshop = group_of_three(trainer)
    module = essai_project.catalogue.get("essai")
    LearnerSession(essai_project, module, "zoe").answer(module.questions[0].id, "Bleu")
    _pages, text = pdf_text(trainer.get(workshop + "/documents/attestations.pdf"))
    assert "Zoé" in text and "Hélène" not in text


def test_the_results_book_names_no_command_and_the_exports_are_this_workshops(trainer):
    workshop = group_of_three(trainer)
    nobody = trainer.get(workshop + "/documents/activite.csv")  # La Coop counts who came
    assert nobody.status == 400 and "Personne n'est marqué présent" in nobody.words()
    trainer.post(workshop + "/presences", [("present", "helene")])
    book = trainer.get(workshop + "/documents/resultats.pdf")
    pages, text = pdf_text(book)
    assert pages == 1 and "Hélène" in text and "n'ont pas encore été rendus" in text
    assert "course" not in text.replace("Ateliers numériques", "")
    results = trainer.get(workshop + "/documents/resultats.csv")
    assert results.headers["Content-Type"].startswith("text/csv")
    activity = trainer.get(workshop + "/documents/activite.csv").body.decode("utf-8-sig")
    assert "Le courriel" in activity and "Médiathèque, salle 2" in activity
    assert trainer.get(workshop + "/documents/resultats.xlsx").body.startswith(b"PK")
    other = trainer.post("", workshop_form(title="Vide", start="16:00")).location.split("?")[0]
    empty = trainer.get(other + "/documents/activite.csv")
    assert empty.status == 400 and "compté dans aucun rapport" in empty.words()


def test_envoyer_a_la_coordination(trainer, essai_project):
    workshop = group_of_three(trainer)
    page = trainer.get("envoyer")
    assert "Le paquet de « Médiathèque d'essai »" in page.words()
    bundle = trainer.get("envoyer/paquet.zip")
    name = bundle.headers["Content-Disposition"].split('"')[1]
    assert name.startswith("paquet-mediatheque-d-essai-") and name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(bundle.body)) as archive:
        assert "workshops.json" in archive.namelist()
        assert "Le courriel" in archive.read("workshops.json").decode()
    kept = essai_project.data_dir / "paquets" / name
    assert kept.read_bytes() == bundle.body and kept.stat().st_mode & 0o077 == 0
    assert (essai_project.data_dir / "paquets").stat().st_mode & 0o777 == 0o700
    assert name in trainer.get("envoyer").words()
    assert trainer.get(workshop + "/documents").soup.find("a", string="Envoyer à la coordination")
    # The way to the coordination space, from this computer: a fresh link, then signed in.
    went = trainer.post("vers-la-coordination", {})
    assert went.status == 303 and went.location.startswith("/coordination/connexion?jeton=")
    entered = trainer.get(went.location)
    assert entered.status == 303 and "atelier-coordinator" in trainer.cookies
    (essai_project.data_dir / "site.json").unlink()  # no name: said, with the way to set it
    unnamed = trainer.get("envoyer/paquet.zip")
    assert unnamed.status == 400 and "Ce site n'a pas encore de nom" in unnamed.words()
    assert (
        unnamed.soup.find("a", string="Ouvrir les réglages du site")["href"] == "/atelier/reglages"
    )


def test_an_address_of_this_computer_only_is_said_with_the_way_to_open_it(trainer, monkeypatch):
    from course.settings import ROOM_ENV

    workshop = group_of_three(trainer)
    local = trainer.get(workshop)  # the in-process server: 127.0.0.1
    warning = local.soup.select_one("#adresse-locale").get_text(" ")
    assert "ne marche que sur cet ordinateur" in warning and "--host 0.0.0.0" in warning
    _pages, text = pdf_text(trainer.get(workshop + "/cartes.pdf"))
    assert "Sur cet ordinateur seulement" in text
    monkeypatch.setenv(ROOM_ENV, "http://192.168.1.20:8866")
    room = trainer.get(workshop)
    assert room.soup.select_one("#adresse-locale") is None
    _pages, text = pdf_text(trainer.get(workshop + "/cartes.pdf"))
    assert "Dans le navigateur, tapez" in text and "192.168.1.20:8866" in text


def test_course_space_prints_the_port_serve_runs_on(essai_project, monkeypatch):
    from course.cli import cli
    from course.server.running import forget_running, record_running, running_port
    from course.server.tls import self_signed

    monkeypatch.chdir(essai_project.root)
    assert running_port(essai_project) is None
    record_running(essai_project, "127.0.0.1", 8901)  # as `course serve --port 8901` does
    said = CliRunner().invoke(cli, ["space"])
    assert (
        said.exit_code == 0 and "http://127.0.0.1:8901/coordination/connexion?jeton=" in said.output
    )
    forget_running(essai_project)
    said = CliRunner().invoke(cli, ["space"])
    assert "http://127.0.0.1:8866/coordination/" in said.output
    # `course serve --self-signed` (or --certfile) records HTTPS with its port.
    record_running(essai_project, "0.0.0.0", 8902, tls=self_signed(essai_project, ["127.0.0.1"]))
    said = CliRunner().invoke(cli, ["space"])
    assert "https://127.0.0.1:8902/coordination/connexion?jeton=" in said.output
    forget_running(essai_project)


def test_a_workshop_made_before_the_site_was_named_gets_its_name(essai_project):
    from datetime import date

    from support.spaces import save_site_settings

    from course.learner.attestation import learner_attestation

    book = essai_project.workshops()
    made = book.create("Avant le nom", date(2026, 12, 1), ["essai"], learner_ids=["helene"])
    book.close()
    assert made.site == ""
    save_site_settings(essai_project, "Médiathèque de Quimper")
    text = " ".join(PdfReader(io.BytesIO(learner_attestation(essai_project, "helene", made.id)))
                    .pages[0].extract_text().split())  # fmt: skip
    assert "Fait à Médiathèque de Quimper" in text
