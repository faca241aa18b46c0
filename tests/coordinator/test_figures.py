"""The dashboard's figures from fixed records, counted by hand; the SVG charts' text is inert."""

from __future__ import annotations

from datetime import date

import pytest

from course.coordinator.charts import Bar, bar_chart
from course.coordinator.figures import dashboard
from course.coordinator.filters import Filters


def test_figures_by_site_trainer_module_and_competence(fixed_records, essai_modules):
    board = dashboard(fixed_records, essai_modules, Filters())
    total = board.total
    assert (total.workshops, total.learners, total.hours) == (2, 3, 3.5)
    # Alice finished the lesson; Bruno's written answer waits for a person.
    assert (total.lessons_completed, total.sent, total.graded) == (1, 3, 2)
    # The project's one success rate: points obtained / points possible over what was sent,
    # Bruno's written answer at 0 until graded: (6 + 0,5 + 3) / (6 + 6 + 4).
    assert total.average == pytest.approx(9.5 / 16)
    (brest,) = [line for line in board.by_site if line.label == "Médiathèque de Brest"]
    assert (brest.workshops, brest.learners, brest.hours, brest.sent, brest.graded) == (
        1, 2, 1.5, 2, 1)  # fmt: skip
    assert [line.label for line in board.by_trainer] == ["Awa", "Yann"]
    assert [line.label for line in board.by_module] == ["Module d'essai"]
    rates = {c.code: (c.asked, c.points, c.possible) for c in board.competences}
    # Questions asked, points, points possible. 1.1: Alice 2 of 2, Bruno 0 of 2, Chloé 1 of 1;
    # 2.1: Alice 3 of 3 (ville-pays, message), Bruno 0 of 3 (his message waits: 0 until
    # graded), Chloé 1 of 2; 4.1: Alice 1, Bruno 0,5, Chloé 1, of 1 each.
    assert rates == {"1.1": (5, 3, 5), "2.1": (5, 4, 8), "4.1": (3, 2.5, 3)}
    assert [c.share for c in board.competences] == [3 / 5, 4 / 8, 2.5 / 3]
    assert [p.pseudonym for p in board.profiles] == ["quimper-cccc", "brest-aaaa", "brest-bbbb"]
    assert not any(hasattr(p, "name") for p in board.profiles)  # pseudonyms only


def test_period_keeps_what_happened_in_it(fixed_records, essai_modules):
    board = dashboard(fixed_records, essai_modules, Filters(since=date(2026, 11, 25)))
    assert (board.total.workshops, board.total.sent) == (1, 1)
    assert [line.label for line in board.by_site] == ["France Services Quimper"]


def test_chart_is_named_by_its_caption_and_its_text_is_inert():
    svg = str(bar_chart("legende", [Bar("<script>alert(1)</script>", 0.5, "50 %"),
                                    Bar("Vide", None, "—")], maximum=1))  # fmt: skip
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert 'aria-labelledby="legende"' in svg and "<script>" not in svg
    assert "&lt;script&gt;" in svg and "style=" not in svg  # the spaces' CSP allows no style
    assert svg.count("<rect") == 3  # two tracks, one bar (nothing drawn for no value)


def test_period_shortcuts_keep_the_other_filters():
    from course.coordinator.space.common import periods

    links = dict(periods(date(2026, 1, 15), {"site": "Brest", "du": "2025-01-01"}))
    assert links["Ce mois-ci"] == "?du=2026-01-01&au=2026-01-15&site=Brest"
    assert links["Le mois dernier"] == "?du=2025-12-01&au=2025-12-31&site=Brest"
    assert links["Cette année"] == "?du=2026-01-01&au=2026-01-15&site=Brest"
    assert links["Toutes les dates"] == "?site=Brest"
