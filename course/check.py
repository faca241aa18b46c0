"""`course check`: every module is written in plain French, complete, and graded right.

Three families of rules, each reported per module, never stopping at the first problem:

- **Plain French, measured** on every text a learner reads (titles, summary, objectives, lesson
  texts, questions, choices, explanations, evaluation intro): words per sentence, the module's
  average, a French readability score (Kandel and Moles' adaptation of Flesch, computed by
  textstat with ``lang="fr"``) and English words or jargon from ``course/data/jargon.txt``.
- **Validation** of the content: metadata, questions, minimum numbers of questions, sources
  (https address, ISO date), the nbgrader source notebook in sync with the TOML, no committed
  notebook with outputs.
- **The real thing**, in a temporary copy of the project (the trainer's data is never touched):
  the served app notebooks run headless without error, and through nbgrader's real release,
  submit, collect and autograde, the answer key earns full marks and an empty submission 0.

Thresholds are traitlets of `CheckSettings`, set in ``nbgrader_config.py`` as
``c.CheckSettings.max_sentence_words = 25`` etc.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import nbformat
from traitlets import Float, Int
from traitlets.config import Configurable

from course.catalogue import (
    AUTOGRADED_TYPES,
    FOLDER_PATTERN,
    ID_PATTERN,
    PIX_COMPETENCES,
    Module,
    ModuleError,
    Question,
    load_module,
)
from course.content_checks import content_problems
from course.matching import strip_accents_and_case
from course.settings import CONFIG_FILE, Project

Progress = Callable[[str], None]
JARGON_FILE = Path(__file__).parent / "data" / "jargon.txt"
PROJECT = "(projet)"  # the "module" of problems that belong to no module
KEY_LEARNER = "verif-cle"  # answers every question with the key
EMPTY_LEARNER = "verif-vide"  # submits without answering anything
FREE_TEXT_ANSWER = "Je ne réponds pas à ce message. Je demande conseil à une personne de confiance."


class CheckSettings(Configurable):
    """Thresholds of `course check`; set them in nbgrader_config.py as `c.CheckSettings.<name>`."""

    max_sentence_words = Int(
        25, help="Longest sentence allowed, in words, in any text a learner reads."
    ).tag(config=True)
    max_average_sentence_words = Float(
        15.0, help="Highest average sentence length of a module's running text, in words."
    ).tag(config=True)
    min_readability = Float(
        75.0,
        help=(
            "Lowest French readability score (Kandel-Moles, higher is easier: 60-70 standard, "
            "70-80 fairly easy, 80-90 easy) of a module's running text. The reference module "
            "02 scored 90.7 when this was chosen; plain French on a harder theme (FranceConnect) "
            "scores about 80; ordinary information prose with 14-word sentences about 63."
        ),
    ).tag(config=True)
    min_practice_questions = Int(10, help="Practice questions a lesson must have.").tag(config=True)
    min_autograded_questions = Int(
        10, help="Automatically graded questions an evaluation must have."
    ).tag(config=True)
    min_free_text_questions = Int(
        1, help="Written questions (type libre) an evaluation must have."
    ).tag(config=True)
    longest_sentences = Int(5, help="How many of the longest sentences the report lists.").tag(
        config=True
    )
    parallel_kernels = Int(
        2, help="How many served notebooks run at the same time (one kernel each)."
    ).tag(config=True)
    execution_timeout = Int(
        120, help="Seconds a served notebook may take to run headless before it fails."
    ).tag(config=True)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    rule: str  # short French name of the rule: "phrase longue", "jargon", "source"...
    where: str  # file and place, e.g. "lesson.toml, étape 2 « Un mot de passe solide », texte"
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.where} : {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    where: str


@dataclass
class Readability:
    """Figures on a module's learner-facing text."""

    texts: int = 0
    sentences: list[Sentence] = field(default_factory=list)  # every sentence, labels included
    prose_sentences: int = 0
    prose_words: int = 0
    syllables_per_word: float = 0.0
    score: float = 0.0  # Kandel-Moles (textstat, lang "fr") on the running text
    hardest_texts: list[tuple[float, str]] = field(default_factory=list)  # (score, where)
    jargon: list[tuple[str, str, str]] = field(default_factory=list)  # (word, instead, where)

    @property
    def average_words(self) -> float:
        return self.prose_words / self.prose_sentences if self.prose_sentences else 0.0

    @property
    def max_words(self) -> int:
        return max((s.words for s in self.sentences), default=0)

    def longest(self, n: int) -> list[Sentence]:
        return sorted(self.sentences, key=lambda s: -s.words)[:n]


