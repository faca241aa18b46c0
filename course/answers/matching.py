"""Short-text answers matched the way Pix does (QROC/QROCM tolerances).

Pix documents three tolerances: t1 ignores case, accents and spaces; t2 ignores punctuation;
t3 accepts typos up to an edit distance of 25 % of the expected answer's length. We apply all
three, in that order, so "Cnil", "c.n.i.l" and "cnll" all match "CNIL" while "CAF" does not.
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


def max_typos(expected: str) -> int:
    """t3: how many edits an answer may differ by, 25 % of the normalized answer's length."""
    return int(len(normalize(expected)) * TYPO_RATIO)


def matches(given: str | None, expected: str, *, typos: bool = True) -> bool:
    """True when `given` is `expected` up to case, accents, spaces, punctuation (and typos).

    An empty answer never matches, even an empty expectation: no answer earns no point.
    Numbers get no typo tolerance: Pix's t3 would accept "33701" for "33700". Addresses
    (e-mail, web) only tolerate case and spaces: "lea.martin@exemple.fr" is not "leamartin@…".
    """
    if given is None:
        return False
    if is_address(expected):
        return bool(given.strip()) and _compact(given) == _compact(expected)
    got, want = normalize(given), normalize(expected)
    if not got or not want:
        return False
    if got == want:
        return True
    if not typos or want.isdigit():
        # A number with a typo is another number (33701 is not 33700): numbers match exactly.
        return False
    limit = max_typos(expected)
    return limit > 0 and Levenshtein.distance(got, want, score_cutoff=limit) <= limit


def matches_any(given: str | None, accepted: Iterable[str], *, typos: bool = True) -> bool:
    """True when `given` matches one of the accepted answers."""
    return any(matches(given, answer, typos=typos) for answer in accepted)
