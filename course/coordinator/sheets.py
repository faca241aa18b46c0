"""A table as people read it: a sheet name, typed columns with French titles, rows.

Every export (results, questions, competences, La Coop's activity report) is built as `Sheet`s,
and `course.coordinator.writers` turns them into CSV or XLSX. The column kind decides how a value
is written (a real date in XLSX, `dd/mm/yyyy` in CSV, a percentage, a decimal comma), so the
builders never format anything themselves, and every text goes through `safe_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Kind = Literal["text", "integer", "number", "percent", "date", "datetime"]
Value = str | int | float | date | datetime | None

# A spreadsheet reads a cell starting with one of these as a formula (or a command, through
# DDE); OWASP's list. Pix prefixes such text with `'`, and so do we, in CSV and XLSX alike.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def safe_text(value: object) -> str:
    """Text a spreadsheet shows as text: a leading `'` when it could start a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"
    width: int = 0  # XLSX column width in characters; 0: from the title


@dataclass
class Sheet:
    name: str  # the XLSX sheet's name; also the CSV file's suffix
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    # Lines above the table (La Coop's « Informations export » block): (label, value) pairs.
    intro: list[tuple[str, str]] = field(default_factory=list)
    slug: str = ""  # the CSV file's suffix (« questions » -> resultats-questions.csv)

    def add(self, row: list[Value]) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"{self.name}: {len(row)} values for {len(self.columns)} columns")
        self.rows.append(row)
