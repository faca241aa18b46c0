"""Pix-like tolerance of short-text answers (t1 case/accents/spaces, t2 punctuation, t3 typos)."""

import pytest

from course.answers.matching import matches, matches_any, max_typos, normalize


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
        ("lea.martin @ exemple.fr", True),
        ("leamartin@exemple.fr", False),  # a missing dot is another address
        ("lea.martin@exemple.example", False),
        ("lea.martinexemple.fr", False),
        ("lea.martin@exemple.f", False),
        ("", False),
    ],
)
def test_addresses_must_be_exact_but_case_and_spaces(given, ok):
    assert matches(given, "lea.martin@exemple.fr") is ok


def test_web_addresses_are_exact_too():
    assert matches("FranceConnect.gouv.fr", "franceconnect.gouv.fr")
    assert not matches("france-connect.gouv.fr", "franceconnect.gouv.fr")
