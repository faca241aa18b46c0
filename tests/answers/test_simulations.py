"""Simulation kinds (`messagerie`, `navigateur`, `conversation`, `formulaire`, `etapes`): an
author's mistakes are named in French with the file and the item; the page refuses answers a
learner could not have given; scores are shared part by part; the browser never gets a key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.answers.answer_rules import AnswerRefused, check_answer
from course.answers.grade_cell import grade
from course.answers.kinds.scene import PartCredit
from course.answers.store import AnswerStore
from course.content.catalogue import ModuleError, load_module, parse_question

ROOT = Path(__file__).resolve().parents[2]
ESSAI = load_module(ROOT / "tests" / "fixtures" / "modules" / "01-essai")
Q = {q.type: q for q in ESSAI.questions}
COMMON = {"id": "sim", "prompt": "?", "explanation": "!", "competence": "4.1", "sources": ["s"]}


def message(ident: str, **changes: object) -> dict:
    return {
        "id": ident,
        "sender": "S",
        "subject": f"Objet {ident}",
        "date": "lundi",
        "body": "Bonjour.",
        "answer": "fiable",
    } | changes


def refused(data: dict) -> str:
    with pytest.raises(ModuleError) as caught:
        parse_question(COMMON | data, "modules/02-x/evaluation.toml", True)
    return str(caught.value)


def test_course_check_names_the_file_the_question_and_the_item():
    missing = message("colis")
    del missing["subject"]
    text = refused({"type": "messagerie", "messages": [missing, message("club")]})
    assert text == (
        "modules/02-x/evaluation.toml, question « sim » : "
        "message « colis » : le champ « subject » manque."
    )
    text = refused({"type": "messagerie", "messages": [message("a"), message("a")]})
    assert text.endswith("l'identifiant « a » sert à deux messages.")
    text = refused(
        {"type": "messagerie", "messages": [message("a", answer="poubelle"), message("b")]}
    )
    assert "message « a » : décision inconnue ['poubelle']" in text
    text = refused(
        {
            "type": "formulaire",
            "document_title": "Carte",
            "document": "Nom : A",
            "fields": [{"label": "Nom", "answer": "A"}, {"label": "Ville", "answer": []}],
        }
    )
    assert text == (
        "modules/02-x/evaluation.toml, question « sim », case « Ville » : "
        "le champ « answer » est obligatoire."
    )
    links = [{"id": i, "title": i, "address": f"https://{i}.example"} for i in "ab"]
    text = refused(
        {"type": "navigateur", "address": "https://r.example", "links": links, "answer": "c"}
    )
    assert text.endswith("la bonne réponse « c » ne nomme aucun lien.")
    turn = {"incoming": ["?"], "replies": ["Oui", "Non"], "answer": "Peut-être"}
    text = refused({"type": "conversation", "contact": "C", "turns": [turn]})
    assert text.endswith(
        "échange n° 1 : la bonne réponse ['Peut-être'] n'est pas dans « replies »."
    )
    assert refused({"type": "etapes", "answer": ["Un", "Deux"]}).endswith(
        "il faut au moins trois étapes dans « answer », dans le bon ordre."
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("messagerie", ["inconnu=fiable"]),
        ("messagerie", ["colis=fiable", "colis=signaler"]),
        ("messagerie", ["colis=ouvrir"]),
        ("messagerie", "colis=fiable"),
        ("navigateur", "ailleurs"),
        ("navigateur", ["officiel"]),
        ("conversation", ["Voici mon code."]),
        ("conversation", ["Oui, avec plaisir !", "Voici mon code.", "Encore"]),
        ("formulaire", ["Martin"]),
        ("formulaire", ["Martin", "x" * 301]),
        ("etapes", ["Se lever", "Se laver"]),
        ("etapes", ["Se lever", "Se laver", "Dormir"]),
    ],
)
def test_the_page_refuses_an_answer_a_learner_could_not_have_given(kind, value):
    with pytest.raises(AnswerRefused):
        check_answer(Q[kind], value)


def test_the_page_keeps_answers_a_learner_gives():
    assert check_answer(Q["messagerie"], ["club=fiable", "colis=signaler"]) == [
        "colis=signaler",
        "club=fiable",
    ]
    assert check_answer(Q["conversation"], ["Oui, avec plaisir !"]) == ["Oui, avec plaisir !"]
    for kind in Q.values():
        if kind.type in {"messagerie", "conversation", "etapes"}:
            assert check_answer(kind, []) == []


def test_a_grade_cell_scores_part_by_part_from_the_answers_file(tmp_path):
    store = AnswerStore(tmp_path / "answers.json")
    store.set("eval-boite", ["colis=fiable", "club=fiable"])
    store.set("eval-formulaire", ["  MARTIN ", "Lyn"])  # a typo the tolerances forgive
    store.set("eval-discussion", ["Donne-moi ton code."])
    for q in ESSAI.questions:
        assert json.loads(json.dumps(q.key())) == q.key()
    scores = {t: grade(Q[t].key(), tmp_path) for t in ("messagerie", "formulaire", "conversation")}
    assert scores == {"messagerie": 0.5, "formulaire": 1.0, "conversation": 0.0}
    assert grade(Q["navigateur"].key(), tmp_path) == 0.0  # no answer


def test_the_browser_never_gets_the_right_decisions():
    for q in ESSAI.questions:
        public = json.dumps(q.public(), ensure_ascii=False)
        assert "explanation" not in public and "answer" not in public
    scene = Q["messagerie"].public()["scene"]
    assert [m["id"] for m in scene["messages"]] == ["colis", "club"]
    assert scene["messages"][0]["links"] == ["https://colis.example/payer"]
    assert Q["etapes"].public()["scene"]["steps"] != list(Q["etapes"].answer)


def test_practice_feedback_says_what_was_right_part_by_part():
    q = Q["messagerie"]
    lines = q.kind.feedback_lines(q, ["colis=fiable"])
    assert lines[0].startswith(
        "✘ À revoir : « Votre colis est bloqué » : votre choix, « Je lui fais"
    )
    assert lines[0].endswith("On ne paie jamais un colis par un lien reçu.")
    assert lines[1] == "✘ À revoir : « Réunion de jeudi » : pas de choix."


class _Checklist(PartCredit):
    """A kind made only of `right_parts`: each part is right when it says "oui"."""

    name = "liste-test"
    label = "Liste de test"

    def right_parts(self, expected, answer):
        given = answer if isinstance(answer, list) else []
        return [
            n for n, (text, _key) in enumerate(zip(given, expected, strict=False)) if text == "oui"
        ]


class _Question:
    id = "liste"
    type = "liste-test"
    points = 3.0
    choices: tuple[str, ...] = ()
    answer = ("a", "b", "c")
    fields: tuple = ()
    scene: dict = {}


def test_a_part_credit_kind_needs_only_its_right_parts():
    kind, q = _Checklist(), _Question()
    key = kind.key(q)
    assert kind.several_parts
    assert kind.score(key, ["oui", "non", "oui"]) == 2.0
    assert kind.score(key, ["oui", "oui", "oui"]) == 3.0 and kind.is_correct(q.answer, ["oui"] * 3)
    assert not kind.is_correct(q.answer, ["oui", "non", "oui"])
    assert kind.verdict(q, ["oui", "non", "oui"], 2.0) == ("partial", ["oui", "oui"])
    assert kind.verdict(q, ["non", "non", "non"], 0.0) == ("wrong", [])
    assert kind.verdict(q, ["oui"] * 3, 3.0) == ("right", [])
    assert kind.verdict(q, [], 0.0) == ("empty", [])
    assert kind.verdict(q, ["oui"], None) == ("pending", [])


def test_the_browser_scene_texts_are_the_titles_the_result_lines_and_the_pages():
    q = Q["navigateur"]
    texts = q.kind.scene_texts(q)
    assert ("lien « payant », texte", "Faites votre essai en 2 minutes, 29 €.", True) in texts
    assert ("lien « payant », page", "Payez 29 € pour votre essai.", True) in texts
    assert all(running for where, _t, running in texts if not where.endswith("titre"))
    assert [w for w, _t, running in texts if not running] == [
        f"lien « {link['id']} », titre" for link in q.scene["links"]
    ]
