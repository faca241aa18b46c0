"""Scoring rules shared by grade cells and lessons."""

import json
from pathlib import Path

import pytest

from course.answers.grade_cell import grade
from course.answers.scoring import is_correct, score
from course.content.catalogue import load_module

QCM = {"id": "q", "type": "qcm", "points": 2, "answer": ["A", "C"]}
QCU = {"id": "q", "type": "qcu", "points": 1, "answer": ["B"]}
QROC = {"id": "q", "type": "qroc", "points": 1, "answer": ["33700", "33 700"]}


@pytest.mark.parametrize(
    ("key", "answer", "expected"),
    [
        (QCM, ["A", "C"], 2),
        (QCM, ["C", "A"], 2),
        (QCM, ["A"], 0),
        (QCM, ["A", "B", "C"], 0),
        (QCM, [], 0),
        (QCM, None, 0),
        (QCM, "A", 0),
        (QCU, "B", 1),
        (QCU, "A", 0),
        (QCU, "", 0),
        (QCU, ["B"], 0),
        (QROC, " 33 700 ", 1),
        (QROC, "", 0),
        (QROC, "17", 0),
    ],
)
def test_score(key, answer, expected):
    result = score(key, answer)
    assert result == expected
    assert 0 <= result <= key["points"]


def test_free_text_is_not_autoscored():
    with pytest.raises(ValueError):
        is_correct("libre", [], "texte")


def test_grade_reads_answers_file(tmp_path):
    assert grade(QCU, tmp_path) == 0  # no file: 0, never full marks
    (tmp_path / "answers.json").write_text(json.dumps({"answers": {"q": "B"}}))
    assert grade(QCU, tmp_path) == 1
    (tmp_path / "answers.json").write_text("{broken")
    assert grade(QCU, tmp_path) == 0


QROCM = {
    "id": "q",
    "type": "qrocm",
    "points": 2,
    "answer": [["marie.dupont@exemple.fr"], ["Rendez-vous", "rdv"]],
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["Marie.Dupont@exemple.fr", "rendez vous"], 2),
        (["marie.dupont@exemple.fr", "RDV"], 2),
        (["marie.dupont@exemple.fr", ""], 0),
        (["marie.dupont@exemple.fr"], 0),
        (["", ""], 0),
        ("marie.dupont@exemple.fr", 0),
        (None, 0),
    ],
)
def test_qrocm_needs_every_field(answer, expected):
    assert score(QROCM, answer) == expected


# --- The real keys, scored the way people write their answers ----------------------------------

MODULES = Path(__file__).resolve().parents[2] / "modules"


def real_key(folder: str, question_id: str) -> dict:
    return load_module(MODULES / folder).question(question_id).key()


def full_marks(key: dict, answer) -> bool:
    return score(key, answer) == key["points"]


