"""The module catalogue: metadata, lessons and evaluation questions read from `modules/NN-slug/`.

A module folder holds `module.toml` (metadata and sources), `lesson.toml` (text and practice
questions), `evaluation.toml` (graded questions with their answer keys) and `guide.md` (the
trainer's guide); the notebooks Voilà serves are built from the catalogue by `course serve`.
Keys stay on the server: `Question.public()` is what a widget may know.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.answers.kinds import KINDS, QuestionKind, UnknownKind, kind_of
from course.core.errors import UserError
from course.lacoop import THEMATIQUES


@dataclass(frozen=True)
class Tool:
    """An extra learner app a module offers beside its lesson and evaluation (e.g. the CV builder)."""

    call: str  # the `course.learner.app` call its served notebook runs
    title: str  # the page's title
    link: str  # the catalogue link's text


# A module lists the ones it offers in module.toml: `tools = ["cv"]`.
TOOLS = {
    "cv": Tool(call="cv_app()", title="Mon CV", link="Remplir mon CV et le télécharger"),
}
# How a question is drawn; the answer and its scoring do not change with the display.
DISPLAYS = {
    "": "default form",
    "inbox": "choices are messages in an inbox; `details` holds each message's text",
    "posts": "choices are social-media posts; `details` holds each post's text",
    "address": "choices are web addresses shown as a browser's address bar",
    "shop": "the context is a shop page; choices are what the learner notices",
}
PIX_COMPETENCES = {
    "1.1": "Mener une recherche et une veille d'information",
    "1.2": "Gérer des données",
    "1.3": "Traiter des données",
    "2.1": "Interagir",
    "2.2": "Partager et publier",
    "2.3": "Collaborer",
    "2.4": "S'insérer dans le monde numérique",
    "3.1": "Développer des documents textuels",
    "3.2": "Développer des documents multimédia",
    "3.3": "Adapter les documents à leur finalité",
    "3.4": "Programmer",
    "4.1": "Sécuriser l'environnement numérique",
    "4.2": "Protéger les données personnelles et la vie privée",
    "4.3": "Protéger la santé, le bien-être et l'environnement",
    "5.1": "Résoudre des problèmes techniques",
    "5.2": "Construire un environnement numérique",
}
# Ids become nbgrader grade ids, file names and URL parts: keep them boring.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FOLDER_PATTERN = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)$")


class ModuleError(UserError, ValueError):
    """A module's files are missing or malformed; the message says which file and what."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    checked: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    explanation: str
    competence: str
    points: float = 1.0
    choices: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    context: str = ""
    display: str = ""
    details: tuple[str, ...] = ()
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()  # qrocm: (label, accepted answers)
    # A simulation's screen (messages, links, turns…): the TOML keys its kind names.
    scene: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def kind(self) -> QuestionKind:
        """What its `type` makes it (`course.answers.kinds`): rules, score, verdict, samples."""
        return kind_of(self.type)

    @property
    def autograded(self) -> bool:
        return self.kind.autograded

    def public(self) -> dict[str, Any]:
        """What the learner's browser may receive: no answer key, no explanation."""
        return {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt,
            "context": self.context,
            "choices": list(self.choices),
            "display": self.display,
            "details": list(self.details),
            "fields": [label for label, _accepted in self.fields],
            "scene": self.kind.public_scene(self),
        }

    def key(self) -> dict[str, Any]:
        """What a grade cell needs to score this question, and nothing more."""
        return self.kind.key(self)

    def model_answer(self) -> Any:
        """An answer that earns full marks (for `course check` and tests)."""
        return self.kind.model_answer(self)


@dataclass(frozen=True)
class LessonStep:
    """Either a text (Markdown) or a practice question."""

    title: str = ""
    text: str = ""
    question: Question | None = None


