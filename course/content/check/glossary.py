"""Hard words a module may use, once it has explained them (`course check`).

Some words the learners meet in real life cannot be avoided (« conformité », « mandat cash »,
« accusé de réception »), but this audience does not know them. `course/content/data/
mots-a-expliquer.txt` lists them; the first time one appears in a module, in the order the
learner reads (module, lesson, evaluation: `french.learner_texts`), the same sentence must
explain it: the word followed by a bracket, « : », a dash, « c'est-à-dire », « c'est »,
« veut dire », « signifie » or « autrement dit ».
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from course.content.catalogue import Module
from course.content.check.french import _fold, learner_texts, split_sentences

GLOSSARY_FILE = Path(__file__).parents[1] / "data" / "mots-a-expliquer.txt"
# What, after the word in the same sentence, shows that it is being explained.
_GLOSS = re.compile(
    r"^[^.!?]{0,40}?(?:\(|\s:\s|\s[-–—]\s|c'est-a-dire|c'est\b|veut dire|signifie|autrement dit)"
)


@dataclass(frozen=True)
class HardWord:
    word: str
    plain: str  # a plain explanation to offer the author


@cache
def read_glossary(path: Path = GLOSSARY_FILE) -> tuple[HardWord, ...]:
    words = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, plain = (part.strip() for part in line.partition("=>"))
        if not word:
            raise ValueError(f"{path}, ligne {number} : mot manquant")
        words.append(HardWord(word, plain))
    return tuple(words)


@cache
def _pattern(word: str) -> re.Pattern[str]:
    """Whole words, each maybe in the plural: « coupon prépayé » finds « coupons prépayés »."""
    parts = [re.escape(w) + "s?" for w in _fold(word).split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)")


def explained(sentence: str, word: str) -> bool | None:
    """None when `word` is not in `sentence`; else whether the sentence explains it."""
    folded = _fold(sentence)
    match = _pattern(word).search(folded)
    if match is None:
        return None
    return bool(_GLOSS.search(folded[match.end() :]))


def unexplained_words(
    module: Module, glossary: tuple[HardWord, ...] | None = None
) -> Iterator[str]:
    """A French message for each hard word whose first appearance in `module` is unexplained."""
    words = list(glossary if glossary is not None else read_glossary())
    for text in learner_texts(module):
        if not words:
            return
        for sentence in split_sentences(text.text):
            for hard in list(words):
                verdict = explained(sentence, hard.word)
                if verdict is None:
                    continue
                words.remove(hard)
                if not verdict:
                    yield (
                        f"{text.where} : le mot « {hard.word} » apparaît ici pour la première "
                        f"fois sans explication. Expliquez-le dans la même phrase, par exemple "
                        f"entre parenthèses : « {hard.plain} »."
                    )
