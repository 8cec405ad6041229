"""Spreadsheets as people save them: CSV files from Excel, LibreOffice or Numbers.

One row a handout; the first row names the fields. Read the way a spreadsheet user
expects, not the way a programmer writes CSV:

- headers in any case and spacing (``Title``, ``Session Venue``), with the short
  names people use (``date``, ``time``, ``venue``, ``facilitator``, ``contact`` for
  the ``session.`` fields);
- cells separated by ``,``, ``;`` (Excel in much of Europe) or tabs, whichever the
  header row uses (or Excel's ``sep=;`` first line);
- UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode Text"), and
  Windows-1252 (Excel's plain "CSV (Comma delimited)" on Windows in the UK);
- dates as UK spreadsheets show them (``01/12/2026``, ``1 Dec 2026``) as well as
  ISO ``2026-12-01``; a column that also holds month-first dates makes ``03/04/2026``
  ambiguous, and it is refused rather than guessed;
- an empty cell keeps the spec's value (see ``handout_batches``), but never prints
  a spec's placeholder.

A problem with the header is the whole file's (line 1, naming the column) and is
raised; a problem in one row is kept with that row, so the other rows still build.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.content.yaml_source import check_size
from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean

MAX_CSV_BYTES = 5_000_000
DELIMITERS = (",", ";", "\t")
# Short header names people use, after normalising (lower case, no spaces, "_" or "-").
ALIASES = {
    "date": "session.date",
    "time": "session.time",
    "venue": "session.venue",
    "facilitator": "session.facilitator",
    "contact": "session.contact",
    "story": "stories",
    "question": "questions",
}
DATE_FIELD = "session.date"
EXCEL_STEPS = (
    "in Excel choose File > Save As, pick 'CSV UTF-8 (Comma delimited) (*.csv)' as the "
    "file type and save; in LibreOffice tick 'Edit filter settings' when saving and "
    "choose 'Unicode (UTF-8)'"
)
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DAY_MONTH = re.compile(
    rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{{2}}|\d{{4}})$"
)
_MONTH_DAY = re.compile(rf"^{_WEEKDAY}([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")


@dataclass
class Row:
    """One row: each field's text (``""`` for an empty cell), the column it came from
    as the user sees it (``C (Venue)``), and any problems found in it."""

    line: int
    cells: dict[str, str]
    columns: dict[str, str]
    name: str = ""
    problems: list[ContentError] = field(default_factory=list)


@dataclass
class Sheet:
    rows: list[Row]
    encoding: str
    delimiter: str


def normalise(header: str) -> str:
    """A header as compared: lower case, without spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


