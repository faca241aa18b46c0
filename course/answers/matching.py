"""Short-text answers matched the way Pix does (QROC/QROCM tolerances), and as people write.

Pix documents three tolerances: t1 ignores case, accents and spaces; t2 ignores punctuation;
t3 accepts typos up to an edit distance of 25 % of the expected answer's length. We apply all
three, in that order, so "Cnil", "c.n.i.l" and "cnll" all match "CNIL" while "CAF" does not.

Two more rules follow how people write a short answer:
- a number may come with its unit or a few words ("14 jours", "quatorze jours", "au 33 700"):
  the answer is right when the only number it holds is the expected one, and wrong as soon as
  it holds another number ("15 jours", "14 ou 15");
- a typo stays inside a word: when both answers have as many words, each word keeps its own
  25 % budget, so « auprès de la CAF » is not « auprès de la CNIL »;
- a domain ending may be written with or without its leading dot or a trailing slash
  (".gouv.fr", "gouv.fr", "gouv.fr/"); otherwise e-mail and web addresses get no tolerance
  but case and spaces, because a typo is another address.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

TYPO_RATIO = 0.25
# An e-mail or web address must be typed exactly: one wrong dot sends the message elsewhere.
_ADDRESS = re.compile(r"@|\b[\w-]+\.(fr|com|org|net|eu|gouv|example|info)\b", re.IGNORECASE)
_KEPT = {"@"}

# Ligatures and letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})

# French number words a learner may write instead of digits. "un" and "une" are left out:
# they are articles far more often than numbers ("un mandat").
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero _ deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
        "quinze seize".split()
    )
    if word != "_"
} | {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100}
# Digits, with groups of three after a space or a dot ("33 700", "33.700") read as one number.
_NUMBER_OR_WORD = re.compile(r"\d+(?:[\s.]\d{3})*(?!\d)|[^\W\d_]+")


def strip_accents_and_case(text: str) -> str:
    """t1 without the spaces: lower-case, no accents, ligatures spelled out."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Apply t1 and t2: what remains is only letters, digits and symbols such as @ or €.

    Punctuation (Unicode category P*) and every kind of space vanish, so a learner who types
    "l'adresse  e-mail" matches "ladresse email". "@" (Unicode calls it punctuation) and
    symbols (S*: €, emoji) are kept because they carry meaning in an address or a price.
    """
    text = strip_accents_and_case(text)
    return "".join(
        ch
        for ch in text
        if ch in _KEPT or not (ch.isspace() or unicodedata.category(ch).startswith("P"))
    )


def is_address(text: str) -> bool:
    """True for an e-mail or web address, which gets no tolerance but case and spaces."""
    return bool(_ADDRESS.search(text))


def _compact(text: str) -> str:
    return "".join(text.casefold().split())


def _host(text: str) -> str:
    """A domain as people write its ending: ".gouv.fr", "gouv.fr" and "gouv.fr/" are one."""
    text = _compact(text)
    if "@" in text:
        return text
    return text.removeprefix(".").removesuffix("/")


def numbers_in(text: str) -> set[int]:
    """The numbers an answer holds, in digits or in words: "au 33 700" → {33700}."""
    found = set()
    for token in _NUMBER_OR_WORD.findall(strip_accents_and_case(text)):
        if token[0].isdigit():
            found.add(int(re.sub(r"\D", "", token)))
        elif token in NUMBER_WORDS:
            found.add(NUMBER_WORDS[token])
    return found


def expected_number(expected: str) -> int | None:
    """The number an expected answer is ("14", "33 700", "quatorze"), or None."""
    want = normalize(expected)
    if want.isdigit():
        return int(want)
    return NUMBER_WORDS.get(want)


def max_typos(expected: str) -> int:
    """t3: how many edits an answer may differ by, 25 % of the normalized answer's length."""
    return int(len(normalize(expected)) * TYPO_RATIO)


def matches(given: str | None, expected: str, *, typos: bool = True) -> bool:
    """True when `given` is `expected` up to case, accents, spaces, punctuation (and typos).

    An empty answer never matches, even an empty expectation: no answer earns no point.
    Numbers get no typo tolerance: Pix's t3 would accept "33701" for "33700". A number is
    right with a unit or words around it, wrong when another number appears. Addresses
    (e-mail, web) only tolerate case and spaces: "lea.martin@exemple.fr" is not "leamartin@…".
    """
    if given is None or not given.strip():
        return False
    if is_address(expected):
        return _host(given) == _host(expected)
    got, want = normalize(given), normalize(expected)
    if not got or not want:
        return False
    if got == want:
        return True
    number = expected_number(expected)
    if number is not None:
        found = numbers_in(given)
        if found:
            # "14 jours" is 14; "15 jours" or "14 ou 15" is not.
            return found == {number}
        if want.isdigit():
            # A number with a typo is another number (33701 is not 33700): numbers match exactly.
            return False
    if not typos:
        return False
    limit = max_typos(expected)
    if limit == 0 or Levenshtein.distance(got, want, score_cutoff=limit) > limit:
        return False
    # With as many words on both sides, a typo stays inside its word: « auprès de la CAF » is
    # three letters from « auprès de la CNIL », which t3 alone would accept on 14 letters.
    given_words, expected_words = _words(given), _words(expected)
    if len(given_words) != len(expected_words):
        return True
    return all(
        Levenshtein.distance(g, w) <= max_typos(w)
        for g, w in zip(given_words, expected_words, strict=True)
    )


def _words(text: str) -> list[str]:
    return [w for w in (normalize(part) for part in text.split()) if w]


def matches_any(given: str | None, accepted: Iterable[str], *, typos: bool = True) -> bool:
    """True when `given` matches one of the accepted answers."""
    return any(matches(given, answer, typos=typos) for answer in accepted)
