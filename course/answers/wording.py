"""How a short answer reads as French words: the words themselves, the small words that carry no
answer, the words that turn an answer around, and when two spellings are one word.

`course.answers.matching` decides right or wrong with these; they live apart so the rules there
read as rules and the word lists can be read (and grown) by an author in one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

# Ligatures and letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_KEPT = {"@"}
# A word is letters and digits; any other visible character is its own token ("@", "€", 😀),
# then dropped if it is punctuation.
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")

# Articles, prepositions, pronouns and « c'est »: they carry no answer, so « c'est la CNIL »,
# « en PDF » and « tarte au pomme » read as « CNIL », « PDF » and « tarte pommes ». Dropped on
# both sides before words are compared. « ne » is here too: in spoken French « pas » or
# « jamais » carries the negation (« je partage pas »), and they are kept.
STOP_WORDS = frozenset(
    """
    le la les l un une des de du d au aux a en et ce c cet cette ces est s se sont il elle ils
    elles on je j tu t me m mon ma mes ton ta tes son sa ses votre vos notre nos leur leurs qu que
    qui y ne n pour par sur dans avec chez voici voila
    """.split()
)
# Words that turn an answer around: « pas la CNIL », « jamais », « non ».
NEGATIONS = frozenset("pas jamais non nan aucun aucune rien ni nullement".split())
YES = frozenset("oui ouais ouai yes".split())
NO = frozenset("non nan".split())
# Words that offer another answer beside the right one: « CNIL ou CAF » is a guess.
ALTERNATIVES = re.compile(r"\s+(?:ou bien|ou|sinon)\s+", re.IGNORECASE)
# File formats: an answer naming another format than the question's is wrong (« CV.docx »).
FILE_EXTENSIONS = frozenset(
    "pdf doc docx odt rtf txt jpg jpeg png gif heic webp zip exe xls xlsx ods csv mp3 mp4 html".split()
)
FORMAT_WORDS = FILE_EXTENSIONS | {"word", "excel"}
_SAME_FORMAT = {"jpeg": "jpg", "htm": "html"}
# Feminine and plural endings, folded to the masculine singular (after the plural « s »/« x »).
_FEMININE = (("euse", "eur"), ("rice", "eur"), ("ere", "er"), ("ive", "if"), ("enne", "en"))


def strip_accents_and_case(text: str) -> str:
    """Pix's t1 without the spaces: lower-case, no accents, ligatures spelled out."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _is_punctuation(token: str) -> bool:
    return token not in _KEPT and all(unicodedata.category(ch).startswith("P") for ch in token)


@dataclass(frozen=True)
class Word:
    """One word of an answer, and the space-separated piece (`chunk`) it was written in."""

    text: str
    chunk: int


def words(text: str) -> list[Word]:
    """Every word of `text`, folded (t1), punctuation dropped (t2), "@" and symbols kept."""
    found = []
    for index, chunk in enumerate(text.split()):
        for token in _TOKEN.findall(strip_accents_and_case(chunk)):
            if not _is_punctuation(token):
                found.append(Word(token, index))
    return found


def content_words(found: list[Word]) -> list[Word]:
    """The words that carry the answer (`STOP_WORDS` dropped); all of them if none does."""
    kept = [w for w in found if w.text not in STOP_WORDS]
    return kept or found


def base_form(word: str) -> str:
    """The masculine singular a word reads as: « pommes » → « pomme », « vendeuse » → « vendeur ».

    Only endings: a gender or number change of the same word stays the same answer (a woman
    applies as « vendeuse » to an offer for a « vendeur »), while another word (« fil »,
    « fille ») still differs by letters and goes through the typo budget."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word[-1] in "sx":
        word = word[:-1]
    for feminine, masculine in _FEMININE:
        if word.endswith(feminine):
            return word[: -len(feminine)] + masculine
    if word.endswith("ee"):
        word = word[:-1]  # obligée → obligé
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # pomme → pomm, as « pommes » does
    return word


def word_budget(word: str) -> int:
    """Typos a word may carry: none up to 3 letters (« pdf », « oui »), one up to 6, two up to
    11 (« opignon » for « opinion »), then a quarter of its length (Pix's t3)."""
    if word.isdigit() or len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    if len(word) <= 11:
        return 2
    return len(word) // 4


def same_word(given: str, expected: str, *, typos: bool = True) -> bool:
    """True when `given` is the `expected` word, up to its gender, number and typo budget."""
    if given == expected:
        return True
    if not typos or given.isdigit() or expected.isdigit():
        return False
    if base_form(given) == base_form(expected):
        return True
    limit = word_budget(expected)
    return limit > 0 and Levenshtein.distance(given, expected, score_cutoff=limit) <= limit


def file_extension(chunk: str) -> str | None:
    """The file format a written file name ends with (« CV.PDF. » → "pdf"), or None."""
    chunk = chunk.casefold().rstrip(".,;:!?»\"')")
    stem, dot, ext = chunk.rpartition(".")
    if not dot or not stem or ext not in FILE_EXTENSIONS:
        return None
    return _SAME_FORMAT.get(ext, ext)


def same_format(word: str) -> str:
    """A format word as one spelling: "jpeg" is "jpg"."""
    return _SAME_FORMAT.get(word, word)
