"""The one error of a refused payload: its message is French and ends by saying nothing was
written, so the coordinator knows the whole payload went back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from course.core.errors import UserError

REFUSED = "Rien n'a été importé."


class PayloadError(UserError, ValueError):
    """A payload (zip file or network push) refused before anything was written."""


def refuse(why: str) -> PayloadError:
    return PayloadError(f"Paquet refusé : {why} {REFUSED}")


@contextmanager
def misshapen_refused() -> Iterator[None]:
    """Reading records of a bundle or a payload: a record of the wrong shape (a missing key, a
    text where a list goes…) raises whatever Python raises; both roads refuse it with the same
    French message, while a refusal that already says why goes through as it is."""
    try:
        yield
    except PayloadError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refuse("un enregistrement n'a pas la forme attendue.") from None
