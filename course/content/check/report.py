"""What `course check` found: problems per module, readability figures, and the French report."""

from __future__ import annotations

from dataclasses import dataclass, field

from course.content.check.settings import CheckSettings
from course.core.french import count, number

# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def _decimal(value: float, digits: int = 1) -> str:
    """« 6,1 »: a figure with a fixed number of decimals, written with a French comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def _shorten(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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
                f"  {count(r.prose_sentences, 'phrase', 'phrases')} dans le texte courant, "
                f"{_decimal(r.average_words)} mots par phrase en moyenne "
                f"(au plus {number(settings.max_average_sentence_words)}), "
                f"la plus longue : {count(r.max_words, 'mot', 'mots')} "
                f"(au plus {settings.max_sentence_words}), "
                f"lisibilité {_decimal(r.score)} (au moins {number(settings.min_readability)}), "
                f"{count(len(r.jargon), 'mot', 'mots')} de jargon."
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
        lines.append(f"✘ {count(n, 'problème', 'problèmes')} à corriger.")
    else:
        lines.append("✔ Tout est bon.")
    return lines


def _figures(r: Readability, settings: CheckSettings) -> list[str]:
    lines = [
        "  Lisibilité (textes que lit l'apprenant) :",
        f"    textes : {r.texts} ; phrases : {len(r.sentences)} dont {r.prose_sentences} "
        f"dans le texte courant (titres et choix de réponse à part)",
        f"    mots du texte courant : {r.prose_words} ; mots par phrase : "
        f"{_decimal(r.average_words)} ; syllabes par mot : {_decimal(r.syllables_per_word, 2)}",
        f"    score de Kandel et Moles (textstat, fr) : {_decimal(r.score)} "
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
            lines.append(f"    {_decimal(score):>5} | {where}")
    if r.jargon:
        lines.append("  Jargon :")
        for word, instead, where in r.jargon:
            lines.append(f"    « {word} » → « {instead} » | {where}")
    return lines
