"""The one error of a refused payload: its message is French and ends by saying nothing was
written, so the coordinator knows the whole payload went back."""

from __future__ import annotations

from course.core.errors import UserError

REFUSED = "Rien n'a été importé."


class PayloadError(UserError, ValueError):
    """A payload (zip file or network push) refused before anything was written."""


def refuse(why: str) -> PayloadError:
    return PayloadError(f"Paquet refusé : {why} {REFUSED}")
