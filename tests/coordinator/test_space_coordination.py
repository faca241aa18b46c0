"""The coordinator's space, in process (`support.spaces`): bundles imported through the form
(all or nothing, never twice), the dashboard's figures and filters, the downloads and the
profiles, behind the coordinator's own gate. The browser journey
(test_browser_coordination.py) keeps what only a browser proves: axe, the file input, the
download."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from support.spaces import SpaceClient, save_site_settings

from course.coordinator.pseudonyms import site_prefix

QUIMPER = "France Services Quimper"


@pytest.fixture
def coordination(coordinator):
    """The coordinator, signed in with the link of this computer."""
    with SpaceClient(coordinator, role="coordinator") as client:
        client.sign_in()
        yield client


@pytest.fixture
def gathered(coordination, two_bundles):
    """Both sites' bundles imported through the « Paquets des sites » form."""
    paths, _sites = two_bundles
    uploads = [(p.name, p.read_bytes()) for p in paths]
    imported = coordination.post("paquets", files={"paquet": uploads})
    assert imported.status == 200, imported.text
    return coordination, imported


def site_rows(page) -> list[str]:
    table = next(t for t in page.soup.find_all("table") if "Les chiffres de chaque site" in t.text)
    return [" ".join(tr.get_text(" ").split()) for tr in table.select("tbody tr")]


def test_anyone_else_is_refused_and_the_trainer_cookie_does_not_open_it(coordinator):
    with SpaceClient(coordinator, role="coordinator") as anonymous:
        refused = anonymous.get("")
        assert refused.status == 403 and "réservée à la coordination" in refused.words()
        assert anonymous.get("exports/resultats.csv").status == 403
    with SpaceClient(coordinator, role="trainer") as trainer:
        trainer.sign_in()
        assert trainer.get("/coordination/").status == 403


def test_bundles_are_imported_once(gathered, two_bundles):
    coordination, imported = gathered
    notice = imported.status_text()
    assert "Médiathèque de Brest : ajoutés 1 ateliers, 2 apprenants, 2 résultats." in notice
    assert f"{QUIMPER} : ajoutés 1 ateliers" in notice
    paths, _sites = two_bundles
    again = coordination.post("paquets", files={"paquet": [(paths[0].name, paths[0].read_bytes())]})
    assert "déjà importé, rien n'a été ajouté" in again.status_text()
    nothing = coordination.post("paquets")
    assert nothing.status == 400 and nothing.status_text()
    damaged = coordination.post("paquets", files={"paquet": [("abime.zip", b"pas un zip")]})
    assert damaged.status == 400 and damaged.status_text()


def test_this_site_needs_a_name_for_its_own_bundle(coordination):
    unnamed = coordination.get("paquet-du-site.zip")
    assert unnamed.status == 400 and "Ce site n'a pas encore de nom" in unnamed.words()
    # In the space's look, with the way to the trainer's settings (where the name is given).
    assert unnamed.soup.select_one("header .brand") is not None
    link = unnamed.soup.find("a", string="Ouvrir les réglages du site")
    assert link["href"] == "/atelier/reglages"
    save_site_settings(coordination.project, "Médiathèque de Brest")  # « Réglages du site »
    named = coordination.get("paquet-du-site.zip")
    assert named.status == 200 and named.body.startswith(b"PK")
    # Named and kept as the trainer's « Envoyer à la coordination » does (`course.coordinator.outbox`).
    from course.core import french

    name = f"paquet-mediatheque-de-brest-{french.today().isoformat()}.zip"
    assert named.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    kept = coordination.project.data_dir / "paquets" / name
    assert kept.read_bytes() == named.body
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.parent.stat().st_mode & 0o777 == 0o700


def test_the_dashboard_by_site_and_its_filters(gathered):
    coordination, _ = gathered
    board = coordination.get("")
    assert board.soup.h1.get_text() == "Tableau de bord"
    rows = site_rows(board)
    assert len(rows) == 2
    # Chloé: every automatic point (9 since the simulations came) and 1 of 2 for her message.
    assert re.search(rf"{QUIMPER} 1 1 1,5 h 1 1 1 91 %", rows[0]), rows
    assert re.search(r"Médiathèque de Brest 1 2 1,5 h 1 2 2 50 %", rows[1]), rows
    chart = board.soup.find("svg", attrs={"aria-labelledby": "graphique-competences"})
    chart = chart or board.soup.select_one("#competences ~ figure svg, figure svg")
    assert chart is not None and len(chart.find_all("rect")) >= 3
    assert "1.1 Mener une recherche" in board.words()
    assert "2 ateliers, 3 h au total. 3 apprenants ;" in board.words()  # never « atelier(s) »
    assert "(s)" not in board.words()

    held = board.soup.find("caption", string=re.compile("^Les ateliers de ces choix")).parent
    listed = [" ".join(tr.get_text(" ").split()) for tr in held.select("tbody tr")]
    assert len(listed) == 2 and all("Module d'essai" in row for row in listed), listed
    # Bundles carry no first names: no export « avec les prénoms » on this laptop.
    assert "avec les prénoms" not in board.words() and "Résultats avec pseudonymes" in board.words()
    refused = coordination.get("exports/resultats.xlsx")
    assert refused.status == 400 and "Les prénoms restent sur l'ordinateur" in refused.words()

    one = coordination.get("?" + urlencode({"site": QUIMPER}))
    assert len(site_rows(one)) == 1
    month = next(a["href"] for a in one.soup.select("form a") if a.get_text() == "Le mois dernier")
    assert "site=France+Services+Quimper" in month and "du=" in month


def test_la_coop_report_keeps_the_filters(gathered):
    coordination, _ = gathered
    report = coordination.get("exports/activites-la-coop.xlsx?" + urlencode({"site": QUIMPER}))
    assert report.status == 200
    assert 'filename="activites-la-coop.xlsx"' in report.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(report.body))["Activités"]
    values = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = values.index(next(r for r in values if r[0] == "Date"))
    assert len(values) - header - 1 == 1 and values[-1][1] == "Atelier collectif"
    csv = coordination.get("exports/resultats-anonymes.csv")
    assert csv.body.startswith("\ufeff".encode()) and "Alice" not in csv.body.decode("utf-8-sig")


def test_profiles_show_pseudonyms_only(gathered):
    coordination, _ = gathered
    quimper = coordination.get("apprenants?" + urlencode({"site": QUIMPER}))
    names = [h.get_text() for h in quimper.soup.find_all("h2")]
    assert len([n for n in names if n.startswith(site_prefix(QUIMPER) + "-")]) == 1
    everyone = coordination.get("apprenants")
    pseudonyms = [h.get_text() for h in everyone.soup.find_all("h2")]
    assert len([n for n in pseudonyms if re.search(r"-[0-9a-f]{10}", n)]) == 3
    assert "Alice" not in everyone.text and "Bruno" not in everyone.text


def test_the_coordinator_signs_out_from_any_page_and_the_cookie_is_ended(coordination):
    for path in ("", "apprenants", "paquets"):
        (form,) = coordination.get(path).soup.select("header form.sign-out")
        assert form["action"] == "/coordination/deconnexion"
        assert form.select_one("input[name=_jeton]")["value"] == coordination.jeton
    kept = dict(coordination.cookies)  # what a browser that ignores the clearing would keep
    out = coordination.post("deconnexion")
    assert out.status == 303 and out.location == "/"
    coordination.cookies.update(kept)
    assert coordination.get("").status == 403  # ended on the server, not only in the browser
