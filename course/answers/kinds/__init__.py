"""Question kinds: one object per `type` a module's TOML may give a question.

`KINDS` maps the TOML type string to its kind (`KINDS["qcm"].score(key, answer)`). The built-in
kinds are declared in `pyproject.toml` under the entry-point group `course.question_kinds`, as
any other package's kinds would be: a new kind is one Python file (a `QuestionKind` subclass),
one entry there, one renderer in `course/learner/static/question.js`, a question of that kind in
the fixture module (`tests/fixtures/modules/01-essai`) and a line in `modules/README.md`.

The built-ins are also known without reading any package metadata: grade cells and learner
kernels look kinds up in a fresh process, and scanning the installed distributions' entry points
costs about as much as everything a grade cell imports (some 50 ms each here). Entry points are read on the first lookup of
a name that is not built in, or when the whole registry is listed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from course.answers.kinds.base import QuestionKind, QuestionShape
from course.answers.kinds.browser import Browser
from course.answers.kinds.choices import OneChoice, SeveralChoices
from course.answers.kinds.conversation import Conversation
from course.answers.kinds.mailbox import Mailbox
from course.answers.kinds.online_form import OnlineForm
from course.answers.kinds.ordering import StepsInOrder
from course.answers.kinds.short_text import ShortFields, ShortText
from course.answers.kinds.written import Written

ENTRY_POINT_GROUP = "course.question_kinds"
BUILT_IN: tuple[type[QuestionKind], ...] = (
    OneChoice,
    SeveralChoices,
    ShortText,
    ShortFields,
    Written,
    # Simulations of the screens learners meet (issue 23).
    Mailbox,
    Browser,
    Conversation,
    OnlineForm,
    StepsInOrder,
)


class UnknownKind(KeyError, ValueError):
    """A question type no installed kind declares."""


class Registry(Mapping[str, QuestionKind]):
    """The known kinds by TOML type: the built-ins, then the entry points' (read once)."""

    def __init__(self, built_in: tuple[type[QuestionKind], ...] = BUILT_IN):
        self._kinds: dict[str, QuestionKind] = {cls.name: cls() for cls in built_in}
        self._read = False

    def _read_entry_points(self) -> None:
        if self._read:
            return
        self._read = True
        from importlib.metadata import entry_points

        for point in entry_points(group=ENTRY_POINT_GROUP):
            if point.name in self._kinds:
                continue  # a built-in, already here
            found = point.load()
            kind = found() if isinstance(found, type) else found
            if not isinstance(kind, QuestionKind) or kind.name != point.name:
                raise TypeError(f"{point.value} is not the QuestionKind {point.name!r}")
            self._kinds[point.name] = kind

    def __getitem__(self, name: str) -> QuestionKind:
        if name not in self._kinds:
            self._read_entry_points()
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownKind(name) from None

    def __iter__(self) -> Iterator[str]:
        self._read_entry_points()
        return iter(self._kinds)

    def __len__(self) -> int:
        self._read_entry_points()
        return len(self._kinds)


KINDS = Registry()


def kind_of(question_type: str) -> QuestionKind:
    """The kind of a question type; UnknownKind (a KeyError and a ValueError) otherwise."""
    return KINDS[question_type]


__all__ = ["KINDS", "QuestionKind", "QuestionShape", "UnknownKind", "kind_of"]
