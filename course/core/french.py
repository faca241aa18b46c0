"""French as our users read it: module text in HTML, points, days and times.

One function per format, so a page never writes « 09 h 05 » where another writes « 9 h 05 »:
times are « 9 h 05 » (no leading zero on the hour), days « lundi 7 décembre 2026 » (« 1er » on
the first), whatever the system's locale, and always in the project's time zone (Paris unless
`c.CourseSettings.timezone` says otherwise; `Project` calls `use_zone`), never the machine's
clock: a server left on UTC still tells a learner in Brest « 9 h 05 ». An aware datetime is
converted; a naive one is taken as UTC, the way our stamps are written (`datetime.now(UTC)`). A workshop's day and start (`date`, `time`) are wall-clock values typed
by the trainer and are written as they are.

Light on purpose (learner kernels import it): the standard library, and mistune on first use.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import mistune

PARIS = ZoneInfo("Europe/Paris")
_zone: list[tzinfo] = [PARIS]  # the project's zone (`use_zone`); a list, so no `global`
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip


@cache
def _markdown(tables: bool) -> mistune.Markdown:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"] if tables else [])


def markdown_html(text: str, *, tables: bool = False) -> str:
    """Authored Markdown (module text, a trainer's guide) to HTML; raw HTML in it is escaped."""
    return str(_markdown(tables)(text))


def points_text(value: float | None) -> str:
    """A French number of points: « 7,5 », not « 7.5 » ("" when unknown)."""
    return "" if value is None else f"{value:g}".replace(".", ",")


def percent(share: float | None) -> str:
    """« 37 % » (a share between 0 and 1, rounded to the unit); « — » when there is none, or
    when it is not a number (never « nan % », whatever came in)."""
    return "—" if share is None or not math.isfinite(share) else f"{round(share * 100)} %"


def number(value: float) -> str:
    """« 7 », « 7,5 », « 5 000 »: a decimal comma, and a narrow no-break space between
    thousands, as French prints them (never « 5,000 » nor « 5000.0 »)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.10g}".replace(",", "\u202f").replace(".", ",")


def count(n: float, one: str, many: str, *, zero: str | None = None) -> str:
    """« 1 évaluation ramassée », « 3 évaluations ramassées »: a number and its words.

    In French the plural starts at two (« 0 point », « 1,5 point », « 2 points »), so every
    count a person reads goes through here instead of « 3 évaluation(s) ramassée(s) ».
    `zero` replaces the whole text when nothing is counted and that reads better
    (« aucune évaluation ramassée »).
    """
    if n == 0 and zero is not None:
        return zero
    return f"{number(n)} {one if abs(n) < 2 else many}"


def points(value: float) -> str:
    """« 0 point », « 1,5 point », « 2 points »: in French the plural starts at two."""
    return count(value, "point", "points")


def use_zone(name: str) -> tzinfo:
    """Make `name` (« Europe/Paris », « America/Cayenne ») the zone of every time written here;
    an unknown name is refused in French (a `ValueError`, the caller's setting is wrong)."""
    from zoneinfo import ZoneInfoNotFoundError

    try:
        _zone[0] = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"Le fuseau horaire « {name} » est inconnu : écrivez par exemple « Europe/Paris »."
        ) from None
    return _zone[0]


def zone() -> tzinfo:
    """The project's time zone (Paris by default)."""
    return _zone[0]


def now() -> datetime:
    """This moment in the project's time zone (for a stamp a person reads)."""
    return datetime.now(_zone[0])


def today() -> date:
    """Today's date in the project's time zone, not the machine's (they differ at night)."""
    return now().date()


def local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """`moment` in the project's zone (or `zone`); a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone or _zone[0])


def clock(moment: datetime | time, zone: tzinfo | None = None) -> str:
    """« 9 h 05 », « 14 h 30 »: a datetime in the project's zone, a `time` as it is."""
    if isinstance(moment, datetime):
        moment = local(moment, zone).time()
    return f"{moment.hour} h {moment.minute:02d}"


def day(moment: date, zone: tzinfo | None = None) -> str:
    """« lundi 7 décembre 2026 », « lundi 1er juin 2026 »: a datetime's day in the project's zone."""
    if isinstance(moment, datetime):
        moment = local(moment, zone).date()
    number_of_day = "1er" if moment.day == 1 else str(moment.day)
    return f"{WEEKDAYS[moment.weekday()]} {number_of_day} {MONTHS[moment.month - 1]} {moment.year}"


def day_and_clock(moment: datetime, zone: tzinfo | None = None) -> str:
    """« lundi 7 décembre 2026 à 9 h 05 » in the project's zone."""
    return f"{day(moment, zone)} à {clock(moment, zone)}"


def duration(minutes: int) -> str:
    """« 45 minutes », « 1 heure », « 2 heures », « 1 h 30 »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return count(rest, "minute", "minutes")
    if not rest:
        return count(hours, "heure", "heures")
    return f"{hours} h {rest:02d}"
