"""Which `_esm` a widget carries (`course.learner.assets`): the whole source outside our Voilà
(JupyterLab, nbconvert: nothing serves our static files there), a stub under it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from course.learner.assets import SERVED_ENV, STATIC

STATES = """
import json
from course.learner.widgets import QuestionWidget, ListenWidget
from course.learner.pages.controls import SignInWidget
states = [w.get_state() for w in (QuestionWidget(), ListenWidget(), SignInWidget(None, None))]
print(json.dumps([[s["_esm"], s["_css"]] for s in states]))
"""


def widget_states(served: bool) -> list[list[str]]:
    env = {k: v for k, v in os.environ.items() if k != SERVED_ENV}
    if served:
        env[SERVED_ENV] = "1"
    out = subprocess.run(
        [sys.executable, "-c", STATES], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_outside_our_voila_widgets_carry_their_source():
    sources = [(STATIC / f).read_text(encoding="utf-8") for f in ("question.js", "listen.js")]
    (q_esm, q_css), (l_esm, l_css), (p_esm, p_css) = widget_states(served=False)
    assert (q_esm, l_esm) == tuple(sources)
    assert p_esm == (STATIC / "page.js").read_text(encoding="utf-8")
    assert q_css == p_css == (STATIC / "question.css").read_text(encoding="utf-8")
    assert l_css == (STATIC / "listen.css").read_text(encoding="utf-8")


def test_under_our_voila_widgets_carry_a_stub():
    states = widget_states(served=True)
    for (esm, css), name in zip(states, ("question", "listen", "page"), strict=True):
        assert len(esm) < 1200 and css == "", name
        assert f'"{name}.js?v=' in esm and "await import(" in esm
    assert '"question.css?v=' in states[0][0] and '"listen.css?v=' in states[1][0]
