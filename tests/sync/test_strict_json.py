"""Strict JSON: what `json.loads` lets through (NaN, Infinity, 1e999, deep nesting, huge
arrays) is refused with a French reason before Python builds anything, and what our payloads
hold still reads."""

from __future__ import annotations

import pytest

from course.sync.errors import PayloadError
from course.sync.strict_json import loads


def test_ordinary_payloads_read():
    blob = b'[{"id": "q1", "score": 1.5, "max": 2, "note": "un \\" [ { crochet"}]'
    assert loads(blob, "results.json") == [
        {"id": "q1", "score": 1.5, "max": 2, "note": 'un " [ { crochet'}
    ]


@pytest.mark.parametrize(
    ("blob", "why"),
    [
        (b'{"score": NaN}', "n'est pas un nombre (NaN)"),
        (b'{"score": Infinity}', "n'est pas un nombre (Infinity)"),
        (b'{"score": -Infinity}', "n'est pas un nombre (-Infinity)"),
        (b'{"score": 1e999}', "hors des limites"),
        (b'{"score": 12345678901234567890}', "hors des limites"),
        (b"[" * 100_000 + b"]" * 100_000, "imbriqué trop profondément"),
        (b"[" + b"0," * 600_000 + b"0]", "bien trop d'éléments"),
        (b'{"a": "non termine', "illisible"),
        (b"\xff\xfe", "illisible"),
    ],
)
def test_refused_with_a_french_reason(blob, why):
    with pytest.raises(PayloadError) as refused:
        loads(blob, "results.json")
    assert why in str(refused.value)
    assert "Rien n'a été importé." in str(refused.value)


def test_brackets_inside_strings_do_not_count():
    deep_text = '"' + "[" * 1000 + '"'
    assert loads(f"[{deep_text}]".encode(), "x.json") == ["[" * 1000]
