"""Dates as UK people write them in a spreadsheet or on the command line:
``01/12/2026``, ``1 Dec 2026``, ``Tuesday 1st December 2026`` or ISO ``2026-12-01``.

Read day first, as in the UK; a month-first date (``12/25/2026``) is named as one, and
a date that could be read either way is refused rather than guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

from dnaoc_print.errors import ContentError

# The column of dates.
DATE_FIELD = "session.date"

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DAY_MONTH = re.compile(
    rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{{2}}|\d{{4}})$"
)
_MONTH_DAY = re.compile(rf"^{_WEEKDAY}([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")


def parse_date(text: str, month_first: str | None = None) -> tuple[str, tuple[str, str] | None]:
    """``(YYYY-MM-DD, None)`` for a date as UK people write it, or ``(text, (problem,
    hint))``. ``month_first`` is a month/day date seen elsewhere in the same column,
    which makes a day/month date that could be either ambiguous."""
    value = " ".join(text.strip().lower().split())
    example = "write it as 01/12/2026, 1 Dec 2026 or 2026-12-01"
    day = month = year = None
    if match := _ISO.match(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := NUMERIC_DATE.match(value):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if month > 12 and day <= 12:
            return text, (
                f"'{text}' is not a date: dates are read day first, as in the UK "
                f"({match[2]}/{match[1]}/{match[3]} for month {day})",
                "write it day first, as 01/12/2026, or as 1 Dec 2026 or 2026-12-01",
            )
        if month_first and day <= 12 and day != month:
            name_a, name_b = calendar.month_name[month], calendar.month_name[day]
            return text, (
                f"'{text}' is ambiguous: this column also holds a month-first date "
                f"('{month_first}'), so it could be {day} {name_a} or {month} {name_b}",
                "write every date in the column as year-month-day (2026-12-01) or with "
                "the month's name (1 Dec 2026)",
            )
    elif match := _DAY_MONTH.match(value):
        day, month, year = int(match[1]), _MONTHS.get(match[2]), int(match[3])
    elif match := _MONTH_DAY.match(value):
        month, day, year = _MONTHS.get(match[1]), int(match[2]), int(match[3])
    if month is None or year is None:
        return text, (f"'{text}' is not a date", example)
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day).isoformat(), None
    except ValueError:
        return text, (f"'{text}' is not a date: there is no such day", example)


def dates_to_iso(rows: list, shown: Path) -> None:
    """A sheet's dates (its rows' ``session.date`` cells) to ISO, in place; a
    month-first date anywhere in the column makes every day/month date that could be
    either ambiguous."""
    month_first = next(
        (
            row.cells[DATE_FIELD]
            for row in rows
            if (match := NUMERIC_DATE.match(row.cells.get(DATE_FIELD, "")))
            and int(match[1]) <= 12 < int(match[2])
        ),
        None,
    )
    for row in rows:
        text = row.cells.get(DATE_FIELD)
        if not text:
            continue
        iso, problem = parse_date(text, month_first)
        if problem:
            row.problems.append(
                ContentError(
                    problem[0],
                    path=shown,
                    line=row.line,
                    column=row.columns[DATE_FIELD],
                    hint=problem[1],
                )
            )
            row.cells[DATE_FIELD] = ""  # already reported; the row will not be built
        else:
            row.cells[DATE_FIELD] = iso
