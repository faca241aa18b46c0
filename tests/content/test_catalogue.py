"""Module files are checked on load, with French messages naming the file and the problem."""

from pathlib import Path

import pytest

from course.content.catalogue import Catalogue, ModuleError, load_module

REPO = Path(__file__).resolve().parents[2]

MODULE = """
title = "Essai"
level = "Débutant"
duration_minutes = 60
summary = "Un module d'essai."
objectives = ["Essayer"]
[[sources]]
id = "s"
title = "Source"
publisher = "CNIL"
url = "https://www.cnil.fr/"
checked = "2026-11-23"
"""
LESSON = """
title = "Leçon"
[[steps]]
text = "Bonjour."
"""


def write_module(tmp_path: Path, evaluation: str, name: str = "01-essai") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "module.toml").write_text(MODULE, encoding="utf-8")
    (folder / "lesson.toml").write_text(LESSON, encoding="utf-8")
    (folder / "evaluation.toml").write_text(evaluation, encoding="utf-8")
    return folder


QRocm = """
[[questions]]
id = "courriel"
type = "qrocm"
prompt = "Remplissez l'en-tête."
explanation = "L'adresse puis l'objet."
competence = "2.1"
sources = ["s"]
[[questions.fields]]
label = "Adresse"
answer = ["marie@exemple.fr"]
[[questions.fields]]
label = "Objet"
answer = ["Rendez-vous"]
"""


def test_qrocm_public_spec_has_labels_but_no_answers(tmp_path):
    module = load_module(write_module(tmp_path, QRocm))
    q = module.questions[0]
    assert q.public()["fields"] == ["Adresse", "Objet"]
    assert "marie@exemple.fr" not in str(q.public())
    assert q.key()["answer"] == [["marie@exemple.fr"], ["Rendez-vous"]]
    assert q.model_answer() == ["marie@exemple.fr", "Rendez-vous"]


@pytest.mark.parametrize(
    ("evaluation", "message"),
    [
        (QRocm.replace('sources = ["s"]', 'sources = ["inconnue"]'), "sources inconnues"),
        (QRocm.replace('sources = ["s"]\n', ""), "citez au moins une source"),
        (QRocm.replace('competence = "2.1"', 'competence = "9.9"'), "compétence Pix"),
        (QRocm.replace('type = "qrocm"', 'type = "vrai-faux"'), "inconnu"),
        (QRocm.replace("explanation = \"L'adresse puis l'objet.\"\n", ""), "explanation"),
        ("questions = [", "illisible"),
    ],
)
def test_bad_modules_are_refused_with_a_precise_message(tmp_path, evaluation, message):
    with pytest.raises(ModuleError, match=message):
        load_module(write_module(tmp_path, evaluation))


def test_qcu_key_must_be_one_of_the_choices(tmp_path):
    evaluation = """
[[questions]]
id = "q"
type = "qcu"
prompt = "?"
explanation = "."
competence = "4.1"
sources = ["s"]
choices = ["a", "b"]
answer = "c"
"""
    with pytest.raises(ModuleError, match="pas dans les choix"):
        load_module(write_module(tmp_path, evaluation))


def test_real_catalogue_loads_and_finds_modules_by_number_and_id():
    catalogue = Catalogue.load(REPO / "modules")
    module = catalogue.get("proteger-ses-donnees")
    assert catalogue.get("2") is module and catalogue.get("02-proteger-ses-donnees") is module
    with pytest.raises(KeyError, match="introuvable"):
        catalogue.get("../../etc")


def test_module_tools_are_known_apps(tmp_path):
    folder = write_module(tmp_path, QRocm)
    module_toml = folder / "module.toml"
    module_toml.write_text('tools = ["cv"]\n' + MODULE, encoding="utf-8")
    assert load_module(folder).tools == ["cv"]
    module_toml.write_text('tools = ["tableur"]\n' + MODULE, encoding="utf-8")
    with pytest.raises(ModuleError, match="outil inconnu"):
        load_module(folder)
    # The real catalogue offers the CV builder in « Faire son CV » only.
    catalogue = Catalogue.load(REPO / "modules")
    assert {m.id: m.tools for m in catalogue.modules if m.tools} == {"faire-son-cv": ["cv"]}


def test_module_thematiques_are_la_coop_codes(tmp_path):
    folder = write_module(tmp_path, QRocm)
    module_toml = folder / "module.toml"
    module_toml.write_text('thematiques = ["SecuriteNumerique", "Email"]\n' + MODULE, "utf-8")
    assert load_module(folder).thematiques == ["SecuriteNumerique", "Email"]
    module_toml.write_text('thematiques = ["Sécurité"]\n' + MODULE, encoding="utf-8")
    with pytest.raises(ModuleError, match="thématique La Coop inconnue"):
        load_module(folder)
    # Every real module says which La Coop thématiques its workshops count under.
    catalogue = Catalogue.load(REPO / "modules")
    assert all(m.thematiques for m in catalogue.modules)