@dataclass
class Module:
    folder: Path
    number: int
    id: str
    title: str
    level: str
    duration_minutes: int
    summary: str
    objectives: list[str]
    sources: list[Source]
    lesson_title: str = ""
    lesson: list[LessonStep] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    evaluation_intro: str = ""
    allow_words: list[str] = field(default_factory=list)  # words `course check` lets through
    tools: list[str] = field(default_factory=list)  # extra learner apps, see TOOLS
    # La Coop's thématiques of a workshop on this module (codes of course.lacoop.THEMATIQUES).
    thematiques: list[str] = field(default_factory=list)

    @property
    def competences(self) -> list[str]:
        """Pix competences of the evaluation, in framework order."""
        found = {q.competence for q in self.questions}
        return sorted(found, key=lambda c: tuple(int(p) for p in c.split(".")))

    @property
    def practice_questions(self) -> list[Question]:
        return [s.question for s in self.lesson if s.question is not None]

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions + self.practice_questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ModuleError(f"Fichier manquant : {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ModuleError(f"Fichier illisible : {path} ({exc})") from exc


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in ("", [], None):
        raise ModuleError(f"{where} : le champ « {key} » est obligatoire.")
    return data[key]


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _fields(found: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The labelled fields (qrocm, formulaire); a field with no expected value is named."""
    fields = []
    for number, f in enumerate(found if isinstance(found, list) else [], 1):
        label = str(_require(f, "label", f"{where}, case n° {number}"))
        fields.append((label, _as_tuple(_require(f, "answer", f"{where}, case « {label} »"))))
    return tuple(fields)


def parse_question(data: dict[str, Any], where: str, graded: bool) -> Question:
    qid = _require(data, "id", where)
    where = f"{where}, question « {qid} »"
    if not ID_PATTERN.match(str(qid)):
        raise ModuleError(f"{where} : identifiant invalide (minuscules, chiffres et tirets).")
    qtype = _require(data, "type", where)
    try:
        kind = kind_of(qtype)
    except UnknownKind:
        raise ModuleError(f"{where} : type « {qtype} » inconnu ({', '.join(KINDS)}).") from None
    competence = str(_require(data, "competence", where))
    if competence not in PIX_COMPETENCES:
        raise ModuleError(f"{where} : compétence Pix « {competence} » inconnue.")
    question = Question(
        id=qid,
        type=qtype,
        prompt=_require(data, "prompt", where),
        explanation=_require(data, "explanation", where),
        competence=competence,
        points=float(data.get("points", 1)),
        choices=_as_tuple(data.get("choices")),
        answer=_as_tuple(data.get("answer")),
        sources=_as_tuple(data.get("sources")),
        context=str(data.get("context", "")),
        display=str(data.get("display", "")),
        details=_as_tuple(data.get("details")),
        fields=_fields(data.get("fields", []), where),
        scene={k: data[k] for k in kind.scene_keys if k in data},
    )
    if question.display not in DISPLAYS:
        raise ModuleError(
            f"{where} : affichage « {question.display} » inconnu ({', '.join(DISPLAYS)})."
        )
    if question.details and len(question.details) != len(question.choices):
        raise ModuleError(f"{where} : « details » doit avoir un texte par choix.")
    if question.points <= 0:
        raise ModuleError(f"{where} : « points » doit être positif.")
    problems = kind.problems(question)
    if problems:
        raise ModuleError(f"{where} : {problems[0]}")
    if graded and not question.sources:
        raise ModuleError(f"{where} : citez au moins une source (« sources »).")
    return question


def load_module(folder: Path) -> Module:
    """Read and check one module folder; raise ModuleError with a precise French message."""
    match = FOLDER_PATTERN.match(folder.name)
    if not match:
        raise ModuleError(f"{folder} : le dossier doit s'appeler NN-identifiant (ex. 02-donnees).")
    meta = _read_toml(folder / "module.toml")
    where = str(folder / "module.toml")
    module_id = match.group(2)
    if meta.get("id", module_id) != module_id:
        raise ModuleError(f"{where} : « id » doit être « {module_id} », le nom du dossier.")
    sources = [
        Source(
            id=_require(s, "id", where),
            title=_require(s, "title", where),
            publisher=_require(s, "publisher", where),
            url=_require(s, "url", where),
            checked=str(_require(s, "checked", where)),
        )
        for s in _require(meta, "sources", where)
    ]
    module = Module(
        folder=folder,
        number=int(match.group(1)),
        id=module_id,
        title=_require(meta, "title", where),
        level=_require(meta, "level", where),
        duration_minutes=int(_require(meta, "duration_minutes", where)),
        summary=_require(meta, "summary", where),
        objectives=list(_require(meta, "objectives", where)),
        sources=sources,
        allow_words=[str(w) for w in meta.get("allow_words", [])],
        tools=[str(t) for t in meta.get("tools", [])],
        thematiques=[str(t) for t in meta.get("thematiques", [])],
    )
    unknown_thematiques = [t for t in module.thematiques if t not in THEMATIQUES]
    if unknown_thematiques:
        raise ModuleError(
            f"{where} : thématique La Coop inconnue {unknown_thematiques} "
            f"(thématiques possibles : {', '.join(THEMATIQUES)})."
        )
    unknown_tools = [t for t in module.tools if t not in TOOLS]
    if unknown_tools:
        raise ModuleError(
            f"{where} : outil inconnu {unknown_tools} (outils possibles : {', '.join(TOOLS)})."
        )
    lesson_file = folder / "lesson.toml"
    lesson = _read_toml(lesson_file)
    module.lesson_title = _require(lesson, "title", str(lesson_file))
    for step in _require(lesson, "steps", str(lesson_file)):
        question = None
        if "question" in step:
            question = parse_question(step["question"], str(lesson_file), graded=False)
        module.lesson.append(
            LessonStep(title=step.get("title", ""), text=step.get("text", ""), question=question)
        )
    evaluation_file = folder / "evaluation.toml"
    evaluation = _read_toml(evaluation_file)
    module.evaluation_intro = evaluation.get("intro", "")
    module.questions = [
        parse_question(q, str(evaluation_file), graded=True)
        for q in _require(evaluation, "questions", str(evaluation_file))
    ]
    _check_references(module)
    return module


def _check_references(module: Module) -> None:
    ids = [q.id for q in module.questions + module.practice_questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ModuleError(f"{module.folder} : identifiants de question en double : {duplicates}")
    known = {s.id for s in module.sources}
    for q in module.questions + module.practice_questions:
        missing = [s for s in q.sources if s not in known]
        if missing:
            raise ModuleError(f"{module.folder} : question « {q.id} », sources inconnues {missing}")


def module_folders(modules_dir: Path) -> list[Path]:
    """The module folders (`NN-identifiant`) under `modules_dir`, in order; none is read."""
    return sorted(p for p in modules_dir.iterdir() if p.is_dir() and FOLDER_PATTERN.match(p.name))


def find_folder(folders: list[Path], ref: str) -> Path:
    """The folder `ref` names: a module id ("proteger-ses-donnees"), folder name or number ("2",
    "02"). Works on folders, so `course check` finds a module its loader would refuse."""
    for folder in folders:
        number, module_id = folder_parts(folder)
        if ref in (module_id, folder.name) or (ref.isdigit() and int(ref) == number):
            return folder
    known = ", ".join(folder_parts(f)[1] for f in folders)
    raise KeyError(f"Module « {ref} » introuvable. Modules disponibles : {known}")


def folder_parts(folder: Path) -> tuple[int, str]:
    """(number, module id) of a module folder: `02-donnees` gives (2, "donnees")."""
    match = FOLDER_PATTERN.match(folder.name)
    if match is None:
        raise ValueError(f"not a module folder: {folder}")
    return int(match.group(1)), match.group(2)


@dataclass
class Catalogue:
    modules: list[Module]

    @classmethod
    def load(cls, modules_dir: Path) -> Catalogue:
        return cls([load_module(f) for f in module_folders(modules_dir)])

    def get(self, module_ref: str) -> Module:
        """Find a module by id, folder name or number (`find_folder`)."""
        folder = find_folder([m.folder for m in self.modules], module_ref)
        return next(m for m in self.modules if m.folder == folder)
