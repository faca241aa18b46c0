"""The coordinator's space in Chromium, on the real `course serve`: sign in with the link,
import two sites' bundles through the form, read the dashboard, the profiles and download La
Coop's report. axe finds nothing on any page; nothing leaves the machine; no cookie, no entry."""

from __future__ import annotations

import html
import re

import pytest
from browser_support import Server, axe_violations, screenshot
from openpyxl import load_workbook
from playwright.sync_api import expect

from course.access.gate import Gate

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path, monkeypatch):
    from support.project import essai_project_at

    monkeypatch.delenv("COURSE_ROOT", raising=False)
    project = essai_project_at(tmp_path / "coordination")
    server = Server(project, pool_size=0).start()
    yield project, server
    server.stop()


def test_coordinator_gathers_two_sites_and_reads_them(
    served, two_bundles, context, guard, tmp_path
):
    project, server = served
    paths, _sites = two_bundles
    anonymous = context.new_page()
    refused = anonymous.goto(server.base + "/coordination/")
    assert refused.status == 403 and "réservée à la coordination" in anonymous.content()
    anonymous.close()

    page = context.new_page()
    token = Gate(project, "coordinator").issue_link_token()
    page.goto(f"{server.base}/coordination/connexion?jeton={token}")
    assert token not in page.url  # the link's token leaves the address bar
    page.get_by_role("link", name="Paquets des sites").click()
    assert axe_violations(page) == []
    page.get_by_label("Paquets (fichiers .zip)").set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Importer").click()
    notice = page.get_by_role("status")
    assert (
        "Médiathèque de Brest : ajoutés 1 ateliers, 2 apprenants, 2 résultats."
        in notice.inner_text()
    )
    assert "France Services Quimper : ajoutés 1 ateliers" in notice.inner_text()
    page.get_by_label("Paquets (fichiers .zip)").set_input_files(str(paths[0]))
    page.get_by_role("button", name="Importer").click()
    assert "déjà importé, rien n'a été ajouté" in page.get_by_role("status").inner_text()

    unnamed = page.request.get(server.base + "/coordination/paquet-du-site.zip")
    assert unnamed.status == 400 and "Ce site n'a pas encore de nom" in html.unescape(
        unnamed.text()
    )

    page.get_by_role("link", name="Tableau de bord").click()
    assert page.get_by_role("heading", name="Tableau de bord", level=1).is_visible()
    sites = page.get_by_role("table", name="Les chiffres de chaque site")
    rows = sites.locator("tbody tr")
    assert rows.count() == 2
    # Chloé: every automatic point (9 since the simulations came) and 1 of 2 for her message.
    assert re.search(
        r"France Services Quimper\s+1\s+1\s+1,5 h\s+1\s+1\s+1\s+91 %", rows.nth(0).inner_text()
    )
    assert re.search(
        r"Médiathèque de Brest\s+1\s+2\s+1,5 h\s+1\s+2\s+2\s+50 %", rows.nth(1).inner_text()
    )
    chart = page.get_by_role("img", name=re.compile("Taux de réussite de chaque compétence Pix"))
    assert chart.count() == 1 and chart.locator("rect").count() >= 3
    competences = page.get_by_role("table", name="Réussite par compétence Pix")
    assert "1.1 Mener une recherche" in competences.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "coordination-tableau-de-bord")

    page.get_by_label("Site", exact=True).select_option("France Services Quimper")
    page.get_by_role("button", name="Afficher").click()
    # Counted once the new page is there (a click returns when the navigation starts).
    expect(page.locator("table").filter(has_text="Les chiffres de chaque site").locator(
        "tbody tr")).to_have_count(1)  # fmt: skip
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport d'activité pour La Coop (XLSX)").click()
    path = tmp_path / "activites.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path)["Activités"]
    values = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = values.index(next(r for r in values if r[0] == "Date"))
    assert len(values) - header - 1 == 1 and values[-1][1] == "Atelier collectif"

    page.get_by_role("link", name="Le mois dernier").click()  # the site filter stays
    assert "site=France+Services+Quimper" in page.url and "du=" in page.url
    page.get_by_role("link", name="Profils de compétences").click()
    quimper = page.get_by_role("heading", level=2, name=re.compile("^france-service-[0-9a-f]{8}-"))
    expect(quimper).to_have_count(1)
    page.get_by_label("Site", exact=True).select_option("")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(r"-[0-9a-f]{10}"))).to_have_count(3)
    assert "Alice" not in page.content() and "Bruno" not in page.content()
    assert axe_violations(page) == []
    screenshot(page, "coordination-profils")
    guard.check()
