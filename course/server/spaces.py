"""Which private spaces the server mounts, and their tornado rules for the launcher.

Spaces are declared as entry points of the group `course.spaces` (in pyproject.toml, like
jupyter_client's kernel provisioners), each naming a function `f(project) -> Space`:

    [project.entry-points."course.spaces"]
    trainer = "course.trainer.space:trainer_space"

so a package adds a space without this file changing (a new entry point appears once the package
is installed again: `pip install -e .`). The launcher (`course.server.launcher`) puts
`space_handlers(project, base_url)` before Voilà's own rules, in the same server and on the same
port as the learners' pages.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from course.core.errors import UserError
from course.settings import Project
from course.web.space import Rule, Space

GROUP = "course.spaces"


class SpaceLoadError(UserError, RuntimeError):
    """A declared space cannot be mounted; the message says which one and why. `course serve`
    mounts them once before starting Voilà, so the trainer reads it in the terminal."""


def declared() -> list[EntryPoint]:
    """The entry points of `course.spaces`, by name (the order spaces are mounted in)."""
    return sorted(entry_points(group=GROUP), key=lambda point: point.name)


def load(point: EntryPoint, project: Project) -> Space:
    """The space an entry point names, or a `SpaceLoadError` naming the entry point."""
    where = f"« {point.name} = {point.value} » (groupe {GROUP})"
    try:
        make = point.load()
    except (ImportError, AttributeError) as exc:
        raise SpaceLoadError(f"L'espace {where} est introuvable : {exc}") from exc
    try:
        space = make(project)
    except Exception as exc:
        raise SpaceLoadError(f"L'espace {where} ne démarre pas : {exc!r}") from exc
    if not isinstance(space, Space):
        raise SpaceLoadError(f"L'espace {where} n'a pas donné un espace : {space!r}")
    return space


def spaces(project: Project) -> list[Space]:
    found = [load(point, project) for point in declared()]
    prefixes = [space.prefix.strip("/") for space in found]
    twice = sorted({prefix for prefix in prefixes if prefixes.count(prefix) > 1})
    if twice:
        raise SpaceLoadError(f"Deux espaces ont la même adresse : {', '.join(twice)}")
    return found


def space_handlers(project: Project, base_url: str = "/") -> list[Rule]:
    """Every declared space's rules under the server's `base_url` (Voilà's)."""
    return [rule for space in spaces(project) for rule in space.handlers(base_url)]
