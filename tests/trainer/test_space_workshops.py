"""The trainer's workshops, in process (`support.spaces`): the site's settings at the first
visit, the create form's checks (what La Coop needs, absurd values, a form sent twice), the
lists (today, upcoming, past), editing (and two tabs), duplicating, deleting while nobody is
enrolled and cancelling otherwise; a cancelled or empty workshop is counted nowhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from support.spaces import SpaceClient, workshop_form

from course.workshops.site import load_profile


def made_id(page) -> int:
    return int(page.location.split("?")[0].rstrip("/").split("/")[-1])


def test_the_first_visit_asks_the_site_settings_kept_in_var(essai_project):
    with SpaceClient(essai_project) as trainer:
        first = trainer.sign_in()
        assert first.url == "/atelier/reglages"
        assert first.soup.h1.get_text() == "Bienvenue : les réglages de ce site"
        assert trainer.get("").location == "/atelier/reglages"  # until they are saved
        empty = trainer.post("reglages", {"name": "  "})
        assert empty.status == 400 and "Donnez un nom au site" in empty.status_text()
        short = trainer.post(
            "reglages", {"name": "Brest", "password": "court", "password2": "court"}
        )
        assert short.status == 400 and "au moins 8 caractères" in short.status_text()
        other = trainer.post("reglages", {"name": "Brest", "password": "un mot de passe",
                                          "password2": "un autre"})  # fmt: skip
        assert other.status == 400 and "différents" in other.status_text()
        assert not load_profile(essai_project.data_dir).saved  # nothing kept from a refusal
        saved = trainer.post("reglages", {
            "name": " Médiathèque  de Brest ", "places": "Salle 2\n\nSalle 2\nAccueil",
            "trainers": "Camille Martin", "password": "le mot de passe", "password2": "le mot de passe",
        }, follow=True)  # fmt: skip
        assert (
            saved.url.split("?")[0] == "/atelier/"
            and "Réglages enregistrés." in saved.status_text()
        )
    profile = load_profile(essai_project.data_dir)
    assert (profile.name, profile.places, profile.trainers) == (
        "Médiathèque de Brest", ["Salle 2", "Accueil"], ["Camille Martin"])  # fmt: skip
    site = essai_project.data_dir / "site.json"
    assert site.stat().st_mode & 0o077 == 0
    config = (essai_project.root / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "password_hash" not in config and "Brest" not in config  # never in a tracked file
    with SpaceClient(essai_project) as other_computer:  # the password counts at once
        assert other_computer.sign_in("le mot de passe").url.split("?")[0] == "/atelier/"
        form = other_computer.get("").soup
        assert [o["value"] for o in form.select("#lieux option")] == ["Salle 2", "Accueil"]
        assert form.select_one("#place")["value"] == "Salle 2"
        assert form.select_one("#trainer")["value"] == "Camille Martin"
    made = essai_project.workshops().create("Atelier", date.today(), ["essai"])
    assert made.site == "Médiathèque de Brest"


def test_a_site_name_set_by_a_deployer_wins(trainer, essai_project):
    from course.coordinator.records import local_site

    with (essai_project.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write('c.WorkshopSettings.site = "Réseau : Quimper"\n')
    from course.settings import Project

    project = Project(essai_project.root)
    assert local_site(project) == "Réseau : Quimper"
    with SpaceClient(project) as client:
        page = client.sign_in()
        page = client.get("reglages")
        assert "Réseau : Quimper" in page.words() and page.soup.select_one("#name") is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "25:00"}, "L'heure « 25:00 » n'existe pas"),
        ({"start": ""}, "Indiquez l'heure de début"),
        ({"duration": "0"}, "La durée doit être entre 1 et 720 minutes"),
        ({"duration": "1500"}, "La durée doit être entre 1 et 720 minutes"),
        ({"duration": "une heure"}, "La durée doit être un nombre de minutes"),
        ({"day": "1900-01-01"}, "La date 01/01/1900 n'est pas possible"),
        ({"day": "31/02/2026"}, "La date « 31/02/2026 » n'existe pas"),
        ({"day": ""}, "Indiquez la date de l'atelier."),
        ({"place": " "}, "Indiquez le lieu de l'atelier"),
        ({"trainer": ""}, "Indiquez qui anime l'atelier."),
        ({"title": "x" * 300}, "Le titre est trop long"),
    ],
)
def test_absurd_or_missing_values_are_refused_in_french(trainer, essai_project, changes, message):
    refused = trainer.post("", workshop_form(**changes))
    assert refused.status == 400 and message in refused.status_text()
    assert essai_project.workshops().all() == []
    kept = refused.soup  # what was typed stays in the form
    for name, value in changes.items():
        if name != "title":
            assert kept.select_one(f"#{name}")["value"] == value.strip()


def test_an_empty_form_says_every_problem_at_once(trainer, essai_project):
    refused = trainer.post("", {"module": "essai"})
    said = refused.status_text()
    for part in ("date", "heure de début", "durée", "lieu", "qui anime"):
        assert part in said
    assert essai_project.workshops().all() == []


def test_a_form_sent_twice_makes_one_workshop(trainer, essai_project):
    once = trainer.get("").soup.select_one("input[name=formulaire]")["value"]
    first = trainer.post("", workshop_form(formulaire=once))
    again = trainer.post("", workshop_form(formulaire=once), follow=True)  # double click, back
    assert again.status_text() == "Cet atelier est déjà créé : le voici."
    assert again.url.split("?")[0] == first.location.split("?")[0]
    assert len(essai_project.workshops().all()) == 1
    other_tab = trainer.get("").soup.select_one("input[name=formulaire]")["value"]
    assert other_tab != once  # another tab: the same workshop is found, not made again
    same = trainer.post("", workshop_form(formulaire=other_tab), follow=True)
    assert "Cet atelier existe déjà" in same.status_text()
    assert len(essai_project.workshops().all()) == 1
    trainer.post("", workshop_form(formulaire=other_tab, start="16:00"))  # another hour: a new one
    assert len(essai_project.workshops().all()) == 2


def test_today_upcoming_and_past_workshops(trainer):
    today = date.fromisoformat(workshop_form()["day"])
    for days, title in ((0, "Aujourd'hui"), (7, "Plus tard"), (-7, "Avant")):
        day = (today + timedelta(days=days)).isoformat()
        trainer.post("", workshop_form(title=title, day=day))
    home = trainer.get("")
    sections = {s.h2.get_text(): s.get_text(" ") for s in home.soup.select("main section")}
    today_heading = next(h for h in sections if h.startswith("Aujourd'hui, "))
    assert "Aujourd'hui" in sections[today_heading] and "Plus tard" not in sections[today_heading]
    assert "Plus tard" in sections["À venir"] and "Avant" in sections["Ateliers passés"]


def test_edit_duplicate_delete_and_cancel(trainer, essai_project):
    made = trainer.post("", workshop_form(title="Le CV"))
    wid = made_id(made)
    edit = trainer.get(f"ateliers/{wid}/modifier")
    version = edit.soup.select_one("input[name=version]")["value"]
    changed = trainer.post(f"ateliers/{wid}/modifier", workshop_form(
        title="Le CV, suite", start="09:30", version=version), follow=True)  # fmt: skip
    assert changed.status_text() == "Atelier modifié."
    twice = trainer.post(f"ateliers/{wid}/modifier", workshop_form(
        title="Le CV, suite", start="09:30", version=version), follow=True)  # fmt: skip
    assert twice.status == 200 and twice.status_text() == "Atelier modifié."  # a double click
    assert essai_project.workshops().get(wid).title == "Le CV, suite"
    stale = trainer.post(f"ateliers/{wid}/modifier", workshop_form(title="Vieux", version=version))
    assert stale.status == 409 and "a changé entre-temps" in stale.status_text()
    assert stale.soup.select_one("#title")["value"] == "Le CV, suite"  # the current one shown
    bad = trainer.post(f"ateliers/{wid}/modifier", workshop_form(
        duration="0", version=stale.soup.select_one("input[name=version]")["value"]))  # fmt: skip
    assert bad.status == 400 and essai_project.workshops().get(wid).duration_minutes == 90

    copy = trainer.get(f"?depuis={wid}")
    assert copy.soup.select_one("#title")["value"] == "Le CV, suite"
    assert copy.soup.select_one("#day")["value"] == ""  # another day, to choose

    current = trainer.get(f"ateliers/{wid}/modifier").soup.select_one("input[name=version]")
    deleted = trainer.post(f"ateliers/{wid}/modifier", {"op": "supprimer",
                           "version": current["value"]}, follow=True)  # fmt: skip
    assert deleted.status_text() == "L'atelier « Le CV, suite » est supprimé."
    assert essai_project.workshops().all() == []
    again = trainer.post(f"ateliers/{wid}/modifier", {"op": "supprimer", "version": "x"}, True)
    assert (
        again.status_text() == "Cet atelier est déjà supprimé."
    )  # a double click, the back button
    gone = trainer.get(f"ateliers/{wid}/modifier")
    assert gone.status == 400 and "n'existe pas" in gone.words()


def test_a_workshop_with_a_group_is_cancelled_not_deleted_and_counted_nowhere(
    trainer, essai_project
):
    from course.coordinator.records import gather

    wid = made_id(trainer.post("", workshop_form()))
    trainer.post(f"ateliers/{wid}", {"op": "inscrire", "name": "Hélène"})
    empty = made_id(trainer.post("", workshop_form(title="Sans personne", start="16:00")))
    assert empty != wid
    assert [w.id for w in gather(essai_project).workshops] == [wid]  # the empty one: nowhere
    edit = trainer.get(f"ateliers/{wid}/modifier")
    assert edit.soup.find("button", string="Supprimer l'atelier") is None
    version = edit.soup.select_one("input[name=version]")["value"]
    refused = trainer.post(f"ateliers/{wid}/modifier", {"op": "supprimer", "version": version})
    assert refused.status == 400 and "Annulez-le plutôt" in refused.status_text()
    cancelled = trainer.post(f"ateliers/{wid}/modifier", {"op": "annuler", "version": version},
                             follow=True)  # fmt: skip
    assert "annulé : il est gardé, mais compté nulle part" in cancelled.status_text()
    twice = trainer.post(f"ateliers/{wid}/modifier", {"op": "annuler", "version": version}, True)
    assert twice.status_text() == "C'est déjà fait."
    assert essai_project.workshops().get(wid).cancelled
    assert gather(essai_project).workshops == []
    assert "(annulé)" in trainer.get("").words()
    version = cancelled.soup.select_one("input[name=version]")["value"]
    trainer.post(f"ateliers/{wid}/modifier", {"op": "retablir", "version": version})
    assert [w.id for w in gather(essai_project).workshops] == [wid]
