"""The checks on a handout that blame the place the user wrote it.

How many stories and questions a layout holds, and a handout with no title: each
is reported where the user can fix it. A value from a spec file is blamed on its
line; one left out by a CSV row on the row and its cell; one the command line
lacks on the flag that would give it. ``HandoutReader`` (specs.py) calls
these while it reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from dnaoc_print.content.fields import Fields
from dnaoc_print.errors import ContentError

# Where flags' values come from: errors about them name the flag, not a file.
COMMAND_LINE = Path("command line")
# How many stories and questions each layout holds on one page.
STORY_LIMITS = {"cards": (1, 6), "single": (1, 1), "questions": (0, 6)}
QUESTION_LIMITS = {"cards": (0, 6), "single": (0, 6), "questions": (1, 8)}

# The one of each, for "takes exactly 1 story".
ONE_OF = {"stories": "story", "questions": "question"}


@dataclasses.dataclass(frozen=True)
class RowPlace:
    """The CSV row a handout comes from: a field it leaves out (an empty cell, or no
    column) is blamed on the row and its cell, never on a flag the user did not type."""

    path: Path
    line: int
    # Each field's column as the spreadsheet names it (``C (Stories)``).
    columns: Mapping[str, str]


def check_count(
    fields: Fields,
    key: str,
    count: int,
    limits: tuple[int, int],
    layout: str,
    row: RowPlace | None = None,
) -> None:
    low, high = limits
    if low <= count <= high:
        return
    wanted = f"exactly {low}" if low == high else f"{low} to {high}"
    noun = ONE_OF.get(key, key) if low == high == 1 else key
    message = f"the '{layout}' layout takes {wanted} {noun}, not {count}"
    missing = key not in fields.data
    if missing and row is not None and (key in row.columns or fields.path == COMMAND_LINE):
        # Left out by the row (an empty cell, and no spec to fill it): the row says where.
        row_fail(fields.errors, row, key, message, "choose another layout")
        return
    if missing and fields.path == COMMAND_LINE:
        flag = {"stories": "--story", "questions": "--question"}[key]
        fields.errors.append(
            ContentError(
                message,
                flag=flag,
                hint=f"add {flag} (or several: {flag} a,b), or choose another --layout",
            )
        )
        return
    fields.fail(
        key if key in fields.data else None,
        message,
        "choose another layout (cards, single, questions) or change the list",
    )


def no_title(errors: list[ContentError], fields: Fields, row: RowPlace | None = None) -> None:
    if row is not None and ("title" in row.columns or fields.path == COMMAND_LINE):
        row_fail(
            errors,
            row,
            "title",
            "the handout needs a title",
            "show one story to use its title",
        )
    elif fields.path == COMMAND_LINE:
        errors.append(
            ContentError(
                "the handout needs a title",
                flag="--title",
                hint='add --title "Your session", or show one story to use its title',
            )
        )
    else:
        fields.fail(None, "missing field 'title'", "add 'title: ...'")


def row_fail(
    errors: list[ContentError], row: RowPlace, key: str, message: str, otherwise: str
) -> None:
    """Record a field a CSV row leaves out: at its cell if it has a column, else the row."""
    column = row.columns.get(key)
    errors.append(
        ContentError(
            message,
            path=row.path,
            line=row.line,
            column=column,
            hint=f"{'fill in the cell' if column else f'add a {key!r} column'}, or {otherwise}",
        )
    )
