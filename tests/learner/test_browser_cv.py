"""The CV builder as a learner meets it: opened from the catalogue in Chromium, filled step by
step, downloaded as PDF and Word through the browser's own download, and back after a reload.

The files are read back with pypdf and python-docx: accents and the oe ligature must survive the
whole path (widgets, kernel, fpdf2/python-docx, data: link, browser download).
"""

from __future__ import annotations

import io
import json

import pytest
from browser_support import (
    axe_violations,
    check_fits,
    new_context,
    open_page,
    screenshot,
    served,
)
from docx import Document
from pypdf import PdfReader

pytestmark = pytest.mark.browser

MODULE = "faire-son-cv"


site, server, _ = served("cv", learners=("Hélène", "Bob"))


def fill(page, label: str, value: str) -> None:
    """Type into a field as a learner would, then wait until the kernel says it saved."""
    status = page.locator(".cq-cv p").filter(has_text="Enregistré à")
    before = status.count()
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")  # leaving the field, as learners do
    if not before:
        status.first.wait_for()


def next_step(page, number: int) -> None:
    page.get_by_role("button", name="Étape suivante").click()
    page.get_by_role("heading", name=f"Étape {number} sur 8", exact=False).wait_for()


def download(page, button: str, filename: str) -> bytes:
    """One click on the button downloads the file; a link stays to save it again."""
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=button).click()
    assert info.value.suggested_filename == filename
    page.get_by_role("link", name=f"Enregistrer de nouveau le fichier « {filename} »").wait_for()
    return open(info.value.path(), "rb").read()


@pytest.mark.slow
def test_cv_filled_in_chromium_downloads_as_pdf_and_docx_then_comes_back(
    server, site, context, guard
):
    token = site.token("Hélène")
    catalogue = open_page(context, server.url(token=token), guard)
    link = catalogue.get_by_role("link", name="Remplir mon CV et le télécharger")
    assert link.get_attribute("href") == f"{MODULE}/cv.ipynb"  # the session is the cookie's
    link.click()
    page = catalogue
    page.get_by_role("heading", name="Étape 1 sur 8", exact=False).wait_for()
    assert page.get_by_text("Bonjour Hélène.").is_visible()
    assert axe_violations(page) == []

    fill(page, "Votre prénom", "Hélène")
    fill(page, "Votre nom de famille", "Lefèvre")
    fill(page, "Le métier que vous cherchez", "Vendeuse en boulangerie")
    next_step(page, 2)
    fill(page, "Votre adresse courriel", "helene.lefevre@exemple.fr")
    fill(page, "Votre ville", "Saint-Étienne")
    next_step(page, 3)
    fill(page, "Une phrase qui vous présente", "Je mets du cœur à l'ouvrage.")
    next_step(page, 4)
    fill(page, "Le poste", "Vendeuse")
    fill(page, "L'employeur", "Boulangerie Müller")
    next_step(page, 5)
    fill(page, "Vos compétences (une par ligne)", "Accueillir les clients\nTenir une caisse")
    for number in (6, 7, 8):
        next_step(page, number)
    page.get_by_text("Tout est prêt. Choisissez un format.").wait_for()
    assert page.get_by_role("button", name="Étape suivante").is_hidden()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    check_fits(page, "cv (320 px)")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Saved kernel-side, in Hélène's own folder only.
    saved = site.project.learners_dir / "helene" / "cv" / "cv.json"
    cv = json.loads(saved.read_text(encoding="utf-8"))["cv"]
    assert (cv["first_name"], cv["town"]) == ("Hélène", "Saint-Étienne")
    assert not (site.project.learners_dir / "bob" / "cv").exists()

    pdf = PdfReader(
        io.BytesIO(download(page, "Télécharger mon CV en PDF", "cv-helene-lefevre.pdf"))
    )
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for expected in ("Hélène", "Lefèvre", "Saint-Étienne", "cœur", "Müller", "Tenir une caisse"):
        assert expected in text, (expected, text)

    data = download(page, "Télécharger mon CV en Word (DOCX)", "cv-helene-lefevre.docx")
    words = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    for expected in ("Hélène", "Saint-Étienne", "cœur", "Müller", "Accueillir les clients"):
        assert expected in words, (expected, words)
    screenshot(page, "cv-ready")

    # Closed and opened again, even in a new browser: every answer comes back.
    page.close()
    other = new_context(guard)
    try:
        again = open_page(other, server.url(f"{MODULE}/cv.ipynb", site.token("Hélène")), guard)
        again.get_by_role("heading", name="Étape 1 sur 8", exact=False).wait_for()
        assert again.get_by_label("Votre prénom", exact=True).input_value() == "Hélène"
        next_step(again, 2)
        assert again.get_by_label("Votre ville", exact=True).input_value() == "Saint-Étienne"
    finally:
        other.close()


def test_cv_page_asks_who_you_are_and_refuses_a_forged_link(server, site, context, guard):
    page = open_page(context, server.url(f"{MODULE}/cv.ipynb"), guard)
    assert page.get_by_role("heading", name="Mon CV").is_visible()
    assert page.get_by_role("button", name="Entrer").is_visible()
    assert page.get_by_label("Votre nom de famille").count() == 0
    assert axe_violations(page) == []
    forged = site.token("Bob")[:-2] + "xx"
    page = open_page(context, server.url(f"{MODULE}/cv.ipynb", forged), guard)
    assert page.locator(".cq-refused").is_visible()
    assert page.get_by_label("Votre nom de famille").count() == 0
    assert not (site.project.learners_dir / "bob" / "cv").exists()
