"""Attestations of participation as the trainer prints them and the learner downloads them:
rendered by poppler (pdftoppm draws every page, pdftotext finds the accented words), fonts
embedded (pypdf), one page per learner whatever their name, results only when shown."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from course.answers.released import QuestionOutcome, ReleasedResults, write_results
from course.learner.attestation import (
    NO_WORKSHOP,
    group_attestations,
    learner_attestation,
    write_learner_attestation,
)
from course.workshops import WorkshopError

ISSUED = date(2026, 12, 3)
LONG_NAME = "Marie-Éléonore " + "de la Fontaine-Saint-Œuvre " * 7  # 200 characters
MODULES = ["proteger-ses-donnees", "verifier-une-information", "faire-son-cv"]


@pytest.fixture
def site(project):
    """Hélène (results released for one module), Zoé (an emoji the font lacks and one it has),
    a 200-character name, and Nadia who is in no workshop; one workshop with three modules."""
    roster = project.roster()
    helene, _ = roster.add("Hélène")
    zoe, _ = roster.add("Zoé 🦄 😀")
    long, _ = roster.add(LONG_NAME[:200])
    nadia, _ = roster.add("Nadia")
    module = project.catalogue.get("proteger-ses-donnees")
    outcomes = [QuestionOutcome(q.id, "right", q.points, q.points) for q in module.questions]
    outcomes[0] = QuestionOutcome(outcomes[0].question_id, "wrong", 0.0, outcomes[0].points)
    score = module.total_points - outcomes[0].points
    write_results(
        project.workspace(helene.id, module.id),
        ReleasedResults(module.id, "2026-12-02T15:30:00+00:00", score, module.total_points,
                        False, outcomes),
    )  # fmt: skip
    book = project.workshops()
    workshop = book.create(
        "Sécurité et fausses informations 🔒",
        date(2026, 12, 2),
        MODULES,
        start=time(14, 0),
        duration_minutes=90,
        place="Médiathèque François-Mitterrand, salle Noël",
        trainer="Françoise Lefèvre",
        learner_ids=[helene.id, zoe.id, long.id],
        show_result=True,
    )
    book.set_present(workshop.id, [helene.id, zoe.id, long.id])
    book.close()
    return project, workshop, {"helene": helene, "zoe": zoe, "long": long, "nadia": nadia}, score


def rendered(data: bytes, folder: Path) -> tuple[PdfReader, list[str]]:
    """The PDF read by pypdf, and each page's text as poppler's pdftotext extracts it, once
    pdftoppm has drawn every page as a PNG."""
    assert shutil.which("pdftoppm") and shutil.which("pdftotext"), "install poppler-utils"
    pdf = folder / "a.pdf"
    pdf.write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "p")], check=True)
    assert len(list(folder.glob("p*.png"))) == len(reader.pages)
    texts = []
    for number in range(1, len(reader.pages) + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        texts.append(" ".join(out.stdout.split()))
    return reader, texts


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Each font used by the pages: its name, and whether its glyphs are in the file."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return found


def test_one_learners_attestation_says_everything_with_accents_and_embedded_fonts(site, tmp_path):
    project, workshop, people, score = site
    data = learner_attestation(project, people["helene"].id, workshop.id, issued=ISSUED)
    reader, (text,) = rendered(data, tmp_path)
    for expected in (
        "Attestation de participation",
        "Hélène",
        "« Sécurité et fausses informations »",
        "mercredi 2 décembre 2026, de 14 h 00 à 15 h 30",
        "Durée 1 h 30",
        "Médiathèque François-Mitterrand, salle Noël",
        "Animé par Françoise Lefèvre",
        "Protéger ses données ; Vérifier une information ; Faire son CV",
        "4.1 Sécuriser l'environnement numérique",
        "4.2 Protéger les données personnelles et la vie privée",
        "1.1 Mener une recherche et une veille d'information",
        "3.1 Développer des documents textuels",
        "Résultat de l'évaluation",
        f"Protéger ses données : {score:g} sur {project.catalogue.get(MODULES[0]).total_points:g}.",
        "Fait le jeudi 3 décembre 2026.",
    ):
        assert expected in text, expected
    assert "Vérifier une information :" not in text  # no results released for it: no line
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts), fonts  # no unembedded Helvetica


def test_the_result_is_left_out_unless_the_workshop_shows_it(site, tmp_path):
    project, workshop, people, _ = site
    book = project.workshops()
    book.update(workshop.id, show_result=False)
    book.close()
    _, (text,) = rendered(learner_attestation(project, people["helene"].id, workshop.id), tmp_path)
    assert "Hélène" in text and "Résultat" not in text and " sur " not in text


def test_a_whole_group_prints_one_page_each_owner_only(site, tmp_path):
    project, workshop, people, _ = site
    path = group_attestations(project, workshop.id, issued=ISSUED)
    assert path.parent == project.data_dir / "attestations"
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    reader, texts = rendered(path.read_bytes(), tmp_path)
    assert len(reader.pages) == 3  # one page per learner, the 200-character name included
    helene, long, zoe = texts  # the group in id order: helene, marie-eleonore..., zoe
    assert "Hélène" in helene and "Résultat de l'évaluation" in helene
    assert "Zoé" in zoe and "Zoé" not in helene
    # The unicorn is not in DejaVu Sans and is left out (no empty box); the smiley is drawn.
    assert "Zoé 😀" in zoe and "🦄" not in zoe and "🔒" not in zoe
    words = LONG_NAME[:200].split()
    assert long.split("Nous attestons que ")[1].split()[: len(words)] == words  # all of it
    assert all("4.1 Sécuriser l'environnement numérique" in t for t in texts)
    assert "Résultat" not in long and "Résultat" not in zoe  # none released to them


def test_one_learners_file_and_the_refusals(site, tmp_path):
    project, workshop, people, _ = site
    path = write_learner_attestation(project, workshop.id, people["zoe"].id)
    assert path.name == f"attestation-2026-12-02-{people['zoe'].id}.pdf"
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(PdfReader(path).pages) == 1
    with pytest.raises(WorkshopError, match="aucun atelier") as refused:
        learner_attestation(project, people["nadia"].id)
    assert str(refused.value) == NO_WORKSHOP
    book = project.workshops()
    other = book.create("Un autre atelier", date(2026, 12, 9), MODULES[:1], learner_ids=["nadia"])
    book.close()
    with pytest.raises(WorkshopError, match="ne fait pas partie du groupe"):
        learner_attestation(project, people["helene"].id, other.id)
    with pytest.raises(WorkshopError, match="n'existe pas"):
        group_attestations(project, 999)


def test_every_module_and_the_longest_texts_still_fit_one_page(site, tmp_path):
    project, _, people, _ = site
    every = [m.id for m in project.catalogue.modules]
    for module_id in every:  # a released result for each module: the longest results list
        module = project.catalogue.get(module_id)
        write_results(
            project.workspace(people["long"].id, module_id),
            ReleasedResults(module_id, "", 1.0, module.total_points, True, []),
        )
    book = project.workshops()
    crowded = book.create(
        ("Atelier très long " * 12)[:200],
        date(2026, 12, 9),
        every,
        start=time(9, 30),
        place=("Salle Édith-Piaf " * 13)[:200],
        trainer=("Françoise " * 20)[:200],
        learner_ids=[people["long"].id],
        show_result=True,
    )
    book.close()
    data = learner_attestation(project, people["long"].id, crowded.id)
    reader, (text,) = rendered(data, tmp_path)
    assert len(reader.pages) == 1
    assert text.count("(une réponse écrite attend sa correction)") == len(every)
    assert "Signature de la personne qui anime l'atelier" in text