@dataclass
class ModuleReport:
    folder: str
    module_id: str
    title: str = ""
    readability: Readability | None = None
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    grading: str = ""  # what the nbgrader part did, in one French line

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, rule: str, where: str, message: str) -> None:
        self.problems.append(Problem(rule, where, message))


@dataclass
class CheckReport:
    modules: list[ModuleReport] = field(default_factory=list)
    project_problems: list[Problem] = field(default_factory=list)
    settings: CheckSettings | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.project_problems + [p for m in self.modules for p in m.problems]

    @property
    def ok(self) -> bool:
        return bool(self.modules) and not self.problems

    def module(self, ref: str) -> ModuleReport:
        for m in self.modules:
            if ref in (m.module_id, m.folder):
                return m
        raise KeyError(ref)


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


def _shorten(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Validation of the content
# ---------------------------------------------------------------------------------------------


def _question_where(q: Question, module: Module) -> str:
    if q in module.questions:
        return f"evaluation.toml, question « {q.id} »"
    return f"lesson.toml, exercice « {q.id} »"


def check_content(report: ModuleReport, module: Module, settings: CheckSettings) -> None:
    practice = module.practice_questions
    autograded = [q for q in module.questions if q.autograded]
    free_text = [q for q in module.questions if q.type == "libre"]
    report.counts = {
        "exercices de la leçon": len(practice),
        "questions corrigées automatiquement": len(autograded),
        "questions rédigées": len(free_text),
        "sources": len(module.sources),
    }
    for found, minimum, what, file in (
        (practice, settings.min_practice_questions, "exercices dans la leçon", "lesson.toml"),
        (
            autograded,
            settings.min_autograded_questions,
            "questions corrigées automatiquement",
            "evaluation.toml",
        ),
        (free_text, settings.min_free_text_questions, "questions rédigées", "evaluation.toml"),
    ):
        if len(found) < minimum:
            report.fail("nombre de questions", file, f"{len(found)} {what} (au moins {minimum})")

    for q in module.questions + practice:
        where = _question_where(q, module)
        if not ID_PATTERN.match(q.id):
            report.fail("question", where, "identifiant invalide")
        if not q.points or q.points <= 0:
            report.fail("question", where, "« points » manque ou n'est pas positif")
        if not q.explanation.strip():
            report.fail("question", where, "l'explication (« explanation ») manque")
        if q.competence not in PIX_COMPETENCES:
            report.fail("question", where, f"compétence Pix « {q.competence} » inconnue")
        if q.type in AUTOGRADED_TYPES and not q.sources:
            report.fail("source", where, "une question qui vérifie un fait cite une source")
        if q.type in AUTOGRADED_TYPES:
            _check_key(report, q, where)

    for s in module.sources:
        where = f"module.toml, source « {s.id} »"
        url = urlparse(s.url)
        if url.scheme != "https" or not url.netloc or " " in s.url:
            report.fail("source", where, f"l'adresse doit commencer par https:// ({s.url})")
        if not _iso_date(s.checked):
            report.fail(
                "source",
                where,
                f"« checked » doit être une date AAAA-MM-JJ ({s.checked})",
            )


def _iso_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def key_answer(q: Question) -> Any:
    """What a learner who knows the key answers; raises ValueError for a type we cannot answer."""
    if q.type == "libre":
        return FREE_TEXT_ANSWER
    return q.model_answer()


def _check_key(report: ModuleReport, q: Question, where: str) -> None:
    """Score the key and an empty answer with `course.scoring`, before nbgrader does it."""
    from course.scoring import score

    try:
        answer = key_answer(q)
        right, empty = score(q.key(), answer), score(q.key(), None)
    except (ValueError, TypeError, KeyError) as exc:
        report.fail("clé", where, f"impossible de répondre avec la clé ({exc})")
        return
    if right != q.points:
        report.fail(
            "clé", where, f"la réponse attendue {answer!r} obtient {right:g} sur {q.points:g}"
        )
    if empty != 0:
        report.fail("clé", where, f"une réponse vide obtient {empty:g} point(s)")


def check_source_notebook(report: ModuleReport, module: Module, project: Project) -> None:
    from course.notebooks import build_evaluation_notebook, source_notebook_path

    path = source_notebook_path(project.course_dir, module)
    where = str(path.relative_to(project.root)) if path.is_relative_to(project.root) else str(path)
    if not path.is_file():
        report.fail("notebook", where, "manquant : lancez « course build »")
        return
    built = nbformat.writes(build_evaluation_notebook(module)) + "\n"
    if path.read_text(encoding="utf-8") != built:
        report.fail("notebook", where, "pas à jour avec evaluation.toml : lancez « course build »")


def notebook_outputs(path: Path) -> str:
    """Why this committed notebook is not clean, or "" when it is."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"illisible ({exc})"
    for i, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            return f"la cellule {i} contient des sorties (effacez-les avant de l'ajouter à git)"
        if cell.get("execution_count") is not None:
            return f"la cellule {i} a un numéro d'exécution (effacez les sorties)"
    return ""


def _notebooks(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


# ---------------------------------------------------------------------------------------------
# Headless execution and the nbgrader chain, in a temporary copy of the project
# ---------------------------------------------------------------------------------------------

_SANDBOX_CONFIG = """

# --- Added by `course check`: this copy is a sandbox, nothing leaves its folder. ---
import os as _course_check_os

_course_check_here = _course_check_os.path.dirname(_course_check_os.path.abspath(__file__))
_course_check_c = get_config()  # noqa: F821
_course_check_c.CourseDirectory.root = _course_check_os.path.join(_course_check_here, "assessments")
_course_check_c.CourseDirectory.db_url = "sqlite:///" + _course_check_os.path.join(
    _course_check_here, "assessments", "gradebook.db"
)
_course_check_c.Exchange.root = _course_check_os.path.join(_course_check_here, "var", "exchange")
_course_check_c.CourseSettings.modules_dir = "modules"
_course_check_c.CourseSettings.data_dir = "var"
"""


def sandbox_copy(project: Project, modules: list[Module], dest: Path) -> Project:
    """A copy of the project with only `modules`, whose data all stay inside `dest`.

    The configuration is copied and then pinned: a trainer's absolute exchange folder or
    PostgreSQL gradebook in nbgrader_config.py is never used by the check.
    """
    dest.mkdir(parents=True, exist_ok=True)
    config = (project.root / CONFIG_FILE).read_text(encoding="utf-8")
    (dest / CONFIG_FILE).write_text(config + _SANDBOX_CONFIG, encoding="utf-8")
    (dest / "modules").mkdir()
    (dest / "assessments" / "source").mkdir(parents=True)
    for module in modules:
        shutil.copytree(module.folder, dest / "modules" / module.folder.name)
        source = project.course_dir / "source" / module.id
        if source.is_dir():
            shutil.copytree(source, dest / "assessments" / "source" / module.id)
    return Project(dest)


def execute_site(
    sandbox: Project, settings: CheckSettings, progress: Progress
) -> dict[str, list[Problem]]:
    """Run every notebook `course serve` would serve, headless; problems by module id.

    Each notebook gets a fresh kernel, as in Voilà, with the server's environment
    (`COURSE_ROOT` is the sandbox). The catalogue runs as a visitor, so it shows the sign-in
    form; lessons and evaluations run for a signed-in learner (a personal link in
    `QUERY_STRING`, which the pages read outside Voilà), so every question is drawn. A cell
    error, text on stderr (Voilà would show it) or a traceback the page logged to the kernel's
    own stderr (the learner would see "Un problème est arrivé") is a problem.
    Kernels run `settings.parallel_kernels` at a time: starting them is the slow part.
    """
    from jupyter_core.utils import run_sync

    from course.identity import TOKEN_PARAM, Roster
    from course.serve import build_site, server_env

    site = build_site(sandbox)
    visitor = server_env(sandbox)
    visitor.pop("QUERY_STRING", None)
    roster = Roster(sandbox.data_dir)
    learner, _code = roster.add("Vérification")
    signed_in = {**visitor, "QUERY_STRING": f"{TOKEN_PARAM}={roster.token(learner.id)}"}
    paths = sorted(site.rglob("*.ipynb"))
    jobs = [(p, visitor if p.parent == site else signed_in) for p in paths]
    progress(
        f"Exécution sans navigateur des {len(paths)} pages servies (index, leçons, évaluations)"
    )
    found = run_sync(_execute_all)(jobs, settings)
    problems: dict[str, list[Problem]] = {}
    for path, path_problems in zip(paths, found, strict=True):
        module_id = path.parent.name if path.parent != site else PROJECT
        rel = path.relative_to(site)
        problems.setdefault(module_id, []).extend(
            Problem("application", f"page {rel}", message) for message in path_problems
        )
    return problems


async def _execute_all(
    jobs: list[tuple[Path, dict | None]], settings: CheckSettings
) -> list[list[str]]:
    import asyncio

    limit = asyncio.Semaphore(max(1, settings.parallel_kernels))

    async def one(path: Path, env: dict | None) -> list[str]:
        async with limit:
            return await _execute(path, env, settings.execution_timeout)

    return list(await asyncio.gather(*(one(path, env) for path, env in jobs)))


async def _execute(path: Path, env: dict | None, timeout: int) -> list[str]:
    """Problems met running one notebook (an empty list when it runs cleanly)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    found, raised = [], ""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        try:
            # The kernel's own stderr: the pages log their errors there, behind PAGE_ERROR_MARK
            # (ipykernel logs its own notices too, e.g. ZMQ tracebacks at shutdown).
            await client.async_execute(stderr=log, **({"env": env} if env is not None else {}))
        except CellExecutionError as exc:
            raised = f"erreur à l'exécution : {_last_line(exc)}"
        except Exception as exc:  # the kernel died, a timeout...
            raised = f"ne s'exécute pas : {exc!r}"
        log.seek(0)
        logged = log.read()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"erreur : {out.get('ename')}: {_shorten(out.get('evalue', ''))}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append(f"écrit sur stderr : {_shorten(out['text'])}")
    if raised and not any(f.startswith("erreur :") for f in found):
        found.insert(0, raised)
    from course.pages import PAGE_ERROR_MARK

    if PAGE_ERROR_MARK in logged:
        # The page's report only: what follows the mark, up to the next kernel notice.
        report = logged.split(PAGE_ERROR_MARK, 1)[1].split("\n[", 1)[0]
        found.append(f"la page a rencontré une erreur : {_last_line(report)}")
    return found


def _last_line(error: Exception | str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # IPython colours its tracebacks
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return _shorten(lines[-1] if lines else repr(error))


def grade_through_nbgrader(
    sandbox: Project, reports: dict[str, ModuleReport], progress: Progress
) -> None:
    """Release each module, submit the key and an empty copy, collect, autograde, compare.

    The key's learner must earn every autograded question's points (their written answer waits
    for a person); the empty copy must earn 0 everywhere. Scores are read from the gradebook.
    """
    from course.results import submissions
    from course.session import LearnerSession
    from course.workflow import WorkflowError, collect, grade, release

    for module in sandbox.catalogue.modules:
        report = reports[module.id]
        try:
            key = {q.id: key_answer(q) for q in module.questions}
        except ValueError as exc:
            report.fail(
                "correction",
                "evaluation.toml",
                f"je ne sais pas répondre avec la clé ({exc}) : ajoutez ce type à "
                "Question.model_answer (course/catalogue.py)",
            )
            continue
        try:
            progress(f"{module.id} : publication de l'évaluation (nbgrader)")
            release(sandbox, module)
            for learner, answers in ((KEY_LEARNER, key), (EMPTY_LEARNER, {})):
                session = LearnerSession(sandbox, module, learner)
                for qid, answer in answers.items():
                    session.answer(qid, answer)
                session.submit()
            collect(sandbox, module)
            progress(f"{module.id} : correction automatique de 2 copies (nbgrader)")
            result = grade(sandbox, module)
        except WorkflowError as exc:
            report.fail("correction", "nbgrader", f"{exc} {_shorten(exc.log, 400)}".strip())
            continue
        for learner, log in result.failed.items():
            report.fail(
                "correction", f"copie {learner}", f"nbgrader a échoué : {_shorten(log, 400)}"
            )
        graded = {s.learner_id: s for s in submissions(sandbox, module)}
        _compare(report, module, graded)
        report.grading = (
            f"nbgrader : la clé obtient "
            f"{_total(graded.get(KEY_LEARNER))} / {sum(q.points for q in module.questions if q.autograded):g} "
            f"points corrigés automatiquement ; une copie vide obtient "
            f"{_total(graded.get(EMPTY_LEARNER))}."
        )


def _total(submission) -> str:
    return "?" if submission is None else f"{submission.score:g}"


def _compare(report: ModuleReport, module: Module, graded: dict) -> None:
    for learner in (KEY_LEARNER, EMPTY_LEARNER):
        if learner not in graded:
            report.fail("correction", f"copie {learner}", "absente du carnet de notes nbgrader")
            continue
        got = graded[learner].questions
        missing = [q.id for q in module.questions if q.id not in got]
        if missing:
            report.fail("correction", f"copie {learner}", f"questions non notées : {missing}")
        extra = sorted(set(got) - {q.id for q in module.questions})
        if extra:
            report.fail("correction", f"copie {learner}", f"cellules notées en trop : {extra}")
        for q in module.questions:
            if q.id not in got:
                continue
            score, max_score = got[q.id].score, got[q.id].max_score
            where = f"evaluation.toml, question « {q.id} »"
            if max_score != q.points:
                report.fail("correction", where, f"notée sur {max_score:g} au lieu de {q.points:g}")
            if learner == EMPTY_LEARNER and score is None:
                report.fail("correction", where, "une copie vide attend une correction à la main")
            elif learner == EMPTY_LEARNER and score != 0:
                report.fail("correction", where, f"une copie vide obtient {score:g} (et non 0)")
            elif learner == KEY_LEARNER and q.autograded and score != q.points:
                report.fail(
                    "correction",
                    where,
                    f"la réponse attendue obtient {score:g} sur {q.points:g} avec nbgrader",
                )
            elif learner == KEY_LEARNER and not q.autograded and score is not None:
                report.fail(
                    "correction",
                    where,
                    f"une réponse rédigée devrait attendre la formatrice, elle obtient {score:g}",
                )


# ---------------------------------------------------------------------------------------------
# The whole check
# ---------------------------------------------------------------------------------------------


def module_folders(project: Project, ref: str | None = None) -> list[Path]:
    """Module folders (NN-identifiant), all or the one `ref` names (id, folder or number)."""
    root = project.modules_dir
    folders = sorted(p for p in root.iterdir() if p.is_dir() and FOLDER_PATTERN.match(p.name))
    if ref is None:
        return folders
    for folder in folders:
        number, module_id = FOLDER_PATTERN.match(folder.name).groups()
        if ref in (module_id, folder.name) or (ref.isdigit() and int(ref) == int(number)):
            return [folder]
    known = ", ".join(FOLDER_PATTERN.match(f.name).group(2) for f in folders)
    raise KeyError(f"Module « {ref} » introuvable. Modules disponibles : {known}")


def _quiet(_: str) -> None:
    pass


def run_check(
    project: Project,
    module_ref: str | None = None,
    *,
    grading: bool = True,
    apps: bool | None = None,
    progress: Progress = _quiet,
    settings: CheckSettings | None = None,
    jargon: JargonList | None = None,
) -> CheckReport:
    """Check the modules of `project` (or the one `module_ref` names); never raises on content.

    `grading=False` skips the slow part: the served apps run headless and the nbgrader chain.
    `apps` runs the served apps or not regardless of `grading`.
    """
    apps = grading if apps is None else apps
    settings = settings or CheckSettings(config=project.config)
    jargon = jargon or read_jargon()
    report = CheckReport(settings=settings)
    loaded: list[Module] = []
    for folder in module_folders(project, module_ref):
        module_report = ModuleReport(folder.name, FOLDER_PATTERN.match(folder.name).group(2))
        report.modules.append(module_report)
        progress(f"Lecture du module {folder.name}")
        try:
            module = load_module(folder)
        except ModuleError as exc:
            module_report.fail("module illisible", "", str(exc))
            continue
        except Exception as exc:  # a content error the loader did not foresee
            module_report.fail("module illisible", "", f"{type(exc).__name__} : {exc}")
            continue
        module_report.title = module.title
        loaded.append(module)
        module_report.readability = measure(module, jargon)
        check_plain_french(module_report, module_report.readability, settings)
        check_content(module_report, module, settings)
        for message in content_problems(module, date.today()):
            module_report.fail("contenu", "", message)
        check_source_notebook(module_report, module, project)
        for path in _notebooks(folder) + _notebooks(project.course_dir / "source" / module.id):
            why = notebook_outputs(path)
            if why:
                module_report.fail("notebook", str(path.relative_to(project.root)), why)

    if module_ref is None:
        package = Path(__file__).parent
        for path in _notebooks(package):
            why = notebook_outputs(path)
            if why:
                report.project_problems.append(Problem("notebook", str(path), why))

    if (grading or apps) and loaded:
        by_id = {m.module_id: m for m in report.modules}
        with tempfile.TemporaryDirectory(prefix="course-check-") as tmp:
            sandbox = sandbox_copy(project, loaded, Path(tmp) / "projet")
            if apps:
                for module_id, problems in execute_site(sandbox, settings, progress).items():
                    target = by_id[module_id].problems if module_id in by_id else None
                    (target if target is not None else report.project_problems).extend(problems)
            if grading:
                grade_through_nbgrader(sandbox, by_id, progress)
    return report


# ---------------------------------------------------------------------------------------------
# Text report
# ---------------------------------------------------------------------------------------------


def render(report: CheckReport, figures: bool = False) -> list[str]:
    """The report as French lines; `figures` adds every readability figure."""
    settings = report.settings or CheckSettings()
    lines: list[str] = []
    for m in report.modules:
        mark = "✔" if m.ok else "✘"
        lines.append(f"{mark} Module {m.folder}" + (f" : {m.title}" if m.title else ""))
        r = m.readability
        if r is not None:
            lines.append(
                f"  {r.prose_sentences} phrases dans le texte courant, "
                f"{r.average_words:.1f} mots par phrase en moyenne "
                f"(au plus {settings.max_average_sentence_words:g}), "
                f"la plus longue : {r.max_words} mots (au plus {settings.max_sentence_words}), "
                f"lisibilité {r.score:.1f} (au moins {settings.min_readability:g}), "
                f"{len(r.jargon)} mot(s) de jargon."
            )
        if m.counts:
            counts = " ; ".join(f"{what} : {n}" for what, n in m.counts.items())
            lines.append(f"  {counts[0].upper()}{counts[1:]}.")
        if m.grading:
            lines.append(f"  {m.grading}")
        if figures and r is not None:
            lines += _figures(r, settings)
        for p in m.problems:
            lines.append(f"  ✘ {p}")
    for p in report.project_problems:
        lines.append(f"✘ {p}")
    n = len(report.problems)
    if not report.modules:
        lines.append("✘ Aucun module trouvé.")
    elif n:
        lines.append(f"✘ {n} problème(s) à corriger.")
    else:
        lines.append("✔ Tout est bon.")
    return lines


def _figures(r: Readability, settings: CheckSettings) -> list[str]:
    lines = [
        "  Lisibilité (textes que lit l'apprenant) :",
        f"    textes : {r.texts} ; phrases : {len(r.sentences)} dont {r.prose_sentences} "
        f"dans le texte courant (titres et choix de réponse à part)",
        f"    mots du texte courant : {r.prose_words} ; mots par phrase : "
        f"{r.average_words:.1f} ; syllabes par mot : {r.syllables_per_word:.2f}",
        f"    score de Kandel et Moles (textstat, fr) : {r.score:.1f} "
        "(60-70 : standard ; 70-80 : assez facile ; 80 et plus : facile)",
        f"    phrases de plus de 15 mots : {sum(1 for s in r.sentences if s.words > 15)} ; "
        f"de plus de {settings.max_sentence_words} mots : "
        f"{sum(1 for s in r.sentences if s.words > settings.max_sentence_words)}",
        f"  Les {settings.longest_sentences} phrases les plus longues :",
    ]
    for s in r.longest(settings.longest_sentences):
        lines.append(f"    {s.words:>3} mots | {s.where} | « {_shorten(s.text, 120)} »")
    if r.hardest_texts:
        lines.append("  Les textes les moins lisibles (20 mots et plus) :")
        for score, where in r.hardest_texts:
            lines.append(f"    {score:5.1f} | {where}")
    if r.jargon:
        lines.append("  Jargon :")
        for word, instead, where in r.jargon:
            lines.append(f"    « {word} » → « {instead} » | {where}")
    return lines
