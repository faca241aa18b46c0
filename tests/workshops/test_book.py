"""The workshop book on a real SQLite database: what trainers type, what the others read."""

from __future__ import annotations

from datetime import date, time

import pytest
from traitlets.config import Config

from course.workshops import WorkshopBook, WorkshopError


@pytest.fixture
def book(tmp_path):
    config = Config()
    config.WorkshopSettings.site = "Médiathèque des Capucins"
    book = WorkshopBook(tmp_path / "var", config=config)
    yield book
    book.close()


def test_a_workshop_keeps_what_the_trainer_typed(book, tmp_path):
    made = book.create(
        "  Protéger   ses données 🔒 ",
        date(2026, 12, 2),
        ["proteger-ses-donnees", "faire-son-cv", "proteger-ses-donnees"],
        start=time(14, 0),
        duration_minutes="90",
        place="Salle Hélène-Boucher",
        trainer="Zoé",
        learner_ids=["marie", "helene", "marie"],
    )
    again = WorkshopBook(tmp_path / "var").get(made.id)  # a second connection reads the same
    assert again.title == "Protéger ses données 🔒"
    assert again.module_ids == ["proteger-ses-donnees", "faire-son-cv"]
    assert again.learner_ids == ["helene", "marie"]
    assert (again.start, again.duration_minutes, again.site) == (
        time(14, 0),
        90,
        "Médiathèque des Capucins",
    )
    assert (again.place_kind, again.equipment, again.level) == (
        "LieuActivite",
        "Ordinateur",
        "Debutant",
    )
    assert len(again.uid) == 36 and (tmp_path / "var" / "ateliers.sqlite").is_file()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "Le titre est vide."),
        ({"title": "x" * 201}, "trop long"),
        ({"duration_minutes": "deux heures"}, "nombre de minutes"),
        ({"duration_minutes": 0}, "entre 1 et"),
        ({"module_ids": []}, "au moins un module"),
        ({"module_ids": ["../../etc"]}, "Module inconnu"),
        ({"learner_ids": ["../../etc"]}, "invalide"),
        ({"place_kind": "Piscine"}, "Type de lieu inconnu"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(book, fields, message):
    values = {"title": "Atelier", "module_ids": ["faire-son-cv"], **fields}
    title, module_ids = values.pop("title"), values.pop("module_ids")
    with pytest.raises(WorkshopError, match=message):
        book.create(title, date(2026, 12, 2), module_ids, **values)
    assert book.all() == []


def test_groups_follow_the_roster(book):
    first = book.create("Un", date(2026, 11, 30), ["faire-son-cv"], learner_ids=["marie"])
    second = book.create("Deux", date(2026, 12, 2), ["faire-son-cv"])
    book.add_learners(second.id, ["marie", "jean"])
    book.add_learners(second.id, ["jean", "zoe"])  # already there: no duplicate, no error
    assert book.get(second.id).learner_ids == ["jean", "marie", "zoe"]
    book.remove_learner(second.id, "zoe")
    book.rename_learner("marie", "marie-claire")
    assert book.get(first.id).learner_ids == ["marie-claire"]
    assert [w.title for w in book.of_learner("marie-claire")] == ["Deux", "Un"]
    book.forget_learner("marie-claire")
    assert book.get(second.id).learner_ids == ["jean"]
    book.remove_learner(second.id, "jean")
    assert book.get(second.id).learner_ids == []


def test_finding_changing_and_deleting(book):
    old = book.create("Ancien", date(2026, 10, 1), ["faire-son-cv"])
    today = book.create("Aujourd'hui", date(2026, 12, 2), ["faire-son-cv"], start=time(9, 30))
    later = book.create("Plus tard", date(2026, 12, 2), ["faire-son-cv"], start=time(14, 0))
    assert [w.title for w in book.on_day(date(2026, 12, 2))] == ["Plus tard", "Aujourd'hui"]
    assert [w.title for w in book.all(since=date(2026, 11, 1))] == ["Plus tard", "Aujourd'hui"]
    changed = book.update(today.id, title="Matin", module_ids=["proteger-ses-donnees"])
    assert (changed.title, changed.module_ids) == ("Matin", ["proteger-ses-donnees"])
    both = book.update(today.id, module_ids=["faire-son-cv", "proteger-ses-donnees"])
    assert both.module_ids == ["faire-son-cv", "proteger-ses-donnees"]
    assert book.update(today.id, module_ids=["proteger-ses-donnees"]).module_ids == [
        "proteger-ses-donnees"
    ]
    assert book.by_uid(later.uid).id == later.id
    book.delete(old.id)
    with pytest.raises(WorkshopError, match="n'existe pas"):
        book.get(old.id)
    with pytest.raises(WorkshopError, match="Le titre est vide"):
        book.update(today.id, title="")
    assert book.get(today.id).title == "Matin"
