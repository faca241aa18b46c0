"""Question kinds (`course.answers.kinds`): each validates its TOML, scores its samples, says its
verdicts; the registry finds kinds through the `course.question_kinds` entry points; the kinds
import nothing heavy; and no switch on the question type string is left outside them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from course.answers.kinds import BUILT_IN, ENTRY_POINT_GROUP, KINDS, Registry, UnknownKind, kind_of
from course.content.catalogue import ModuleError, load_module, parse_question

ROOT = Path(__file__).resolve().parents[2]
ESSAI = load_module(ROOT / "tests" / "fixtures" / "modules" / "01-essai")
BY_TYPE = {q.type: q for q in ESSAI.questions}
NAMES = [cls.name for cls in BUILT_IN]
# The kinds whose matching forgives typing (Pix's tolerances): their careless sample differs.
TOLERANT = {"qroc", "qrocm", "formulaire"}

COMMON = {"prompt": "?", "explanation": "!", "competence": "1.1", "sources": ["s"]}
GOOD = {
    "qcu": {"choices": ["A", "B"], "answer": "B"},
    "qcm": {"choices": ["A", "B", "C"], "answer": ["A", "C"]},
    "qroc": {"answer": ["7", "sept"]},
    "qrocm": {
        "fields": [{"label": "Ville", "answer": ["Paris"]}, {"label": "Pays", "answer": "F"}]
    },
    "libre": {},
    "messagerie": {
        "messages": [
            {"id": i, "sender": "S", "subject": i, "date": "D", "body": "B", "answer": "fiable"}
            for i in ("a", "b")
        ]
    },
    "navigateur": {
        "address": "https://r.example",
        "links": [{"id": i, "title": i, "address": f"https://{i}.example"} for i in "ab"],
        "answer": "a",
    },
    "conversation": {
        "contact": "C",
        "turns": [{"incoming": ["?"], "replies": ["Oui", "Non"], "answer": "Non"}],
    },
    "formulaire": {
        "document_title": "Carte",
        "document": "Nom : A",
        "fields": [{"label": "Nom", "answer": "A"}],
    },
    "etapes": {"answer": ["Un", "Deux", "Trois"]},
}
BAD = [
    ("qcu", {"choices": ["A"], "answer": "A"}, "au moins deux choix"),
    ("qcu", {"choices": ["A", "A"], "answer": "A"}, "deux choix identiques"),
    ("qcu", {"choices": ["A", "B"], "answer": "C"}, "n'est pas dans les choix"),
    ("qcu", {"choices": ["A", "B"], "answer": ["A", "B"]}, "exactement une bonne réponse"),
    ("qcm", {"choices": ["A", "B"]}, "bonne réponse \\(« answer »\\) manque"),
    ("qroc", {}, "bonne réponse \\(« answer »\\) manque"),
    ("qrocm", {"fields": [{"label": "Ville", "answer": ["Paris"]}]}, "au moins deux champs"),
    ("libre", {"points": 0}, "doit être positif"),
]


def test_every_kind_is_declared_in_the_entry_point_group_and_in_the_fixture():
    declared = {point.name: point.load() for point in entry_points(group=ENTRY_POINT_GROUP)}
    assert {cls.name: cls for cls in BUILT_IN}.items() <= declared.items()
    assert all(cls.name == name for name, cls in declared.items())
    assert list(KINDS)[: len(NAMES)] == NAMES and set(KINDS) == set(declared)
    assert {q.type for q in ESSAI.questions} == set(KINDS)  # the fixture has one of each


@pytest.mark.parametrize("name", NAMES)
def test_a_good_question_of_each_kind_is_read(name):
    q = parse_question({"id": "q", "type": name} | COMMON | GOOD[name], "evaluation.toml", True)
    assert q.kind is KINDS[name] and q.kind.label
    assert q.autograded == (name != "libre")


@pytest.mark.parametrize(("name", "data", "message"), BAD)
def test_a_bad_question_of_each_kind_is_refused_in_french(name, data, message):
    with pytest.raises(ModuleError, match=message):
        parse_question({"id": "q", "type": name} | COMMON | data, "evaluation.toml", True)


def test_an_unknown_type_is_refused_with_the_known_ones():
    with pytest.raises(
        ModuleError, match="type « glisser » inconnu \\(qcu, qcm, qroc, qrocm, libre"
    ):
        parse_question({"id": "q", "type": "glisser"} | COMMON, "evaluation.toml", True)
    with pytest.raises(KeyError):
        kind_of("glisser")
    with pytest.raises(ValueError):
        kind_of("glisser")
    assert issubclass(UnknownKind, KeyError) and issubclass(UnknownKind, ValueError)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "libre"])
def test_samples_score_full_tolerated_or_nothing(name):
    q = BY_TYPE[name]
    kind, key = q.kind, q.key()
    assert key["type"] == name and json.loads(json.dumps(key)) == key  # a grade cell's literal
    assert kind.score(key, kind.sample_right(q)) == q.points
    assert kind.score(key, q.model_answer()) == q.points
    careless = kind.sample_careless(q)
    assert kind.score(key, careless) == q.points
    assert (careless != kind.sample_right(q)) == (name in TOLERANT)
    assert kind.score(key, kind.sample_wrong(q)) == 0
    for empty in (None, "", "   ", [], ["", " "], {"a": 1}, 3):
        assert kind.score(key, empty) == 0  # no answer never earns a point


def test_a_written_answer_is_not_scored_by_a_grade_cell():
    q = BY_TYPE["libre"]
    with pytest.raises(ValueError):
        q.kind.score(q.key(), "Oui.")
    with pytest.raises(ValueError):
        q.model_answer()
    assert q.kind.sample_right(q, "Mon texte") == "Mon texte" and q.kind.sample_wrong(q) == ""


@pytest.mark.parametrize(
    ("name", "answer", "score", "verdict", "right"),
    [
        ("qcu", "Bleu", 1.0, "right", []),
        ("qcu", "Vert", 0.0, "wrong", []),
        ("qcu", "", 0.0, "empty", []),
        ("qcm", ["Pomme", "Poire"], 1.0, "right", []),
        ("qcm", ["Pomme", "Carotte"], 0.0, "partial", ["Pomme"]),
        ("qcm", ["Carotte"], 0.0, "wrong", []),
        ("qcm", [], 0.0, "empty", []),
        ("qroc", "sept", 1.0, "right", []),
        ("qrocm", ["France", "Espagne"], 0.0, "wrong", []),
        ("qrocm", ["", ""], 0.0, "empty", []),
        ("libre", "Oui.", None, "pending", []),
        ("libre", "Oui.", 2.0, "right", []),
        ("libre", "Oui.", 1.0, "graded", []),
        ("libre", "  ", 0.0, "empty", []),
        ("messagerie", ["colis=signaler", "club=fiable"], 1.0, "right", []),
        (
            "messagerie",
            ["colis=fiable", "club=fiable"],
            0.5,
            "partial",
            ["« Réunion de jeudi » : votre choix, « Je lui fais confiance »"],
        ),
        ("messagerie", [], 0.0, "empty", []),
        ("navigateur", "payant", 0.0, "wrong", []),
        (
            "conversation",
            ["Oui, avec plaisir !", "Voici mon code."],
            0.5,
            "partial",
            ["Échange 1 : vous avez répondu « Oui, avec plaisir ! »"],
        ),
        ("formulaire", ["martin", "Paris"], 0.5, "partial", ["Nom : martin"]),
        ("etapes", ["Se lever", "Déjeuner", "Se laver"], 0.0, "partial", ["1. Se lever"]),
        ("etapes", ["Se laver", "Se lever", "Déjeuner"], 0.0, "partial", ["3. Déjeuner"]),
    ],
)
def test_verdicts(name, answer, score, verdict, right):
    q = BY_TYPE[name]
    assert q.kind.verdict(q, answer, score) == (verdict, right)


def test_an_answer_is_shown_as_its_parts():
    assert KINDS["qcm"].shown(["Pomme", " ", "Poire "]) == ["Pomme", "Poire"]
    assert KINDS["qroc"].shown("  7 jours ") == ["7 jours"] and KINDS["qroc"].shown(None) == []
    assert KINDS["qrocm"].several_parts and not KINDS["libre"].several_parts


def test_a_kind_from_another_package_is_found_through_its_entry_point(tmp_path, monkeypatch):
    (tmp_path / "vrai_faux.py").write_text(
        "from course.answers.kinds.choices import OneChoice\n\n"
        "class TrueFalse(OneChoice):\n"
        "    name = 'vrai-faux'\n"
        "    label = 'Vrai ou faux'\n",
        encoding="utf-8",
    )
    info = tmp_path / "vrai_faux-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: vrai-faux\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nvrai-faux = vrai_faux:TrueFalse\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry()
    kind = registry["vrai-faux"]
    assert kind.label == "Vrai ou faux" and list(registry)[-1] == "vrai-faux"
    assert kind.score({"points": 1, "answer": ["Vrai"]}, "Vrai") == 1


def test_kinds_import_nothing_heavy():
    heavy = ("nbformat", "voila", "sqlalchemy", "ipywidgets", "anywidget", "course.content")
    code = (
        "import json, sys\nimport course.answers.kinds, course.answers.grade_cell\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# --- no switch on the type string outside the kinds ---------------------------------------------

_NAMES = "|".join(re.escape(n) for n in NAMES)
PY_SWITCH = re.compile(
    rf"""\b(?:type|qtype|question_type)\s*(?:==|!=|not\s+in\b|in\b)"""
    rf"""|(?:==|!=)\s*["'](?:{_NAMES})["']|["'](?:{_NAMES})["']\s*(?:==|!=|:)"""
    rf"""|\bin\s*[(\[{{]\s*["'](?:{_NAMES})["']"""
)
JS_TABLE = re.compile(r"^const renderers = \{\n.*?^\};\n", re.MULTILINE | re.DOTALL)
JS_SWITCH = re.compile(rf"""spec\.type(?!\])|\b(?:{_NAMES})\b""")


