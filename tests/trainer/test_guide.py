"""Every module has a trainer guide that renders as a self-contained French page."""

import re
from pathlib import Path

import pytest

from course.content.catalogue import Catalogue
from course.trainer.guide import render_guide

MODULES = Catalogue.load(Path(__file__).resolve().parents[2] / "modules").modules


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.id)
def test_guide_is_a_french_offline_page_with_a_timed_plan(module):
    page = render_guide(module)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<table>" in page, "the timed plan is a table"
    assert f"course release {module.id}" in page or f"course release {module.number:02d}" in page
    # Nothing is loaded from elsewhere: only links a trainer may follow.
    assert not re.search(r"<(script|link|img)\b", page)
