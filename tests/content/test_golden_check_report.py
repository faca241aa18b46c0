"""`course check`'s French report, golden, on the essai module (quick rules, no kernels)."""

from __future__ import annotations

from golden import check_golden

from course.content.check import render, run_check


def test_check_report_matches_its_golden_file(essai_project):
    report = run_check(essai_project, grading=False, apps=False)
    # The small module breaks the minimum counts on purpose: the report must say so.
    assert not report.ok
    check_golden("check-report-essai.txt", "\n".join(render(report, figures=True)) + "\n")