def column_letter(index: int) -> str:
    """A, B, ... Z, AA, AB: the column as the spreadsheet names it (0-based index)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def decode(raw: bytes, shown: Path) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        pass
    if encoding == "utf-8":
        try:
            return raw.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            pass
    raise ContentError(
        "the file is not in a text encoding that can be read safely",
        path=shown,
        hint=f"save it as UTF-8: {EXCEL_STEPS}",
    )


def sniff_delimiter(header_line: str) -> str:
    """The separator the header row uses most, outside quotes (a comma if none)."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_sheet(
    path: Path, shown: Path, fields: Iterable[str], name_column: str | None = None
) -> Sheet:
    """Read a CSV file of handouts. ``fields`` are the field names a column may fill;
    ``name_column`` the column that names each PDF (``name`` if there is one).

    Raises ContentError for a file that cannot be read and ContentErrors listing
    every header problem; a problem in a row is kept in ``Row.problems``.
    """
    check_size(path, shown, MAX_CSV_BYTES, "a CSV of handouts is a small file")
    text, encoding = decode(path.read_bytes(), shown)
    lines = text.splitlines()
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ContentError(
            "the CSV file is empty",
            path=shown,
            line=1,
            hint="the first row names the fields, e.g. title,date,venue,stories",
        )
    skip = first
    if match := re.fullmatch(r'"?sep=(.)"?,*', lines[first].strip()):
        # Excel's own hint line: "sep=;" names the separator.
        delimiter, skip = match[1], first + 1
    else:
        delimiter = sniff_delimiter(lines[first])
    body = "".join(text.splitlines(keepends=True)[skip:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    header_line = skip + 1
    columns = _columns(header, header_line, shown, list(fields), name_column)
    rows = []
    previous = reader.line_num
    try:
        for cells in reader:
            line = skip + previous + 1
            previous = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_row(cells, line, columns, shown))
    except csv.Error as error:
        raise ContentError(
            f"the CSV file cannot be read: {error}",
            path=shown,
            line=skip + reader.line_num,
            hint="check the quotes on that line: a cell that holds a quote mark must be "
            "quoted, with the quote doubled",
        ) from None
    _dates(rows, shown)
    return Sheet(rows, encoding, delimiter)


@dataclass(frozen=True)
class _Column:
    index: int
    header: str
    field: str | None  # None for the column that names the PDFs

    @property
    def label(self) -> str:
        return f"{column_letter(self.index)} ({self.header})"


def _columns(
    header: list[str], line: int, shown: Path, fields: list[str], name_column: str | None
) -> list[_Column | None]:
    known = {_key(name): name for name in fields}
    known.update({alias: name for alias, name in ALIASES.items() if name in fields})
    # The names to suggest: the short ones for session fields.
    shown_names = ["name", *(name for name in fields if "." not in name)]
    shown_names[2:2] = [alias for alias, name in ALIASES.items() if name.startswith("session.")]
    wanted_name = _key(name_column) if name_column else "name"
    problems, columns, seen = [], [], {}
    for index, text in enumerate(header):
        cell = text.strip()
        if not cell:
            columns.append(None)  # an unnamed column: its cells must stay empty
            continue
        place = f"{column_letter(index)} ({cell})"
        if _key(cell) == wanted_name:
            columns.append(_Column(index, cell, None))
            continue
        field_name = known.get(_key(cell))
        if field_name is None:
            close = did_you_mean(_key(cell), [_key(name) for name in shown_names])
            suggestion = next(
                (name for name in shown_names if close and f"'{_key(name)}'" in close), None
            )
            problems.append(
                ContentError(
                    f"'{cell}' is not a handout field",
                    path=shown,
                    line=line,
                    column=place,
                    hint=f"did you mean '{suggestion}'?"
                    if suggestion
                    else f"columns may be: {', '.join(shown_names)}",
                )
            )
            columns.append(None)
            continue
        if field_name in seen:
            problems.append(
                ContentError(
                    f"columns {seen[field_name]} and {place} both fill '{field_name}'",
                    path=shown,
                    line=line,
                    column=place,
                    hint="delete or rename one of them",
                )
            )
        seen[field_name] = place
        columns.append(_Column(index, cell, field_name))
    if name_column and not any(column and column.field is None for column in columns):
        headers = [cell.strip() for cell in header if cell.strip()]
        problems.append(
            ContentError(
                f"there is no column '{name_column}' to name the handouts by",
                path=shown,
                line=line,
                hint=did_you_mean(name_column, headers) or f"columns: {', '.join(headers)}",
            )
        )
    if problems:
        raise ContentErrors(problems)
    return columns


def _key(header: str) -> str:
    """A header as compared: "Session Venue", "session.venue" and "SESSION_VENUE" match."""
    return normalise(header.replace(".", ""))


def _row(cells: list[str], line: int, columns: list[_Column | None], shown: Path) -> Row:
    row = Row(line, {}, {})
    # A row shorter than the header (cells left off its end) has those cells empty.
    cells = cells + [""] * (len(columns) - len(cells))
    for index, cell in enumerate(cells):
        value = cell.strip()
        column = columns[index] if index < len(columns) else None
        if column is None:
            if value:
                place = column_letter(index)
                row.problems.append(
                    ContentError(
                        f"cell {place}{line} holds '{value[:40]}' but its column has no name",
                        path=shown,
                        line=line,
                        column=place,
                        hint="give the column a header, or check for an unquoted "
                        "separator in this row",
                    )
                )
            continue
        if column.field is None:
            row.name = value
            continue
        row.cells[column.field] = value
        row.columns[column.field] = column.label
    return row


def _dates(rows: list[Row], shown: Path) -> None:
    """Dates to ISO, in place; a month-first date anywhere in the column makes every
    day/month date that could be either ambiguous."""
    month_first = next(
        (
            row.cells[DATE_FIELD]
            for row in rows
            if (match := _NUMERIC.match(row.cells.get(DATE_FIELD, "")))
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


def parse_date(text: str, month_first: str | None = None) -> tuple[str, tuple[str, str] | None]:
    """``(YYYY-MM-DD, None)`` for a date as UK people write it, or ``(text, (problem,
    hint))``. ``month_first`` is a month/day date seen elsewhere in the same column,
    which makes a day/month date that could be either ambiguous."""
    value = " ".join(text.strip().lower().split())
    example = "write it as 01/12/2026, 1 Dec 2026 or 2026-12-01"
    day = month = year = None
    if match := _ISO.match(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _NUMERIC.match(value):
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
