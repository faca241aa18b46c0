"""JSON read without trusting it: bounded size, bounded depth, no NaN or Infinity, numbers in
range, checked *before* Python builds anything.

`json.loads` recurses once per bracket (100,000 nested brackets raise `RecursionError`), turns
`NaN`, `Infinity` and `1e999` into floats no figure survives, and builds one object per value (a
30 MB array of zeros is 900 MB of Python). `loads` first scans the bytes once, without recursion,
counting depth and elements (containers and commas) outside strings; only then does it parse, with `parse_constant`
and `parse_float` refusing what is not a finite, reasonable number. Every refusal is a
`PayloadError` whose French message names the member.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from course.sync.errors import PayloadError, refuse

MAX_DEPTH = 24
MAX_ELEMENTS = 500_000  # containers and commas: bounds the objects Python would build
MAX_NUMBER = 1e9  # no score, duration or counter of ours comes near it
MAX_BYTES = 8 * 1024 * 1024

# A string token (escapes included) or one bracket; everything else is skipped in C.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')
_OPENING = frozenset(b"[{")
_QUOTE, _COMMA = ord('"'), ord(",")


def _scan(blob: bytes, name: str, max_depth: int, max_elements: int) -> None:
    """Depth and element count, in one pass over the bytes, strings skipped, no recursion."""
    depth = elements = 0
    for token in _TOKENS.finditer(blob):
        c = blob[token.start()]
        if c == _QUOTE:
            continue
        if c != _COMMA:
            depth += 1 if c in _OPENING else -1
            if depth > max_depth:
                raise refuse(f"« {name} » est imbriqué trop profondément.")
        if c == _COMMA or c in _OPENING:
            elements += 1
            if elements > max_elements:
                raise refuse(f"« {name} » contient bien trop d'éléments.")


def _constant(value: str) -> Any:
    raise refuse(f"une valeur n'est pas un nombre ({value}).")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise refuse(f"un nombre est hors des limites ({text[:20]}).")
    return value


def _int(text: str) -> int:
    if len(text) > 12:
        raise refuse(f"un nombre est hors des limites ({text[:20]}…).")
    value = int(text)
    if abs(value) > MAX_NUMBER:
        raise refuse(f"un nombre est hors des limites ({text}).")
    return value


def loads(
    blob: bytes,
    name: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
) -> Any:
    """The value `blob` holds, or a `PayloadError` saying in French why it is refused."""
    if len(blob) > max_bytes:
        raise refuse(f"« {name} » est bien trop gros.")
    _scan(blob, name, max_depth, max_elements)
    try:
        text = blob.decode("utf-8")
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except PayloadError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError):
        raise refuse(f"« {name} » est illisible.") from None
