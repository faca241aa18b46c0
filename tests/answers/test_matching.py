"""Pix-like tolerance of short-text answers (t1 case/accents/spaces, t2 punctuation, t3 typos)."""

import pytest

from course.answers.matching import (
    expected_number,
    matches,
    matches_any,
    max_typos,
    normalize,
    numbers_in,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("cnil", "CNIL"),
        ("  C N I L ", "CNIL"),
        ("Sécurité", "securite"),
        ("ŒUVRE", "oeuvre"),
        ("c.n.i.l", "CNIL"),
        ("l'adresse e-mail", "ladresse email"),
        ("33 700", "33700"),
        ("mot de pase", "mot de passe"),  # one typo in 11 letters
        ("phrase de passe !", "Phrase de passe"),
    ],
)
def test_accepted(given, expected):
    assert matches(given, expected)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("CAF", "CNIL"),
        ("33600", "33700"),  # a number with a typo is another number
        ("3370", "33700"),
        ("", "CNIL"),
        ("   ", "CNIL"),
        ("!!!", "CNIL"),
        (None, "CNIL"),
        ("mot", "mot de passe"),
    ],
)
def test_refused(given, expected):
    assert not matches(given, expected)


def test_symbols_and_emoji_are_kept_not_crashing():
    assert normalize("jean@exemple.fr") == "jean@exemplefr"
    assert matches("Jean@Exemple.fr", "jean@exemple.fr")
    assert not matches("😀", "CNIL")
    assert matches("CNIL 😀", "CNIL 😀")


def test_typo_budget_is_a_quarter_of_the_length():
    assert max_typos("CNIL") == 1
    assert max_typos("abc") == 0
    assert not matches("abd", "abc")  # no typo allowed on 3 letters


def test_empty_expectation_never_matches():
    assert not matches("", "")
    assert not matches_any("x", [])
    assert matches_any("Pharos", ["Signal Spam", "pharos"])


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ("lea.martin@exemple.fr", True),
        (" Lea.Martin@Exemple.FR ", True),
        ("lea.martin @ exemple.fr", False),  # a space inside an address: lesson 05 says never
        ("lea.ma rtin@exemple.fr", False),
        ("leamartin@exemple.fr", False),  # a missing dot is another address
        ("lea.martin@exemple.example", False),
        ("lea.martinexemple.fr", False),
        ("lea.martin@exemple.f", False),
        ("", False),
    ],
)
def test_addresses_must_be_exact_but_case(given, ok):
    assert matches(given, "lea.martin@exemple.fr") is ok


def test_web_addresses_are_exact_too():
    assert matches("FranceConnect.gouv.fr", "franceconnect.gouv.fr")
    assert not matches("france-connect.gouv.fr", "franceconnect.gouv.fr")


# --- As people write: numbers with words around them, domain endings -------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("14 jours", "14"),
        ("quatorze jours", "14"),
        ("14 jours", "quatorze"),
        ("Quatorze", "14"),
        ("14j", "14"),
        ("12 caractères", "12"),
        ("douze caractères", "12"),
        ("7 mots", "sept"),
        ("sept mots", "7"),
        ("le 33700", "33700"),
        ("au 33 700", "33700"),
        ("Au 33 700 !", "33 700"),
        ("33.700", "33700"),
        ("sept (7)", "7"),
        ("quatorse", "quatorze"),  # Pix's t3 still applies to a number written in words
    ],
)
def test_a_number_with_its_unit_or_words_around_it(given, expected):
    assert matches(given, expected)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("15 jours", "14"),
        ("quinze jours", "14"),
        ("14 ou 15", "14"),
        ("entre 14 et 30 jours", "14"),
        ("8 mots", "sept"),
        ("huit", "sept"),
        ("le 33701", "33700"),
        ("au 3370", "33700"),
        ("11 caractères", "12"),
        ("jours", "14"),
        ("deux semaines", "14"),
    ],
)
def test_another_number_stays_wrong(given, expected):
    assert not matches(given, expected)


def test_number_words_are_found_in_an_answer():
    assert numbers_in("au 33 700") == {33700}
    assert numbers_in("quatorze jours, soit 14") == {14}
    assert numbers_in("un mandat") == set()  # "un" is an article here, not a number
    assert expected_number("33 700") == 33700
    assert expected_number("douze") == 12
    assert expected_number("mandat") is None


@pytest.mark.parametrize(
    "given", [".gouv.fr", "gouv.fr", "gouv.fr/", " .Gouv.FR ", "gouv.fr.", "c'est gouv.fr"]
)
def test_a_domain_ending_accepts_its_usual_spellings(given):
    assert matches(given, "gouv.fr")


@pytest.mark.parametrize(
    "given", ["gouvfr", "gouv.com", ".gouv.fr.fr", "gouv-fr", "gouv . fr", "pas gouv.fr"]
)
def test_a_domain_ending_is_otherwise_exact(given):
    assert not matches(given, "gouv.fr")


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ("lea.martin@exemple.fr.", False),  # a trailing dot is another address
        ("lea.martin@exemple.fr/", False),  # an e-mail address has no trailing slash
        (".lea.martin@exemple.fr", False),
        ("lea.martin exemple.fr", False),  # a missing @
    ],
)
def test_email_addresses_get_no_domain_ending_tolerance(given, ok):
    assert matches(given, "lea.martin@exemple.fr") is ok


