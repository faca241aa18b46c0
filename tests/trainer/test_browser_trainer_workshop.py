"""One workshop from the site's settings to « Envoyer à la coordination », in Chromium, on one
real `course serve`, with no terminal after it: the first visit asks the settings, then the
trainer creates the workshop (the form refuses 25 h first), enrols two people, reads the
warning that the address is this computer's only, marks who came, downloads the attendance
sheet and the attestations (only for who came) and the site's bundle. axe-core checks every
page. What each page does in detail is tested in process (test_space_workshops.py,
test_space_presence.py).
"""

from __future__ import annotations

import io
import json
import re

import pytest
from browser_support import ARTIFACTS, axe_violations, running
from pypdf import PdfReader
from support.project import essai_project_at

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE: dict[str, list] = {}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return essai_project_at(tmp_path_factory.mktemp("walk") / "essai")


@pytest.fixture(scope="module")
def server(project):
    yield from running(project, pool_size=0)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "trainer-workshop-walk.json").write_text(
        json.dumps({"axe": AXE}, ensure_ascii=False, indent=1)
    )


def check_axe(page, name: str) -> None:
    found = axe_violations(page)
    AXE[name] = found
    assert found == [], f"{name}: {found}"


def pdf_of(download) -> str:
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    return " ".join(p.extract_text() for p in reader.pages)


def test_from_the_settings_to_the_coordination(server, project, context):
    from course.access.gate import Gate

    page = context.new_page()
    token = Gate(project, "trainer").issue_link_token()  # the link `course serve` prints
    page.goto(f"{server.base}/atelier/connexion?jeton={token}")
    page.get_by_role("heading", name="Bienvenue : les réglages de ce site").wait_for()
    check_axe(page, "réglages (première visite)")
    page.get_by_label("Nom du site").fill("Médiathèque de Brest")
    page.get_by_label("Vos lieux d'atelier").fill("Salle 2\nAccueil")
    page.get_by_label("Personnes qui animent").fill("Camille Martin")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    page.get_by_role("status").filter(has_text="Réglages enregistrés.").wait_for()
    check_axe(page, "les ateliers")

    assert page.get_by_label("Lieu", exact=True).input_value() == "Salle 2"
    assert page.get_by_label("Personne qui anime").input_value() == "Camille Martin"
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Durée en minutes").fill("0")
    page.get_by_label("Durée en minutes").evaluate("e => e.removeAttribute('min')")
    page.get_by_role("button", name="Créer l'atelier").click()
    page.get_by_role("alert").filter(has_text="La durée doit être entre 1 et 720").wait_for()
    check_axe(page, "formulaire refusé")
    page.get_by_label("Durée en minutes").fill("90")
    page.get_by_role("button", name="Créer l'atelier").click()
    page.get_by_role("heading", name=re.compile("^Le groupe :")).wait_for()
    assert len(project.workshops().all()) == 1
    assert page.locator("#adresse-locale").is_visible()  # served on 127.0.0.1 only

    for name in ("Hélène", "Ahmed"):
        page.get_by_label("Prénom (ou pseudonyme)").fill(name)
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.get_by_role("status").filter(has_text=f"{name} est dans le groupe.").wait_for()
    page.get_by_role("checkbox", name="Hélène").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_role("status").filter(has_text="Présences enregistrées : 1 sur 2.").wait_for()
    check_axe(page, "groupe et présences")

    with page.expect_download() as sheet:
        page.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    assert "Ahmed" in pdf_of(sheet.value) and "Hélène" in pdf_of(sheet.value)
    page.get_by_role("link", name="Attestations et documents").first.click()
    page.get_by_role("heading", name="Attestations de participation").wait_for()
    check_axe(page, "documents")
    with page.expect_download() as attestations:
        page.get_by_role("link", name=re.compile("^Attestations du groupe")).click()
    text = pdf_of(attestations.value)
    assert "Hélène" in text and "Ahmed" not in text and "Médiathèque de Brest" in text

    page.get_by_role("link", name="Envoyer à la coordination").click()
    page.get_by_role("heading", name="Le paquet de « Médiathèque de Brest »").wait_for()
    check_axe(page, "envoyer à la coordination")
    with page.expect_download() as bundle:
        page.get_by_role("link", name="Télécharger le paquet de ce site").click()
    assert re.fullmatch(r"paquet-mediatheque-de-brest-\d{4}-\d\d-\d\d\.zip",
                        bundle.value.suggested_filename)  # fmt: skip
    kept = project.data_dir / "paquets" / bundle.value.suggested_filename
    assert kept.stat().st_mode & 0o077 == 0

    page.get_by_role("button", name=re.compile("Ouvrir l'espace de coordination")).click()
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert page.url == f"{server.base}/coordination/"
