"""One way to write times, days and points for every page, in Paris time whatever the server's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from course.core.french import (
    clock,
    count,
    day,
    day_and_clock,
    duration,
    local,
    markdown_html,
    number,
    points,
    points_text,
)


def test_times_have_no_leading_zero_on_the_hour_and_are_in_paris_time():
    winter = datetime(2026, 12, 7, 8, 5, tzinfo=UTC)  # UTC+1 in December
    summer = datetime(2026, 6, 1, 7, 40, tzinfo=UTC)  # UTC+2 in June
    assert clock(winter) == "9 h 05"
    assert clock(summer) == "9 h 40"
    assert clock(datetime(2026, 12, 7, 13, 30, tzinfo=timezone(timedelta(hours=5)))) == "9 h 30"
    assert clock(time(14, 0)) == "14 h 00"  # a workshop's start: a wall-clock time, as typed


def test_a_naive_datetime_is_taken_as_utc():
    assert local(datetime(2026, 12, 7, 23, 30)).date() == date(2026, 12, 8)
    assert day_and_clock(datetime(2026, 12, 7, 23, 30)) == "mardi 8 décembre 2026 à 0 h 30"


def test_days_read_as_french_whatever_the_locale():
    assert day(date(2026, 12, 7)) == "lundi 7 décembre 2026"
    assert day(date(2026, 6, 1)) == "lundi 1er juin 2026"
    assert day(date(2026, 8, 15)) == "samedi 15 août 2026"
    assert day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "vendredi 1er janvier 2027"


def test_durations_and_points():
    assert [duration(m) for m in (1, 45, 60, 90, 120, 125)] == [
        "1 minute", "45 minutes", "1 heure", "1 h 30", "2 heures", "2 h 05",
    ]  # fmt: skip
    assert [points_text(v) for v in (None, 7.0, 7.5, 0.25)] == ["", "7", "7,5", "0,25"]
    assert [points(v) for v in (0, 1, 1.5, 2, 2.5)] == [
        "0 point", "1 point", "1,5 point", "2 points", "2,5 points",
    ]  # fmt: skip


def test_a_count_takes_the_singular_below_two_and_never_writes_s_in_brackets():
    said = [count(n, "évaluation ramassée", "évaluations ramassées") for n in (0, 1, 2, 3)]
    assert said == [
        "0 évaluation ramassée", "1 évaluation ramassée",
        "2 évaluations ramassées", "3 évaluations ramassées",
    ]  # fmt: skip
    assert count(1.5, "heure", "heures") == "1,5 heure"
    assert count(1000, "apprenant", "apprenants") == "1\u202f000 apprenants"
    assert count(-2, "point", "points") == "-2 points"
    nothing = "aucune évaluation ramassée"
    assert count(0, "évaluation ramassée", "évaluations ramassées", zero=nothing) == nothing
    assert count(1, "évaluation", "évaluations", zero=nothing) == "1 évaluation"


def test_numbers_are_printed_the_french_way():
    assert [number(v) for v in (0, 7, 7.0, 7.5, 0.25, 1000, 12345.5, 1_000_000)] == [
        "0", "7", "7", "7,5", "0,25", "1\u202f000", "12\u202f345,5", "1\u202f000\u202f000",
    ]  # fmt: skip


def test_markdown_escapes_raw_html_and_draws_tables_only_when_asked():
    assert markdown_html("**Gras** <script>x</script>") == (
        "<p><strong>Gras</strong> &lt;script&gt;x&lt;/script&gt;</p>\n"
    )
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert "<table>" in markdown_html(table, tables=True)
    assert "<table>" not in markdown_html(table)


def test_the_project_zone_is_one_setting_and_the_machine_clock_is_never_read(tmp_path):
    """`c.CourseSettings.timezone` (Paris by default) decides every time written; a child
    process on a machine set to UTC (`TZ=UTC`) still writes Paris time, and an unknown zone is
    refused in French when the project is read."""
    import os
    import subprocess
    import sys
    from zoneinfo import ZoneInfo

    import pytest

    from course.core import french
    from course.core.errors import UserError
    from course.settings import Project

    script = (
        "from datetime import UTC, datetime\n"
        "from course.core import french\n"
        "print(french.clock(datetime(2026, 12, 7, 8, 5, tzinfo=UTC)), french.today(), sep='|')"
    )
    env = {**os.environ, "TZ": "UTC"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    shown, today = out.split("|")
    assert shown == "9 h 05"
    assert today in {str(datetime.now(ZoneInfo("Europe/Paris")).date() + timedelta(days=d))
                     for d in (-1, 0)}  # fmt: skip
    (tmp_path / "modules").mkdir()
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseSettings.timezone = 'America/Cayenne'\n"
    )
    try:
        Project(tmp_path)
        assert clock(datetime(2026, 12, 7, 8, 5, tzinfo=UTC)) == "5 h 05"  # UTC-3
        (tmp_path / "nbgrader_config.py").write_text(
            "c = get_config()\nc.CourseSettings.timezone = 'Lune/Cratère'\n"
        )
        with pytest.raises(UserError, match="fuseau horaire « Lune/Cratère » est inconnu"):
            Project(tmp_path)
    finally:
        french.use_zone("Europe/Paris")
    assert clock(datetime(2026, 12, 7, 8, 5, tzinfo=UTC)) == "9 h 05"
