"""Short-text answers matched the way Pix does (QROC/QROCM tolerances), and as people write.

Pix documents three tolerances: t1 ignores case, accents and spaces; t2 ignores punctuation;
t3 accepts typos up to an edit distance of 25 % of the expected answer's length. We apply all
three, so "Cnil", "c.n.i.l" and "cnll" all match "CNIL" while "CAF" does not.

People write a short answer inside a few words, so an answer is right when it holds an accepted
answer, word for word, and nothing that contradicts it:
- small words and lead-ins are ignored: « c'est la CNIL », « le signe @ », « format PDF »,
  « Objet : Candidature vendeur » (`course.answers.wording.STOP_WORDS`; other extra words are
  let through unless they contradict);
- a contradiction makes it wrong: a negation (« pas », « jamais », « non ») when no accepted
  answer is negative, « oui » where the answer is « non » (and back), another field's answer
  (« Formation et expériences » in the « Formation » field), another file format (« CV.docx »
  where the PDF is asked), or a second guess (« CNIL ou CAF »: every alternative must be right);
- a yes/no answer may come with its reason: « Non, c'est interdit », « non je refuse »;
- each word keeps its own typo budget (none up to 3 letters, one up to 6, two up to 11, then
  25 %) and its gender and number: « pommes »/« pomme », « vendeur »/« vendeuse » (a gender
  change of the same word; another word, « fil »/« fille », still counts its letters);
- a number may come with its unit or a few words ("14 jours", "quatorze jours", "au 33 700"):
  the answer is right when the only number it holds is the expected one, and wrong as soon as
  it holds another number ("15 jours", "14 ou 15"); numbers get no typo;
- e-mail and web addresses, and the parts of an address (« moussa.diop »), are exact but for
  case: one space or one letter off is another address (« tom.ga rcia@… » is wrong); a domain
  may be written with or without its leading dot, a trailing slash or a final full stop
  (".gouv.fr", "gouv.fr/", "gouv.fr." as a sentence ends), an address may stand among words
  (« c'est gouv.fr »); an e-mail address ending with a full stop is refused (it is not one);
- a file name keeps its format exact (« .pdf » is not « .docx »; « .jpeg » is « .jpg ») and
  tolerates typos in its name.

`matches_any` is what the kinds call (grade cells and the lesson's « Vérifier » alike, through
`QuestionKind.is_correct`); `matches` is one accepted answer on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from course.answers.wording import (
    ALTERNATIVES,
    FORMAT_WORDS,
    NEGATIONS,
    NO,
    YES,
    Word,
    content_words,
    file_extension,
    same_format,
    same_word,
    strip_accents_and_case,
    words,
)

TYPO_RATIO = 0.25
# An e-mail or web address must be typed exactly: one wrong dot sends the message elsewhere.
_ADDRESS = re.compile(r"@|\b[\w-]+\.(fr|com|org|net|eu|gouv|example|info)\b", re.IGNORECASE)
# A part of an address: letters, a dot, letters, no space (« moussa.diop », « messagerie.example »).
_DOTTED = re.compile(r"^\S*[^\W_]\.[^\W_]\S*$")
_KEPT = {"@"}

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

__all__ = [
    "NUMBER_WORDS",
    "TYPO_RATIO",
    "expected_number",
    "is_address",
    "matches",
    "matches_any",
    "max_typos",
    "normalize",
    "numbers_in",
    "strip_accents_and_case",
]


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
    """True for an e-mail or web address, which gets no tolerance but case."""
    return bool(_ADDRESS.search(text))


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
    """True when `given` is `expected` as people write it (see the module's docstring).

    An empty answer never matches, even an empty expectation: no answer earns no point."""
    return matches_any(given, [expected], typos=typos)


def matches_any(
    given: str | None,
    accepted: Iterable[str],
    *,
    typos: bool = True,
    others: Iterable[str] = (),
) -> bool:
    """True when `given` holds one of the `accepted` answers and nothing contradicting it.

    `others` are the answers of the question's other fields or choices: one of them in
    `given` (and not accepted here too) makes it wrong. `typos=False` keeps t1 and t2 only."""
    if given is None or not given.strip():
        return False
    rules = _Rules.of([a for a in accepted if normalize(a)], others)
    if not rules.accepted:
        return False
    parts = [given] if rules.says_or else [p for p in ALTERNATIVES.split(given) if p.strip()]
    return bool(parts) and all(_accepts(part, rules, typos) for part in parts)


# --- the rules one question's accepted answers give ------------------------------------------


@dataclass(frozen=True)
class _Rules:
    accepted: Sequence[str]
    rivals: Sequence[str]  # other fields' or choices' answers that are not accepted here
    negative: bool  # an accepted answer is itself negative (« non », « partage pas »)
    opposites: frozenset[str]  # « oui » where the answer is « non », and back
    extensions: frozenset[str]  # file formats the accepted file names end with
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    says_or: bool = False  # an accepted answer holds « ou »: no splitting on it

    @classmethod
    def of(cls, accepted: list[str], others: Iterable[str]) -> _Rules:
        folded = {normalize(a) for a in accepted}
        vocabulary = {same_format(w.text) for a in accepted for w in words(a)}
        first = {content_words(words(a))[0].text for a in accepted if words(a)}
        opposites = (YES if first & NO else frozenset()) | (NO if first & YES else frozenset())
        return cls(
            accepted=accepted,
            rivals=[o for o in others if normalize(o) and normalize(o) not in folded],
            negative=bool(vocabulary & NEGATIONS),
            opposites=frozenset(opposites - vocabulary),
            extensions=frozenset(
                ext for a in accepted for ext in [file_extension(a.strip())] if ext
            ),
            vocabulary=frozenset(vocabulary),
            says_or=any(ALTERNATIVES.search(f" {a} ") for a in accepted),
        )


@dataclass(frozen=True)
class _Given:
    text: str
    chunks: list[str]
    content: list[Word]

    @classmethod
    def of(cls, text: str) -> _Given:
        return cls(text, text.split(), content_words(words(text)))

    def everything(self) -> frozenset[int]:
        return frozenset(range(len(self.content))) or frozenset({-1})


def _accepts(given: str, rules: _Rules, typos: bool) -> bool:
    if rules.extensions and any(
        ext not in rules.extensions for ext in map(file_extension, given.split()) if ext
    ):
        return False  # « CV-Karim-Diallo.docx » where the PDF is asked
    addresses = [a.strip() for a in rules.accepted if _exact(a.strip())]
    if addresses and any(_wrong_address(chunk, addresses) for chunk in given.split()):
        return False  # « www.gorafi.com » holds the name « Gorafi » but is another site
    found = _Given.of(given)
    return any(
        not _contradicted(found, span, rules, typos)
        for expected in rules.accepted
        for span in _spans(found, expected, typos)
    )


def _contradicted(given: _Given, span: frozenset[int], rules: _Rules, typos: bool) -> bool:
    """True when the words outside the matched `span` turn the answer around."""
    extras = {w.text for i, w in enumerate(given.content) if i not in span}
    if not rules.negative and extras & NEGATIONS:
        return True
    if extras & rules.opposites:
        return True
    if any(same_format(w) not in rules.vocabulary for w in extras & FORMAT_WORDS):
        return True
    # Another field's answer written beside this one, or around it (« gouv.fr » holds « fr »).
    return any(not other <= span for rival in rules.rivals for other in _spans(given, rival, typos))


# --- where an accepted answer stands in a given one ------------------------------------------


def _spans(given: _Given, expected: str, typos: bool) -> Iterator[frozenset[int]]:
    """The places (sets of `given.content` indexes) where `expected` stands in `given`."""
    expected = expected.strip()
    if _exact(expected):
        yield from _address_spans(given, expected)
        return
    if normalize(given.text) == normalize(expected):
        yield given.everything()
        return
    number = expected_number(expected)
    if number is not None:
        found = numbers_in(given.text)
        if found:
            # "14 jours" is 14; "15 jours" or "14 ou 15" is not.
            if found == {number}:
                yield given.everything()
            return
        if normalize(expected).isdigit():
            return  # a number with a typo is another number (33701 is not 33700)
    want = [w.text for w in content_words(words(expected))]
    got = [w.text for w in given.content]
    for start in range(len(got) - len(want) + 1):
        if all(same_word(g, w, typos=typos) for g, w in zip(got[start:], want, strict=False)):
            yield frozenset(range(start, start + len(want)))
    # Words glued together (« motdepase »): Pix's budget on the whole answer.
    if typos and len(got) < len(want):
        limit = max_typos(expected)
        if Levenshtein.distance(normalize(given.text), normalize(expected), score_cutoff=limit) <= (
            limit
        ):
            yield given.everything()


def _exact(expected: str) -> bool:
    """An address or a part of one: typed exactly. A file name is not (its name may carry a
    typo, its format may not)."""
    if any(ch.isspace() for ch in expected) or file_extension(expected):
        return False
    return is_address(expected) or bool(_DOTTED.match(expected))


def _wrong_address(chunk: str, addresses: list[str]) -> bool:
    """True when `chunk` is written as an address and is none of the accepted ones."""
    bare = chunk.strip("«»\"'()[]<>,;:!?").rstrip(".")
    return _exact(bare) and all(
        _address_form(chunk, expected) != _address_form(expected, expected)
        for expected in addresses
    )


def _address_spans(given: _Given, expected: str) -> Iterator[frozenset[int]]:
    want = _address_form(expected, expected)
    for index, chunk in enumerate(given.chunks):
        if _address_form(chunk, expected) == want:
            yield frozenset(i for i, w in enumerate(given.content) if w.chunk == index) or (
                given.everything()
            )


def _address_form(chunk: str, expected: str) -> str:
    """An address as written, cut of what may surround it: quotes, brackets, a comma; for a web
    address or a domain ending, its scheme, leading dot, trailing slash or final full stop; for a
    part of an e-mail address (« messagerie.example »), the @ beside it."""
    text = chunk.casefold().strip("«»\"'()[]<>,;:!?\u00a0\u202f")
    if "@" in expected:
        return text
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    text = text.strip("@").rstrip(".").rstrip("/").rstrip(".")
    return text if expected.startswith(".") else text.removeprefix(".")