def python_switches(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        if "kinds" in path.relative_to(package).parts[:2]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PY_SWITCH.search(line.split("#")[0]):
                found.append(f"{path.relative_to(package.parent)}:{number}: {line.strip()}")
    return found


def js_switches(script: str) -> list[str]:
    outside = JS_TABLE.sub("", script)
    return [line.strip() for line in outside.splitlines() if JS_SWITCH.search(line)]


def test_no_switch_on_the_question_type_outside_the_kinds():
    assert python_switches(ROOT / "course") == []
    script = (ROOT / "course" / "learner" / "static" / "question.js").read_text(encoding="utf-8")
    assert JS_TABLE.search(script), "question.js lost its `const renderers = {…};` table"
    assert js_switches(script) == []


def test_the_switch_detector_sees_a_switch(tmp_path):
    room = tmp_path / "course" / "trainer"
    room.mkdir(parents=True)
    (room / "sneaky.py").write_text(
        'if q.type == "libre":\n    pass\nif qtype in ("qcu", "qcm"):\n    pass\n'
        'LABELS = {"qroc": "Réponse courte"}\nif cell.cell_type == "code":\n    pass\n'
    )
    assert [f.split(":")[1] for f in python_switches(tmp_path / "course")] == ["1", "3", "5"]
    script = 'const renderers = {\n  qcu: one,\n};\nif (spec.type === "qcm") x();\n'
    assert js_switches(script) == ['if (spec.type === "qcm") x();']
