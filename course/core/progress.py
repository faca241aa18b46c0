"""How a long task tells its caller where it is: a callable taking a French line, or nothing.

The CLI prints the lines, the trainer's space streams them to the page, tests and the library
pass nothing (`quiet`).
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def quiet(*_: object) -> None:
    """The default progress: says nothing (fits any progress signature)."""
