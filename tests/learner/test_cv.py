"""The CV builder: real PDF (fpdf2, read back with pypdf), real Word file (python-docx), the
learner's answers file, and the page's widgets driven as a learner would."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from course.core.ids import InvalidLearnerId
from course.learner.cv import (
    CV,
    DOCX_MIME,
    HEADINGS,
    LIMITS,
    MAX_ITEMS,
    PDF_MIME,
    CVError,
    CVStore,
    Experience,
    Training,
    check,
    clean,
    clean_text,
    cv_path,
    make_docx,
    make_pdf,
)


def helene() -> CV:
    return CV(
        first_name="Hélène",
        last_name="Lefèvre",
        title="Vendeuse en boulangerie-pâtisserie",
        phone="06 12 34 56 78",
        email="helene.lefevre@exemple.fr",
        town="Saint-Étienne",
        profile="Vendeuse souriante : je mets du cœur à l'œuvre, 15 € de pourboire par jour.",
        experiences=[
            Experience(
                "Vendeuse",
                "Boulangerie Martin",
                "Lyon",
                "2019 – 2023",
                "Accueil des clients.\n- Tenue de la caisse\n- Mise en rayon",
            ),
            Experience("Bénévole", "Restos du cœur", "Lyon", "Depuis 2015", ""),
        ],
        skills=["Accueillir les clients", "Tenir une caisse", "Travailler en équipe"],
        training=[Training("CAP Employé de vente", "Lycée Jean Moulin, Lyon", "2015")],
        languages=["Français : langue maternelle", "Anglais : notions"],
        interests=["Cuisine", "Randonnée"],
    )


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def huge() -> CV:
    """Everything as long as `clean` allows."""
    return CV(
        first_name="Marie-Françoise",
        last_name="Dupont-Lefèvre",
        title="Agente d'entretien, aide à domicile ou employée de restauration collective",
        phone="06 12 34 56 78",
        email="marie.dupont@exemple.fr",
        town="Saint-Étienne",
        profile="Je suis sérieuse, ponctuelle et j'aime rendre service. " * 10,
        experiences=[
            Experience(
                f"Poste numéro {i}",
                f"Employeur numéro {i}",
                "Villeurbanne",
                f"De {2020 - i} à {2021 - i}",
                "\n".join(f"- Tâche {j} : nettoyer, ranger, accueillir, servir" for j in range(8)),
            )
            for i in range(1, MAX_ITEMS["experiences"] + 1)
        ],
        skills=[f"Compétence numéro {i}, bien expliquée en quelques mots" for i in range(20)],
        training=[Training(f"Formation {i}", "Greta de Lyon", str(2000 + i)) for i in range(8)],
        languages=[f"Langue {i} : courant" for i in range(8)],
        interests=[f"Centre d'intérêt numéro {i}" for i in range(10)],
    )


# --- PDF and Word ---------------------------------------------------------------------------


def test_pdf_is_one_page_and_keeps_accents():
    doc = make_pdf(helene())
    assert doc.mime == PDF_MIME
    assert doc.filename == "cv-helene-lefevre.pdf"
    assert doc.notes == []
    pages, text = pdf_text(doc.data)
    assert pages == 1
    text = flat(text)
    for expected in (
        "Hélène Lefèvre",
        "Vendeuse en boulangerie-pâtisserie",
        "Saint-Étienne",
        "œuvre",
        "cœur",
        "15 €",
        "2019 – 2023",
        "Tenue de la caisse",
        *HEADINGS.values(),
    ):
        assert expected in text, expected
    meta = PdfReader(io.BytesIO(doc.data)).metadata
    assert meta.title == "CV de Hélène Lefèvre : Vendeuse en boulangerie-pâtisserie"


def test_docx_reopens_with_the_same_text_and_real_headings():
    doc = make_docx(helene())
    assert doc.mime == DOCX_MIME
    assert doc.filename == "cv-helene-lefevre.docx"
    word = Document(io.BytesIO(doc.data))
    text = "\n".join(p.text for p in word.paragraphs)
    for expected in ("Hélène Lefèvre", "œuvre", "15 €", "Saint-Étienne", "Tenue de la caisse"):
        assert expected in text
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(HEADINGS.values())
    assert word.paragraphs[0].style.name == "Title"
    assert word.core_properties.language == "fr-FR"
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_empty_sections_are_left_out():
    cv = CV(first_name="Ahmed", last_name="Benali", title="Cariste", phone="0612345678")
    _pages, text = pdf_text(make_pdf(cv).data)
    assert "Ahmed Benali" in text
    assert not any(h in text for h in HEADINGS.values())
    assert not any(h in docx_text(make_docx(cv).data) for h in HEADINGS.values())


def test_a_bit_too_long_cv_gets_smaller_text_but_loses_nothing():
    cv = helene()
    cv.experiences = [
        Experience(f"Poste {i}", "Employeur", "Lyon", "2020", "Une tâche précise et utile.")
        for i in range(1, 7)
    ]
    cv.skills = [f"Compétence {i}" for i in range(12)]
    cv.training = [Training(f"Formation {i}", "Greta", "2015") for i in range(1, 5)]
    doc = make_pdf(cv)
    pages, text = pdf_text(doc.data)
    assert pages == 1
    assert any("plus petit" in n for n in doc.notes)
    assert not any("pas pu entrer" in n or "raccourci" in n for n in doc.notes)
    assert all(f"Poste {i}" in text for i in range(1, 7))


def test_too_long_cv_still_fits_one_page_and_tells_the_learner():
    cv = huge()
    doc = make_pdf(cv)
    pages, text = pdf_text(doc.data)
    assert pages == 1
    notes = " ".join(doc.notes)
    assert "n'a pas pu entrer sur la page" in notes or "n'ont pas pu entrer" in notes
    assert "Conseil" in notes
    # The most recent experience (first in the list) is the one kept.
    assert "Poste numéro 1" in text
    assert "Poste numéro 8" not in text
    assert "Poste numéro 8" in notes
    # The Word file has the same content as the PDF.
    word = make_docx(cv)
    assert word.notes == doc.notes
    assert "Poste numéro 1" in docx_text(word.data)
    assert "Poste numéro 8" not in docx_text(word.data)


def test_unbreakable_words_and_emoji_do_not_break_the_pdf():
    cv = helene()
    cv.profile = "x" * LIMITS["profile"]
    cv.title = "Boulangère 🥐 passionnée"
    doc = make_pdf(cv)
    pages, text = pdf_text(doc.data)
    assert pages == 1
    assert "Boulangère passionnée" in flat(text)
    assert any("émoticônes" in n for n in doc.notes)


def test_pdf_renders_with_poppler(tmp_path):
    # A second, independent PDF reader (poppler, as in most Linux viewers) must draw it.
    # scripts/test.sh installs poppler-utils: a missing tool is a failure, never a skip.
    assert shutil.which("pdftoppm"), "pdftoppm missing: install Debian's poppler-utils"
    (tmp_path / "cv.pdf").write_bytes(make_pdf(huge()).data)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "cv.pdf"), str(tmp_path / "page")],
        check=True,
    )
    assert [p.name for p in tmp_path.glob("page*.png")] == ["page-1.png"]


# --- Checking and cleaning ------------------------------------------------------------------


def test_missing_required_fields_give_french_messages():
    with pytest.raises(CVError) as caught:
        make_pdf(CV(town="Lyon"))
    messages = {p.field: p.message for p in caught.value.problems}
    assert messages["first_name"] == "Écrivez votre prénom."
    assert messages["last_name"] == "Écrivez votre nom de famille."
    assert "métier que vous cherchez" in messages["title"]
    assert "moyen de vous joindre" in messages["phone"]
    with pytest.raises(CVError):
        make_docx(CV())
    assert "Écrivez votre prénom." in str(caught.value)


def test_wrong_contact_and_untitled_entries_are_explained():
    cv = helene()
    cv.phone = "zéro six douze"
    cv.email = "helene chez exemple"
    cv.experiences.append(Experience(employer="Carrefour", dates="2012"))
    cv.training.append(Training(year="2010"))
    messages = {p.field: p.message for p in check(clean(cv)[0])}
    assert "06 12 34 56 78" in messages["phone"]
    assert "@" in messages["email"]
    assert messages["experiences"].startswith("L'expérience « Carrefour, 2012 » n'a pas de poste")
    assert messages["training"].startswith("La formation « 2010 » n'a pas de nom")
    assert check(clean(helene())[0]) == []
    ok = CV(first_name="A", last_name="B", title="C", email="a.b@exemple.fr")
    assert check(ok) == []


def test_control_characters_are_stripped():
    assert clean_text("\x00Hél\u202eène\x07\u200b ") == "Hélène"
    assert clean_text("Lefe\u0300vre") == "Lefèvre"  # decomposed accent, NFC-composed
    assert clean_text("a\tb  c\r\nd") == "a b c d"
    assert clean_text("- un\r\n\r\n\n- deux\x1b[31m", multiline=True) == "- un\n- deux[31m"
    assert clean_text(None) == ""


def test_lengths_and_counts_are_capped_with_notes():
    cv = huge()
    cv.first_name = "A" * 500
    cv.experiences[0].description = "mot " * 1000
    cleaned, notes = clean(cv)
    assert len(cleaned.first_name) == LIMITS["first_name"]
    assert len(cleaned.experiences[0].description) <= 600
    assert len(cleaned.experiences) == MAX_ITEMS["experiences"]
    assert len(cleaned.skills) == MAX_ITEMS["skills"]
    assert any("Votre prénom" in n and "40 premiers signes" in n for n in notes)
    assert any("plus de 15 compétences" in n for n in notes)
    # Empty blocks of the form are dropped, not printed.
    cleaned, _ = clean(CV(experiences=[Experience(), Experience(" ")], skills=["", "  "]))
    assert cleaned.experiences == [] and cleaned.skills == []


# --- Storage and learner ids ----------------------------------------------------------------


def test_store_saves_atomically_and_restores(tmp_path):
    path = cv_path(tmp_path, "helene")
    assert path == tmp_path / "helene" / "cv" / "cv.json"
    store = CVStore(path)
    assert store.cv == CV()
    store.save(helene())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["cv"]["first_name"] == "Hélène"
    assert "œuvre" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped
    assert CVStore(path).cv == clean(helene())[0]
    assert [p.name for p in path.parent.iterdir()] == ["cv.json"]  # no temporary file left


def test_damaged_file_is_kept_aside(tmp_path):
    path = cv_path(tmp_path, "helene")
    path.parent.mkdir(parents=True)
    path.write_text('{"cv": {"first_name": "Hél', encoding="utf-8")
    store = CVStore(path)
    assert store.cv == CV() and store.recovered_from is not None
    assert store.recovered_from.read_text(encoding="utf-8").startswith('{"cv"')
    # Wrong types inside a readable file are ignored, not trusted.
    path.write_text(json.dumps({"cv": {"first_name": 3, "skills": ["ok", 4], "training": "x"}}))
    assert CVStore(path).cv == CV(skills=["ok"])


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "", "A", "..", "é", "x" * 41, "/tmp"])
def test_unsafe_learner_ids_are_refused(tmp_path, bad):
    with pytest.raises(InvalidLearnerId):
        cv_path(tmp_path, bad)
    assert list(tmp_path.iterdir()) == []


# --- The page -------------------------------------------------------------------------------


@pytest.fixture
def page(project, monkeypatch):
    from course.access.provider import Identity
    from course.access.roster import Roster
    from course.learner.cv.page import CVPage

    monkeypatch.setenv("COURSE_ROOT", str(project.root))
    learner, _code = Roster(project.data_dir).add("Hélène")
    page = CVPage()
    page.signed_in(Identity.of_learner(learner))
    return page


def downloaded(html_value: str, extension: str) -> tuple[str, bytes]:
    match = re.search(
        r"href='data:([^;]+);base64,([A-Za-z0-9+/=]+)' download='([^']+)'", html_value
    )
    assert match, html_value
    assert match.group(3).endswith(f".{extension}")
    return match.group(3), base64.b64decode(match.group(2))


def test_page_saves_every_change_and_downloads_both_files(page, project):
    path = project.learners_dir / "helene" / "cv" / "cv.json"
    page.fields["first_name"].value = "Hélène"
    assert json.loads(path.read_text(encoding="utf-8"))["cv"]["first_name"] == "Hélène"
    assert re.fullmatch(r"<p>Enregistré à (1?\d|2[0-3]) h [0-5]\d\.</p>", page.status.value)
    page.fields["last_name"].value = "Lefèvre"
    page.fields["title"].value = "Vendeuse"
    page.fields["email"].value = "helene@exemple.fr"
    page.fields["profile"].value = "Je mets du cœur à l'œuvre, 15 € près."
    page.lists["skills"].value = "Accueillir\n\nTenir une caisse\n"
    row = page.experiences.rows[0]
    row["title"].value = "Vendeuse"
    row["description"].value = "- Accueil\n- Caisse"
    page.experiences.add()
    assert len(page.experiences.rows) == 2
    page.experiences.rows[1]["title"].value = "Bénévole"
    saved = CVStore(path).cv
    assert saved.skills == ["Accueillir", "Tenir une caisse"]
    assert [e.title for e in saved.experiences] == ["Vendeuse", "Bénévole"]

    page.go(len(page.steps) - 1)
    assert "Tout est prêt" in page.problems.children[0].value
    page.pdf_button.click()
    name, data = downloaded(page.result.value, "pdf")
    assert name == "cv-helene-lefevre.pdf"
    pages, text = pdf_text(data)
    assert pages == 1 and "œuvre" in text and "Bénévole" in text
    page.docx_button.click()
    name, data = downloaded(page.result.value, "docx")
    assert name == "cv-helene-lefevre.docx"
    assert "15 €" in docx_text(data)


def test_page_restores_answers_and_removes_an_experience_after_asking(page, project):
    CVStore.for_learner(project, "helene").save(helene())
    again = type(page)()
    again.signed_in(page.identity)
    assert again.fields["town"].value == "Saint-Étienne"
    assert again.lists["skills"].value.split("\n") == helene().skills
    assert len(again.experiences.rows) == 2
    remove = again.experiences.box.children[0].children[-2]
    assert remove.description == "Enlever l'expérience 1"
    remove.click()
    assert len(again.experiences.rows) == 2  # only a question so far
    confirm = again.experiences.box.children[0].children[-1]
    yes = confirm.children[1].children[0]
    assert yes.description == "Oui, enlever l'expérience 1"
    yes.click()
    assert [e.title for e in CVStore.for_learner(project, "helene").cv.experiences] == ["Bénévole"]
    training = again.training.box.children[0].children[-2]
    assert training.description == "Enlever la formation 1"  # not « l'formation »


def test_page_sends_the_learner_back_to_what_is_missing(page):
    page.go(len(page.steps) - 1)
    page.pdf_button.click()
    assert "data:" not in page.result.value
    problems, buttons = page.problems.children
    assert "Écrivez votre prénom." in problems.value
    labels = [b.description for b in buttons.children]
    assert labels == [
        "Revenir à l'étape 1 : Qui êtes-vous\u00a0?",
        "Revenir à l'étape 2 : Comment vous joindre",
    ]
    buttons.children[1].click()
    assert page.step == 1
