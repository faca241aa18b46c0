"""Plain French, measured on every text a learner reads: sentences, words, readability
(Kandel and Moles' adaptation of Flesch, by textstat with ``lang="fr"``) and jargon from
``course/content/data/jargon.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from course.answers.matching import strip_accents_and_case
from course.content.catalogue import (
    Module,
    Question,
)
from course.content.check.report import ModuleReport, Readability, Sentence, _shorten
from course.content.check.settings import JARGON_FILE, CheckSettings

# ---------------------------------------------------------------------------------------------
# Sentences and words
# ---------------------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-*+•]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^#{1,6}\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# A sentence ends at . ! ? … (possibly several, possibly closed by a quote or a bracket) that
# follows a word (French puts a space before ? and !) and is followed by a space or the end.
_END = re.compile(r"(?<=[\w»\"')\]€%°])\s?[.!?…]+[»\"')\]]*(?=\s|$)")
# Addresses are one word and never jargon: "internet-signalement.gouv.fr", "https://x.example".
_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*"
    r"\.(?:fr|com|org|net|eu|info|example|gouv)\b(?:/\S*)?",
    re.IGNORECASE,
)


def strip_markdown(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ").replace("\u202f", " ")
    return _EMPHASIS.sub("", text)


def _blocks(text: str) -> Iterator[str]:
    """Paragraphs, list items and headings: nothing runs on across them.

    A line ending with ":" introduces a list, so it ends its block too.
    """
    block: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(">"):
            line = line.lstrip("> ").strip()
        if not line:
            if block:
                yield " ".join(block)
            block = []
            continue
        if _HEADING.match(line):
            if block:
                yield " ".join(block)
            yield _HEADING.sub("", line)
            block = []
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if block:
                yield " ".join(block)
            block = [line[bullet.end() :]]
        else:
            block.append(line)
        if line.endswith(":"):
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)


def words(sentence: str) -> list[str]:
    """Words as a reader counts them: anything with a letter or a digit ("l'adresse" is one)."""
    return [w for w in sentence.split() if any(ch.isalnum() for ch in w)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown text: list items, headings and list intros count as sentences."""
    out = []
    for block in _blocks(strip_markdown(text)):
        start = 0
        for match in _END.finditer(block):
            rest = block[match.end() :].lstrip()
            if rest and rest[0].islower():
                continue  # "etc. et", "ex. le": the sentence goes on
            out.append(block[start : match.end()].strip())
            start = match.end()
        out.append(block[start:].strip())
    return [s for s in out if words(s)]


# ---------------------------------------------------------------------------------------------
# Jargon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JargonList:
    entries: tuple[tuple[str, str], ...]  # (word, plain French alternative)
    allowed: tuple[str, ...]


def _fold(text: str) -> str:
    """Lower case, no accents, ligatures spelled out, and the typographic apostrophe as "'"."""
    return strip_accents_and_case(text.replace("’", "'"))


def _pattern(phrase: str, plural: bool) -> re.Pattern[str]:
    # "e-mail" also matches "email" and "e mail"; "fake news" needs its space (or a dash).
    words_ = [w.split("-") for w in _fold(phrase).split()]
    body = r"[\s-]+".join(r"[\s-]?".join(re.escape(p) for p in w if p) for w in words_)
    body += "s?" if plural else ""
    return re.compile(rf"(?<!\w){body}(?!\w)")


def read_jargon(path: Path = JARGON_FILE) -> JargonList:
    entries, allowed = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower().startswith("allow:"):
            allowed.append(line.split(":", 1)[1].strip())
            continue
        word, _, instead = (part.strip() for part in line.partition("=>"))
        if not word:
            raise ValueError(f"{path}, ligne {number} : mot manquant")
        entries.append((word, instead))
    return JargonList(tuple(entries), tuple(allowed))


@cache
def _compiled(
    jargon: JargonList, extra_allowed: tuple[str, ...]
) -> tuple[list[tuple[str, str, re.Pattern[str]]], list[re.Pattern[str]]]:
    found = [(w, instead, _pattern(w, plural=True)) for w, instead in jargon.entries]
    found.sort(key=lambda e: -len(e[0]))  # "fake news" before "fake"
    allowed = [_pattern(a, plural=True) for a in (*jargon.allowed, *extra_allowed) if a.strip()]
    return found, allowed


