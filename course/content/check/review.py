"""Content rules of `course check` about facts and fairness, one module at a time.

- A short answer must not be given away by another question of the same evaluation (its
  prompt, context, choices or messages).
- An evaluation question must not repeat a lesson exercise, whose « Vérifier » showed the answer,
  nor read almost like one (`fairness`), nor be unfair in other ways: the keyed choice's place
  and length, addresses mixing « exemple » and `.example`; hard words must be explained the
  first time (`glossary`).
- A source must have been re-read within the last 12 months.
- A source, and any link or site name in the module's files, must not use a host that moved
  (www.service-public.fr is now www.service-public.gouv.fr).

`content_problems` returns French messages for the author; `course.content.check` files them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from urllib.parse import urlparse

from course.answers.matching import is_address, normalize, numbers_in, strip_accents_and_case
from course.content.catalogue import Module, Question

# A source older than this has to be re-read before the module is taught again.
MAX_SOURCE_AGE = datetime.timedelta(days=365)
# Hosts that moved, and where they went.
MOVED_HOSTS = {
    "service-public.fr": "service-public.gouv.fr",
    "www.service-public.fr": "www.service-public.gouv.fr",
}
_MOVED_NAME = re.compile(r"(?<![\w.-])(?:www\.)?service-public\.fr(?![\w-])", re.IGNORECASE)
MODULE_FILES = ("module.toml", "lesson.toml", "evaluation.toml", "guide.md")


def content_problems(module: Module, today: datetime.date) -> list[str]:
    """Every problem these rules find in `module`, as French sentences naming the place."""
    from course.content.check.fairness import fairness_problems
    from course.content.check.glossary import unexplained_words

    return [
        *_answers_given_away(module),
        *fairness_problems(module),
        *unexplained_words(module),
        *_stale_sources(module, today),
        *_moved_hosts(module),
    ]


# --- answers given away -----------------------------------------------------------------------


def _accepted(q: Question) -> list[str]:
    """The answers asked for, and for a field that completes its label (« https://www.ameli. »
    + « fr »), the whole name it makes (« ameli.fr »): printed elsewhere, it gives the end away."""
    # The answer each field or question asks for, written first; the variants after it are
    # tolerances for how people write (« Mon parcours » for « Expériences »), often the
    # module's own words elsewhere: not looked for.
    firsts = {answers[0] for _label, answers in q.fields if answers}
    firsts |= {q.answer[0]} if q.answer and not q.fields else set()
    accepted = [a for a in q.kind.accepted_texts(q) if a in firsts]
    for label, answers in q.fields:
        if label and not label[-1].isspace() and label.rstrip().endswith((".", "@", "-")):
            stem = re.split(r"[\s/]", label.rstrip())[-1].removeprefix("www.")
            accepted += [stem + answers[0].strip()] if answers and stem.strip(".@-") else []
    return accepted


def _shown(q: Question) -> list[str]:
    """What a learner reads of a question: prompt, context, choices, messages, field labels."""
    return [q.prompt, q.context, *q.choices, *q.details, *(label for label, _ in q.fields)]


# Answers every question may say without giving anything away.
_ANYWHERE = {"oui", "non", "vrai", "faux", "rien", "aucun", "aucune", "tous", "toutes"}


def _telling(answer: str) -> bool:
    """An answer a reader would recognise elsewhere: a word of three letters or more (« mandat »
    printed in another question gives « mandat » away), a number, an address, a name.

    Yes and no (« non », « vrai »…) and tiny words say nothing on their own: not looked for.
    """
    folded = normalize(answer)
    if folded.isdigit():
        return len(folded) >= 2
    if is_address(answer):
        return True
    return len(folded.replace(" ", "")) >= 3 and folded not in _ANYWHERE


def _appears(answer: str, text: str) -> bool:
    if not text.strip():
        return False
    folded = normalize(answer)
    if folded.isdigit():
        return int(folded) in numbers_in(text)
    if answer[:1].isupper() and answer[1:2].islower() and not is_address(answer):
        # A capitalised name (« Bloctel », « Gorafi ») counts only where it is written as a
        # name: « Formation » as a title is not « la formation » in a sentence.
        pattern = rf"(?<![\w@.-]){re.escape(answer.strip())}(?![\w-])"
        return bool(re.search(pattern, text))
    needle = re.escape(strip_accents_and_case(answer.strip()))
    return bool(re.search(rf"(?<![\w@.-]){needle}(?![\w-])", strip_accents_and_case(text)))


def _answers_given_away(module: Module) -> Iterator[str]:
    for q in module.questions:
        # A word the question itself offers (« information, opinion ou rumeur ») gives nothing
        # away when another question prints it.
        shown = _shown(q)
        offered = [a for a in _accepted(q) if any(_appears(a, t) for t in shown)]
        telling = [
            a
            for a in _accepted(q)
            if _telling(a) and not any(_appears(o, a) for o in offered)  # « c'est une rumeur »
        ]
        for other in module.questions:
            if other is q:
                continue
            shown = _shown(other)
            found = next((a for a in telling if any(_appears(a, t) for t in shown)), None)
            if found is not None:
                yield (
                    f"evaluation.toml, question « {q.id} » : la réponse « {found} » est "
                    f"écrite dans la question « {other.id} » de la même évaluation. "
                    "Reformulez l'une des deux."
                )


# --- sources ------------------------------------------------------------------------------------


def _stale_sources(module: Module, today: datetime.date) -> Iterator[str]:
    for s in module.sources:
        try:
            checked = datetime.date.fromisoformat(s.checked)
        except ValueError:
            continue  # `course check` already reports a malformed date
        if today - checked > MAX_SOURCE_AGE:
            yield (
                f"module.toml, source « {s.id} » : relue le {checked:%d/%m/%Y}, il y a plus de "
                "12 mois. Relisez-la et mettez à jour « checked »."
            )
        elif checked > today:
            yield (
                f"module.toml, source « {s.id} » : la date « checked » ({s.checked}) est dans "
                "le futur."
            )


def _moved_hosts(module: Module) -> Iterator[str]:
    for s in module.sources:
        host = (urlparse(s.url).hostname or "").lower()
        if host in MOVED_HOSTS:
            yield (
                f"module.toml, source « {s.id} » : le site {host} a déménagé. "
                f"Utilisez l'adresse sur {MOVED_HOSTS[host]} ({s.url})."
            )
    for name in MODULE_FILES:
        path = module.folder / name
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if name == "module.toml" and line.lstrip().startswith("url"):
                continue  # reported above, with the source's id
            for found in _MOVED_NAME.findall(line):
                yield (
                    f"{name}, ligne {number} : « {found} » a déménagé. Écrivez "
                    f"« {MOVED_HOSTS[found.lower()]} »."
                )
