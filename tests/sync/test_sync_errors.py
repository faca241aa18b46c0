"""`misshapen_refused`: what Python raises on a record of the wrong shape becomes one French
refusal; a refusal that already says why is kept as it is; anything else is not hidden."""

from __future__ import annotations

import pytest

from course.sync.errors import PayloadError, misshapen_refused, refuse


@pytest.mark.parametrize(
    "error", [KeyError("title"), TypeError("x"), ValueError("x"), AttributeError("x")]
)
def test_python_errors_of_a_wrong_shape_become_one_french_refusal(error):
    with pytest.raises(PayloadError) as caught, misshapen_refused():
        raise error
    assert str(caught.value) == (
        "Paquet refusé : un enregistrement n'a pas la forme attendue. Rien n'a été importé."
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_refusal_that_says_why_goes_through_unchanged():
    why = refuse("un atelier cite un apprenant absent du paquet.")
    with pytest.raises(PayloadError) as caught, misshapen_refused():
        raise why
    assert caught.value is why


def test_other_errors_are_not_hidden():
    with pytest.raises(ZeroDivisionError), misshapen_refused():
        _ = 1 / 0
