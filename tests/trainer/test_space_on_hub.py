"""The trainer's space as a hub's site service serves it (`course serve --hub-site`: the hub's
identity provider), in process: what a trainer reads there (walk.md, issue 20). The hub's
guard (`course.server.hub_guard`) is stood in for by a handler that hands the space the
identity the hub would give marie, a trainer of site « a »: the pages themselves are real.
The guard against the real hub is tests/hub/test_hub_sites.py."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from support.spaces import SpaceClient, space_rules, workshop_form

from course.access.hub import HANDLER_IDENTITY, HANDLER_TOKEN, HUB_SITE_ENV, HubIdentity

BASE = "/services/site-a/"


def as_marie(cls: type) -> type:
    """`cls` behind a stand-in for the hub's guard: the request comes from marie."""

    class Guarded(cls):  # type: ignore[misc, valid-type]
        def prepare(self) -> None:
            provider = self.space.access
            assert isinstance(provider, HubIdentity)
            identity = provider.identity_for_user({"name": "marie", "groups": ["site.a.trainer"]})
            setattr(self, HANDLER_IDENTITY, identity)
            setattr(self, HANDLER_TOKEN, "0" * 64)
            return super().prepare()

    return Guarded


@pytest.fixture
def hub_trainer(essai_project, monkeypatch):
    monkeypatch.setenv(HUB_SITE_ENV, "a")
    rules = [(p, as_marie(cls), kw) for p, cls, kw in space_rules(essai_project, BASE)]
    with SpaceClient(essai_project, rules=rules) as client:
        yield client


def test_the_settings_on_a_hub_ask_nothing_the_hub_already_does(hub_trainer, essai_project):
    first = hub_trainer.get("", follow=True)  # the first visit goes to the settings
    assert first.soup.h1.get_text() == "Bienvenue : les réglages de ce site"
    words = first.words()
    for laptop_only in ("restent sur cet ordinateur", "nbgrader_config.py",
                        "Mot de passe pour ouvrir cet espace", "depuis un autre ordinateur"):  # fmt: skip
        assert laptop_only not in words, laptop_only
    assert first.soup.select_one("#trainers") is None
    assert first.soup.select_one("input[type=password]") is None
    assert "celles que le hub connaît pour ce site" in words
    assert "gardés par le hub" in words
    # Saved: the places count; a password or a list of trainers sent anyway changes nothing.
    saved = hub_trainer.post("reglages", {"name": "Médiathèque", "places": "Salle 2",
                                          "trainers": "Intrus", "password": "x" * 12,
                                          "password2": "x" * 12})  # fmt: skip
    assert saved.status == 303, saved.text
    from course.access.gate import password_file
    from course.workshops.site import load_profile

    profile = load_profile(essai_project.data_dir)
    assert profile.places == ["Salle 2"] and profile.trainers == []
    assert not password_file(essai_project, "trainer").exists()


def test_on_a_hub_no_link_sends_to_the_coordination(hub_trainer):
    from support.spaces import save_site_settings

    save_site_settings(hub_trainer.project)
    home = hub_trainer.get("")
    assert home.status == 200 and "Réglages du site" in home.words()
    assert "Envoyer à la coordination" not in home.words()
    made = hub_trainer.post("", workshop_form())
    assert made.status == 303, made.text
    documents = hub_trainer.get(made.location.split("?")[0] + "/documents")
    assert documents.status == 200 and "Attestations" in documents.words()
    assert "Envoyer à la coordination" not in documents.words()


def test_a_card_printed_right_after_enrolling_carries_the_code(hub_trainer):
    from support.spaces import save_site_settings

    save_site_settings(hub_trainer.project)
    assert hub_trainer.get("").status == 200  # the page's form value, as a browser has it
    workshop = hub_trainer.post("", workshop_form()).location.split("?")[0]
    page = hub_trainer.post(workshop, {"op": "inscrire", "name": "Karim"}, follow=True)
    code = page.row("Karim").select_one(".code").get_text()
    assert re.fullmatch(r"\w{3} \w{3}", code)
    again = hub_trainer.get(workshop)  # the group page again: the code is no longer shown
    assert code not in again.text
    for _twice in range(2):  # opened in the browser, then printed (walk.md trainer 6)
        pdf = hub_trainer.get(workshop + "/cartes.pdf")
        assert pdf.status == 200, pdf.text
        text = PdfReader(io.BytesIO(pdf.body)).pages[0].extract_text()
        assert "Karim" in text and code in text, text


def test_a_hub_sites_name_is_said_to_come_from_the_hub(tmp_path, monkeypatch):
    """A hub site's name is written by `course hub add-site` in its configuration: the trainer
    reads who chose it, not a file name she cannot act on."""
    from support.project import essai_project_at

    from course.settings import Project

    root = essai_project_at(tmp_path / "mon-site").root
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write('\nc.WorkshopSettings.site = "Mon premier site"\n')
    project = Project(root)
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.setenv(HUB_SITE_ENV, "a")
    rules = [(p, as_marie(cls), kw) for p, cls, kw in space_rules(project, BASE)]
    with SpaceClient(project, rules=rules) as client:
        words = client.get("reglages").words()
    assert "Nom du site : Mon premier site (choisi par la personne qui gère le hub)." in words
    assert "nbgrader_config.py" not in words and "déploiement" not in words