def find_jargon(
    text: str, jargon: JargonList, allowed: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Jargon words in `text` as (entry, alternative), skipping addresses and allowed names."""
    folded = _fold(text)
    entries, allow = _compiled(jargon, allowed)
    taken = [m.span() for m in _ADDRESS.finditer(folded)]
    taken += [m.span() for pattern in allow for m in pattern.finditer(folded)]
    hits = []
    for word, instead, pattern in entries:
        for match in pattern.finditer(folded):
            a, b = match.span()
            if any(a < end and start < b for start, end in taken):
                continue
            taken.append((a, b))
            hits.append((word, instead))
    return hits


# ---------------------------------------------------------------------------------------------
# Learner-facing texts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    where: str
    text: str
    prose: bool  # running text: counts in the average and the readability score


def _question_texts(q: Question, where: str) -> Iterator[Text]:
    yield Text(f"{where}, consigne", q.prompt, True)
    if q.context:
        yield Text(f"{where}, contexte", q.context, True)
    for i, choice in enumerate(q.choices, 1):
        yield Text(f"{where}, choix {i}", choice, False)
    for i, detail in enumerate(q.details, 1):
        yield Text(f"{where}, texte du choix {i}", detail, True)
    for i, (label, _accepted) in enumerate(q.fields, 1):
        yield Text(f"{where}, champ {i}", label, False)
    for part, text, prose in q.kind.scene_texts(q):
        yield Text(f"{where}, {part}", text, prose)
    yield Text(f"{where}, explication", q.explanation, True)


def learner_texts(module: Module) -> Iterator[Text]:
    """Every text of `module` a learner reads, with where it is written.

    Titles and answer choices are labels: measured for length and jargon, but left out of the
    average and the readability score, where their two or three words would flatter the module.
    Sources' titles are official titles, quoted as they are.
    """
    yield Text("module.toml, titre", module.title, False)
    yield Text("module.toml, niveau", module.level, False)
    yield Text("module.toml, résumé", module.summary, True)
    for i, objective in enumerate(module.objectives, 1):
        yield Text(f"module.toml, objectif {i}", objective, True)
    yield Text("lesson.toml, titre", module.lesson_title, False)
    for i, step in enumerate(module.lesson, 1):
        name = f"lesson.toml, étape {i}" + (f" « {step.title} »" if step.title else "")
        if step.title:
            yield Text(f"{name}, titre", step.title, False)
        if step.text:
            yield Text(f"{name}, texte", step.text, True)
        if step.question is not None:
            yield from _question_texts(
                step.question, f"lesson.toml, exercice « {step.question.id} »"
            )
    if module.evaluation_intro:
        yield Text("evaluation.toml, introduction", module.evaluation_intro, True)
    for q in module.questions:
        yield from _question_texts(q, f"evaluation.toml, question « {q.id} »")


def _for_textstat(sentence: str) -> str:
    """One sentence as textstat must see it: ending with a full stop and no other.

    textstat cuts sentences at every . ! ?, also inside "gouv.fr" or "Tulipe!Savon7".
    """
    body = _ADDRESS.sub("site", _END.sub("", sentence)).rstrip(" :;,")
    return re.sub(r"[.!?…]", "", body).strip() + "."


def readability_score(sentences: list[str]) -> tuple[float, float]:
    """(Kandel-Moles score, syllables per word) of these sentences, computed by textstat.

    textstat's `flesch_reading_ease` with lang "fr" is Kandel and Moles' formula,
    207 - 1.015 × words per sentence - 73.6 × syllables per word (textstat/backend/utils/
    constants.py, LANG_CONFIGS["fr"]); syllables come from Pyphen's French dictionary.
    """
    from textstat.textstat import textstatistics

    stats = textstatistics()  # our own instance: the module-level one is shared global state
    stats.set_lang("fr")
    stats.set_rounding_points(None)
    text = " ".join(_for_textstat(s) for s in sentences)
    if not text.strip():
        return 0.0, 0.0
    return float(stats.flesch_reading_ease(text)), float(stats.avg_syllables_per_word(text))


def measure(module: Module, jargon: JargonList) -> Readability:
    """Sentences, average, readability and jargon of every text a learner reads in `module`."""
    figures = Readability()
    prose: list[str] = []
    per_text: list[tuple[float, str]] = []
    allowed = tuple(module.allow_words)
    for text in learner_texts(module):
        figures.texts += 1
        found = split_sentences(text.text)
        for sentence in found:
            figures.sentences.append(Sentence(sentence, len(words(sentence)), text.where))
            for word, instead in find_jargon(sentence, jargon, allowed):
                figures.jargon.append((word, instead, text.where))
        if text.prose:
            prose += found
            figures.prose_sentences += len(found)
            figures.prose_words += sum(len(words(s)) for s in found)
            if sum(len(words(s)) for s in found) >= 20:
                per_text.append((readability_score(found)[0], text.where))
    figures.score, figures.syllables_per_word = readability_score(prose)
    figures.hardest_texts = sorted(per_text)[:3]
    return figures


def check_plain_french(report: ModuleReport, figures: Readability, settings: CheckSettings):
    limit = settings.max_sentence_words
    for s in figures.sentences:
        if s.words > limit:
            report.fail(
                "phrase longue",
                s.where,
                f"{s.words} mots (au plus {limit}) : « {_shorten(s.text)} »",
            )
    if figures.average_words > settings.max_average_sentence_words:
        report.fail(
            "longueur moyenne",
            "module",
            f"{figures.average_words:.1f} mots par phrase en moyenne "
            f"(au plus {settings.max_average_sentence_words:g})",
        )
    if figures.score < settings.min_readability:
        report.fail(
            "lisibilité",
            "module",
            f"score de lisibilité {figures.score:.1f} (au moins {settings.min_readability:g})",
        )
    for word, instead, where in figures.jargon:
        advice = f" : écrivez plutôt « {instead} »" if instead else ""
        report.fail("jargon", where, f"mot anglais ou jargon « {word} »{advice}")