@pytest.mark.parametrize(
    ("folder", "question_id", "answer", "right"),
    [
        # Numbers with their unit or words around them; another number stays wrong.
        ("04-acheter-et-vendre-en-ligne", "eval-delai-retractation", "14 jours", True),
        ("04-acheter-et-vendre-en-ligne", "eval-delai-retractation", "quatorze jours", True),
        ("04-acheter-et-vendre-en-ligne", "eval-delai-retractation", "15 jours", False),
        ("04-acheter-et-vendre-en-ligne", "eval-delai-retractation", "14 ou 15", False),
        ("04-acheter-et-vendre-en-ligne", "ex-duree-retractation", "quatorze", True),
        ("02-proteger-ses-donnees", "ex-longueur-minimum", "12 caractères", True),
        ("02-proteger-ses-donnees", "ex-longueur-minimum", "11 caractères", False),
        ("02-proteger-ses-donnees", "eval-phrase-de-passe", "7 mots", True),
        ("02-proteger-ses-donnees", "eval-phrase-de-passe", "sept mots", True),
        ("02-proteger-ses-donnees", "eval-phrase-de-passe", "8 mots", False),
        ("02-proteger-ses-donnees", "eval-numero-sms", "le 33700", True),
        ("02-proteger-ses-donnees", "eval-numero-sms", "au 33 700", True),
        ("02-proteger-ses-donnees", "eval-numero-sms", "au 33 701", False),
        ("05-echanger-avec-ses-proches", "eval-numero-33700", "Au 33 700", True),
        ("05-echanger-avec-ses-proches", "eval-numero-33700", "17", False),
        # Pix's tolerances stay.
        ("02-proteger-ses-donnees", "eval-nom-cnil", "cnll", True),
        ("02-proteger-ses-donnees", "eval-nom-cnil", "C.N.I.L.", True),
        ("02-proteger-ses-donnees", "eval-nom-cnil", "CAF", False),
        # Variants the review found.
        ("02-proteger-ses-donnees", "eval-nom-cnil", "auprès de la CNIL", True),
        ("02-proteger-ses-donnees", "ex-plainte-cnil", "Auprès de la Cnil", True),
        ("02-proteger-ses-donnees", "ex-plainte-cnil", "auprès de la CAF", False),
        ("03-verifier-une-information", "eval-en-cas-de-doute", "diffuse", True),
        ("03-verifier-une-information", "eval-en-cas-de-doute", "relaie", True),
        ("03-verifier-une-information", "eval-en-cas-de-doute", "transmets", True),
        ("03-verifier-une-information", "eval-en-cas-de-doute", "partage", True),
        ("03-verifier-une-information", "eval-en-cas-de-doute", "crois", False),
        ("03-verifier-une-information", "ex-nom-gorafi", "www.legorafi.fr", True),
        ("03-verifier-une-information", "ex-nom-gorafi", "legorafi.fr", True),
        ("03-verifier-une-information", "ex-nom-gorafi", "le gorafi", True),
        ("03-verifier-une-information", "ex-nom-gorafi", "www.legorafi.com", False),
        ("03-verifier-une-information", "ex-nom-gorafi", "Le Monde", False),
    ],
)
def test_real_short_answers_as_people_write_them(folder, question_id, answer, right):
    assert full_marks(real_key(folder, question_id), answer) is right


@pytest.mark.parametrize("question_id", ["ex-nommer-parties", "eval-nommer-parties"])
@pytest.mark.parametrize(
    ("formation", "right"),
    [("Études", True), ("Diplômes et formations", True), ("etudes", True), ("Loisirs", False)],
)
def test_cv_section_titles_accept_their_usual_names(question_id, formation, right):
    key = real_key("01-faire-son-cv", question_id)
    answer = [accepted[0] for accepted in key["answer"]]
    # The « Formation » field is not at the same place in the exercise and in the evaluation.
    answer[next(i for i, accepted in enumerate(key["answer"]) if "Formation" in accepted)] = (
        formation
    )
    assert full_marks(key, answer) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ([".gouv.fr", "fr"], True),
        (["gouv.fr/", ".fr"], True),
        (["Gouv.Fr", " fr "], True),
        (["gouv.fr.", "fr."], True),  # a full stop ends the sentence (and a domain may end so)
        (["fr", "gouv.fr"], False),  # each ending in its own field
        (["gouv.fr", "gouv.fr"], False),
        (["gouvfr", "fr"], False),
        (["gouv.com", "fr"], False),
        (["gouv.fr", "com"], False),
    ],
)
def test_domain_endings_through_the_real_key(answer, right):
    assert (
        full_marks(real_key("06-faire-ses-demarches-en-ligne", "eval-fins-adresses"), answer)
        is right
    )


@pytest.mark.parametrize(
    ("address", "right"),
    [
        ("emploi@bricolage-durand.example", True),
        (" Emploi@Bricolage-Durand.example ", True),
        ("emploi @ bricolage-durand.example", False),  # a space inside an address
        ("emploi@bricolage-durand.example.", False),  # trailing dot
        ("emploibricolage-durand.example", False),  # missing @
        ("emploi@bricolage-durand.fr", False),
        ("emplois@bricolage-durand.example", False),  # one letter: another address
    ],
)
def test_email_addresses_through_the_real_key(address, right):
    key = real_key("01-faire-son-cv", "eval-courriel-candidature")
    assert full_marks(key, [address, "Candidature vendeur", "CV-Karim-Diallo.pdf"]) is right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        (["14 jours", "quatorze jours"], True),
        (["14", "14 jours au plus"], True),
        (["14 jours", "30 jours"], False),
        (["quatorze", ""], False),
    ],
)
def test_two_numbers_through_a_real_qrocm(answer, right):
    key = real_key("04-acheter-et-vendre-en-ligne", "eval-retour-remboursement")
    assert full_marks(key, answer) is right
