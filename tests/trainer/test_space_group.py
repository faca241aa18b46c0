"""The trainer's space, in process (`support.spaces`): today's workshops, the group and its
cards, as the pages' forms send them. Each test starts from an empty essai project and takes
milliseconds per request; the browser journey (test_browser_trainer_space.py) keeps what only
a browser proves."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from support.spaces import workshop_form

from course.access.roster import SignInError


def new_workshop(trainer, **form) -> str:
    """Create a workshop through the home page's form; return its page's path."""
    made = trainer.post("", workshop_form(**form))
    assert made.status == 303, made.text
    return made.location.split("?")[0]


def enrol(trainer, workshop: str, name: str, same: str = ""):
    form = {"op": "inscrire", "name": name, **({"same": same} if same else {})}
    return trainer.post(workshop, form, follow=True)


def code_of(page, name: str) -> str:
    return page.row(name).select_one(".code").get_text()


def test_a_workshop_is_created_and_its_group_enrolled(trainer, essai_project):
    home = trainer.get("")
    assert home.soup.h1.get_text() == "Les ateliers du jour"
    assert "Aucun atelier aujourd'hui" in home.words()
    page = trainer.post("", workshop_form(), follow=True)
    assert page.status_text() == "L'atelier est créé. Inscrivez maintenant le groupe."
    workshop = page.url.split("?")[0]
    assert page.soup.h1.get_text().startswith("Le groupe :")
    assert "Médiathèque, salle 2" in page.words() and "14 h 00" in page.words()
    codes = {}
    for name in ("Hélène", "Ahmed", "Zoé"):
        page = enrol(trainer, workshop, name)
        assert page.status == 200 and page.status_text() == f"{name} est dans le groupe."
        codes[name] = code_of(page, name)  # shown once, on the answer to the form
    assert "Le groupe (3)" in page.words()
    assert all(re.fullmatch(r"\w{3} \w{3}", code) for code in codes.values()), codes
    home = trainer.get("")
    assert re.search(r"14 h 00, \d+ minutes, Médiathèque, salle 2 ; 3 personnes inscrites",
                     home.words())  # fmt: skip


def test_the_same_first_name_asks_whether_it_is_the_same_person(trainer, essai_project):
    workshop = new_workshop(trainer)
    enrol(trainer, workshop, "Hélène")
    asked = trainer.post(workshop, {"op": "inscrire", "name": "Hélène"})
    assert asked.status == 409
    assert asked.status_text() == "Hélène est déjà dans le groupe : même personne ?"
    buttons = [b.get_text() for b in asked.soup.select("section.ask button")]
    assert buttons == ["Oui, la même personne", "Non, une autre personne"]
    same = enrol(trainer, workshop, "Hélène", same="oui")
    assert "Le groupe (1)" in same.words()
    other = enrol(trainer, workshop, "Hélène", same="non")
    assert "Le groupe (2)" in other.words()
    assert [lr.id for lr in essai_project.roster().learners()] == ["helene", "helene-2"]


def test_renaming_a_lost_card_and_removing(trainer, essai_project):
    workshop = new_workshop(trainer)
    old_code = code_of(enrol(trainer, workshop, "Léa 🌸"), "Léa")
    enrol(trainer, workshop, "Marc")
    page = trainer.post(workshop, {"op": "renommer", "learner": "lea", "name": "Léonie"}, True)
    assert page.status_text() == "Léonie : prénom changé. Réimprimez sa carte."
    assert "leonie" in {lr.id for lr in essai_project.roster().learners()}
    assert "code donné à" in page.row("Léonie").get_text()  # shown once already
    # The card's code follows the new name.
    assert essai_project.roster().sign_in("Léonie", old_code.replace(" ", "")).id == "leonie"
    assert trainer.post(workshop, {"op": "code", "learner": "leonie"}).status == 400  # no asking
    link = page.row("Léonie").select_one('a[href*="nouveau-code"]')
    assert link.get_text() == "Carte perdue : nouveau code pour Léonie"
    asked = trainer.get(link["href"])  # a page of its own asks first: no script needed
    assert asked.soup.h2.get_text() == "Donner un nouveau code à Léonie ?"
    assert "Sa carte imprimée ne marchera plus" in asked.words()
    kept = trainer.post(workshop + "/nouveau-code", {"learner": "leonie", "confirme": "non"}, True)
    assert kept.status_text() == "Rien n'a changé : la carte de Léonie marche toujours."
    assert essai_project.roster().sign_in("Léonie", old_code.replace(" ", "")).id == "leonie"
    stale = trainer.post(workshop + "/nouveau-code", {"learner": "leonie", "confirme": "oui"}, True)
    assert "Redemandez un nouveau code" in stale.status_text()  # no form number: nothing made
    assert essai_project.roster().sign_in("Léonie", old_code.replace(" ", "")).id == "leonie"
    once = asked.soup.select_one('input[name="formulaire"]')["value"]
    yes = {"learner": "leonie", "confirme": "oui", "formulaire": once}
    page = trainer.post(workshop + "/nouveau-code", yes, True)
    assert "Nouveau code donné à Léonie : l'ancienne carte ne marche plus." in page.status_text()
    new_code = code_of(page, "Léonie")
    assert new_code != old_code
    # A double click (or the back button and « Oui » again) makes no second code.
    again = trainer.post(workshop + "/nouveau-code", yes, True)
    assert again.status_text() == (
        "Le nouveau code de Léonie est déjà donné : un seul code, une seule carte à imprimer."
    )
    assert essai_project.roster().sign_in("Léonie", new_code.replace(" ", "")).id == "leonie"
    with pytest.raises(SignInError):
        essai_project.roster().sign_in("Léonie", old_code.replace(" ", ""))
    page = trainer.post(workshop, {"op": "retirer", "learner": "marc"}, follow=True)
    assert page.status_text() == "La personne est retirée du groupe."
    assert "Le groupe (1)" in page.words() and "Marc" not in page.words()


def test_the_cards_pdf_names_everyone_with_the_room_address(trainer, essai_project):
    workshop = new_workshop(trainer)
    for name in ("Hélène", "Zoé"):
        page = enrol(trainer, workshop, name)
    code = code_of(page, "Zoé")
    pdf = trainer.get(workshop + "/cartes.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
    room = page.soup.select_one(".address").get_text()
    assert room in text and "Hélène" in text and "Zoé" in text and code in text
    kept = list((essai_project.data_dir / "cards").glob("*.pdf"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0  # the trainer's only
    one = trainer.get(workshop + "/cartes.pdf?apprenant=zoe")
    text = PdfReader(io.BytesIO(one.body)).pages[0].extract_text()
    assert "Zoé" in text and "Hélène" not in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Le prénom est vide."),
        ("A" * 500, "Le prénom est trop long"),
        ("🙂🙂", "au moins une lettre"),
        ("../", "au moins une lettre"),
    ],
)
def test_a_bad_first_name_is_refused_in_french(trainer, essai_project, name, message):
    workshop = new_workshop(trainer)
    refused = trainer.post(workshop, {"op": "inscrire", "name": name})
    assert refused.status == 400 and message in refused.status_text()
    assert essai_project.roster().learners() == []


def test_odd_names_are_kept_as_typed_and_their_ids_are_safe(trainer, essai_project):
    workshop = new_workshop(trainer)
    assert enrol(trainer, workshop, "Léa 🌸").status == 200
    assert enrol(trainer, workshop, "../../etc").status == 200
    ids = {lr.id: lr.name for lr in essai_project.roster().learners()}
    assert ids == {"lea": "Léa 🌸", "etc": "../../etc"}
    assert not (essai_project.root.parent / "etc").exists()


def test_an_empty_workshop_has_no_cards_progress_or_results(trainer):
    workshop = new_workshop(trainer)
    cards = trainer.get(workshop + "/cartes.pdf")
    assert cards.status == 400 and "Aucun apprenant dans ce groupe" in cards.words()
    assert "Personne n'est inscrit" in trainer.get(workshop + "/suivi").words()
    assert "Pas encore de résultats" in trainer.get(workshop + "/resultats").words()


def test_bad_workshop_forms_are_refused_in_french(trainer):
    unreadable = trainer.post("", workshop_form(start="midi"))
    assert unreadable.status == 400
    assert "L'heure « midi » n'existe pas" in unreadable.status_text()
    assert trainer.post("", workshop_form(module="inconnu")).status_text() == (
        "Choisissez le module de l'atelier."
    )
    missing = trainer.get("ateliers/99")
    assert missing.status == 400 and missing.soup.h1.get_text() == "Ce n'est pas possible"
    workshop = new_workshop(trainer)
    odd = trainer.post(workshop, {"op": "effacer-tout", "learner": "x"})
    assert odd.status == 400 and "Cette action n'est pas possible ici." in odd.status_text()


def test_someone_who_sent_an_evaluation_keeps_their_name(trainer, essai_project):
    from course.learner.session import LearnerSession

    workshop = new_workshop(trainer)
    enrol(trainer, workshop, "Ahmed")
    module = essai_project.catalogue.get("essai")
    from course.trainer.workflow import release

    release(essai_project, module)
    session = LearnerSession(essai_project, module, "ahmed")
    session.answer(module.questions[0].id, "Bleu")
    session.submit()
    refused = trainer.post(workshop, {"op": "renommer", "learner": "ahmed", "name": "Karim"})
    assert refused.status == 400 and "a déjà envoyé une évaluation" in refused.status_text()


def test_a_new_code_is_shown_once_printed_again_soon_after_and_forgotten_at_sign_out(
    trainer, essai_project
):
    """The next person at a shared computer reads no code made during this run; the trainer
    who opens the cards twice (a PDF viewer asks again, a jammed printer) gets the code twice
    (walk.md trainer 6: the second PDF carried none)."""
    workshop = new_workshop(trainer)
    code = code_of(enrol(trainer, workshop, "Zoé"), "Zoé")
    again = trainer.get(workshop)
    assert again.row("Zoé").select_one(".code") is None
    assert re.search(r"code donné à \d+ h \d\d", again.row("Zoé").get_text())
    assert code not in again.text
    pdf = trainer.get(workshop + "/cartes.pdf?apprenant=zoe")
    assert code in PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
    pdf = trainer.get(workshop + "/cartes.pdf")  # again, right after: still on the card
    assert code in PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
    # A new code, not printed; the trainer signs out: the server's memory forgets it.
    enrol(trainer, workshop, "Hélène")
    codes = trainer.space.extra["codes"]
    assert "helene" in codes.printable()
    trainer.post("deconnexion", {})
    assert codes.printable() == {}


def test_a_locked_learner_is_shown_and_unlocked_from_the_group_and_the_live_table(
    trainer, essai_project
):
    """Five wrong codes lock a first name; the trainer sees it on the group page and the live
    table (« Bloqué jusqu'à 9 h 10 », in the project's time zone) and lifts it, card unchanged."""
    from course.core import french

    workshop = new_workshop(trainer)
    page = enrol(trainer, workshop, "Hélène")
    code = code_of(page, "Hélène").replace(" ", "")
    roster = essai_project.roster()
    for _ in range(roster.max_failures):
        with pytest.raises(SignInError):
            roster.sign_in("Hélène", "FAUX99")
    until = french.clock(roster.locked_until("helene"))
    page = trainer.get(workshop)
    assert f"Bloqué jusqu'à {until} : trop de codes faux." in page.row("Hélène").get_text(" ")
    follow = trainer.get(workshop + "/suivi")
    cell = follow.row("Hélène").select_one("[data-locked]")
    assert f"jusqu'à {until}" in cell.get_text() and not cell.select_one(".actions").has_attr(
        "hidden"
    )
    rows = trainer.api(workshop.replace("/atelier/", "api/") + "/suivi").json()["learners"]
    assert rows[0]["locked"] == until
    unlocked = trainer.post(workshop + "/debloquer", {"learner": "helene", "retour": "suivi"}, True)
    assert unlocked.url.split("?")[0].endswith("/suivi")
    assert "Hélène peut de nouveau se connecter avec sa carte." in unlocked.status_text()
    assert unlocked.row("Hélène").select_one(".actions").has_attr("hidden")
    assert roster.locked_until("helene") is None
    assert roster.sign_in("Hélène", code).id == "helene"  # the printed card still works
    outsider = trainer.post(workshop + "/debloquer", {"learner": "intrus"})
    assert outsider.status == 400 and "pas dans le groupe" in outsider.words()


def test_the_live_table_time_is_paris_time_on_a_machine_set_to_utc(trainer, monkeypatch):
    """« dernière mise à jour » comes from the server in the project's zone, not from the
    machine's (or the browser's) clock."""
    import time as clocks
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", "UTC")
    clocks.tzset()
    try:
        workshop = new_workshop(trainer)
        before = datetime.now(ZoneInfo("Europe/Paris"))
        shown = trainer.api(workshop.replace("/atelier/", "api/") + "/suivi").json()["time"]
        after = datetime.now(ZoneInfo("Europe/Paris"))
        paris = {f"{t.hour} h {t.minute:02d}" for t in (before, after)}
        utc = {f"{t.astimezone(UTC).hour} h {t.minute:02d}" for t in (before, after)}
        assert shown in paris and shown not in utc  # Paris is UTC+1 or UTC+2
    finally:
        monkeypatch.undo()
        clocks.tzset()


def test_a_printed_code_is_kept_a_few_minutes_then_forgotten():
    """`FreshCodes` on its own clock: a code is printable for the half hour the page promises,
    and for `REPRINT_MINUTES` once its card's PDF was made, whichever ends first."""
    from course.trainer.space.codes import KEEP_MINUTES, REPRINT_MINUTES, FreshCodes

    now = [1000.0]
    codes = FreshCodes(clock=lambda: now[0])
    codes.give("zoe", "123456")
    codes.give("ahmed", "654321")
    now[0] += 60 * 10
    codes.printed(["zoe"])
    now[0] += 60 * (REPRINT_MINUTES - 1)
    assert codes.printable() == {"zoe": "123456", "ahmed": "654321"}  # a reprint, same code
    now[0] += 60 * 2
    assert codes.printable() == {"ahmed": "654321"}  # printed, the reprint's minutes are over
    now[0] = 1000.0 + 60 * KEEP_MINUTES + 1
    assert codes.printable() == {}  # not printed, but the half hour is over
    codes.give("zoe", "111222")  # a lost card: a new code, printable anew
    assert codes.printable() == {"zoe": "111222"}
