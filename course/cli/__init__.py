"""`course`: the trainer's command line, a thin layer over the library (help texts in French).

Each command calls one library function and prints its result; `base` holds what they share.
The commands live by audience: `enrolment` (the group and its cards), `workshop` (serving and
the nbgrader cycle), `authoring` (modules, guides, `course check`), `coordination` (exports), `hub` (a network of
sites on JupyterHub).
"""

from __future__ import annotations

import click

from course.cli.base import CONTEXT, FrenchGroup


@click.group(
    cls=FrenchGroup,
    context_settings=CONTEXT,
    help="Ateliers numériques : modules, évaluations nbgrader, résultats.",
)
def cli() -> None:
    pass


def main() -> None:
    """The `course` command. Everything it writes (exports, cards, bundles, logs, and what
    `course serve` and its kernels write) is its owner's only: umask 077 from the start."""
    import os

    from course.cli.french import run

    os.umask(0o077)
    run(cli)


# Registered on import: each module adds its commands to `cli`.
from course.cli import access, authoring, coordination, enrolment, hub, workshop  # noqa: E402

__all__ = [
    "access", "authoring", "cli", "coordination", "enrolment", "hub", "main", "workshop",
]  # fmt: skip