def test_full_web_addresses_accept_a_trailing_slash_only():
    assert matches("www.legorafi.fr/", "www.legorafi.fr")
    assert not matches("www.legorafi.com", "www.legorafi.fr")
    assert not matches("www.legorafy.fr", "www.legorafi.fr")  # no typo on an address


def test_a_typo_stays_inside_its_word():
    assert matches("aupres de la cnll", "auprès de la CNIL")
    assert not matches("auprès de la CAF", "auprès de la CNIL")
    assert matches("mot de pase", "mot de passe")
    assert matches("motdepase", "mot de passe")  # words glued together: Pix's budget on the whole


# --- As people write: an accepted answer inside a few words, and what contradicts it ---------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("c'est la CNIL", "CNIL"),
        ("le signe @", "@"),
        ("format PDF", "PDF"),
        ("en PDF", "PDF"),
        ("Objet : Candidature vendeur", "Candidature vendeur"),
        ("Candidature vendeuse", "Candidature vendeur"),  # the same job, said of a woman
        ("recette de la tarte au pomme", "Recette de la tarte aux pommes"),
        ("opignon", "opinion"),  # two typos in seven letters
        ("CV Karim Diallo.pdf", "CV-Karim-Diallo.pdf"),
        ("c'est gouv.fr", "gouv.fr"),
        ("https://www.legorafi.fr", "www.legorafi.fr"),
        ("@messagerie.example", "messagerie.example"),
    ],
)
def test_an_accepted_answer_among_a_few_words(given, expected):
    assert matches(given, expected)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("pas la CNIL", "CNIL"),  # a negation where the answer is positive
        ("CNIL ou CAF", "CNIL"),  # a second guess
        ("CV-Karim-Diallo.docx", "CV-Karim-Diallo.pdf"),  # another format: no typo budget
        ("recette-tarte.jpg", "recette-tarte.pdf"),
        ("Word, pas PDF", "PDF"),
        ("PDF et Word", "PDF"),  # another format named beside it
        ("tom.ga rcia@messagerie.example", "tom.garcia@messagerie.example"),
        ("moussa diop", "moussa.diop"),  # a part of an address is exact too
        ("www.gorafi.com", "www.legorafi.fr"),
        ("Candidature caissier", "Candidature vendeur"),
        ("fil", "fille"),  # another word, not a gender
        ("oui", "non"),
    ],
)
def test_what_contradicts_an_accepted_answer(given, expected):
    assert not matches(given, expected)


def test_a_name_written_as_another_address_is_wrong():
    assert matches_any("Le Gorafi", ["Gorafi", "legorafi.fr"])
    assert not matches_any("www.gorafi.com", ["Gorafi", "legorafi.fr"])


@pytest.mark.parametrize(
    ("given", "ok"),
    [
        ("non", True),
        ("Non, c'est interdit", True),
        ("non je refuse", True),
        ("nan", True),
        ("Non, je ne suis pas obligée de les donner", True),
        ("non... enfin oui", False),
        ("oui", False),
        ("je ne sais pas", False),
    ],
)
def test_a_yes_or_no_with_its_reason(given, ok):
    assert matches_any(given, ["non", "nan", "non, je ne suis pas obligé"]) is ok


def test_a_negative_answer_lets_negations_through():
    accepted = ["partage", "partage pas", "transfère"]
    assert matches_any("je ne partage pas", accepted)
    assert matches_any("je ne transfère pas", accepted)
    assert not matches_any("lis ou partage", accepted)


def test_another_fields_answer_contradicts():
    others = ["opinion", "rumeur"]
    assert matches_any("c'est une info", ["information", "info"], others=others)
    assert not matches_any("information ou rumeur", ["information"], others=others)
    assert not matches_any("une information, pas une rumeur", ["information"], others=others)
    assert not matches_any("information et rumeur", ["information"], others=others)
    # An answer of another field written around this one: « gouv.fr » holds « fr ».
    assert matches_any("fr", ["fr"], others=["gouv.fr"])
    assert not matches_any("gouv.fr", ["fr"], others=["gouv.fr"])
    assert matches_any("gouv.fr", ["gouv.fr"], others=["fr"])
    # The same answer in two fields is no contradiction (two delays of 14 days).
    assert matches_any("14 jours", ["14"], others=["14", "quatorze"])


def test_authors_variants_are_checked_by_the_matcher():
    from course.content.catalogue import ModuleError, parse_question

    common = {"id": "q", "prompt": "?", "explanation": "!", "competence": "1.1"}
    with pytest.raises(ModuleError, match="aussi acceptée dans la case « B »"):
        fields = [
            {"label": "A", "answer": ["rumeur", "une info"]},
            {"label": "B", "answer": "info"},
        ]
        parse_question(common | {"type": "qrocm", "fields": fields}, "lesson.toml", False)
