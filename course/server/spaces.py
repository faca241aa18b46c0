"""Which private spaces `course serve` mounts, and their tornado rules for the launcher.

Each entry of `SPACES` names a function `f(project) -> Space`. The launcher
(`course.trainer.voila_launcher`) puts `space_handlers(project)` before Voilà's own rules, in
the same server and on the same port as the learners' pages.
"""

from __future__ import annotations

from importlib import import_module

from course.settings import Project
from course.web.space import Rule, Space

# "module:function": the trainer's space, then the coordinator's.
SPACES = [
    "course.trainer.space:trainer_space",
    "course.coordinator.space:coordinator_space",
]


def spaces(project: Project) -> list[Space]:
    found = []
    for entry in SPACES:
        module, _, function = entry.partition(":")
        found.append(getattr(import_module(module), function)(project))
    return found


def space_handlers(project: Project) -> list[Rule]:
    return [rule for space in spaces(project) for rule in space.handlers()]
