"""Placeholders in what one handout would print, each blamed where it was written.

A handout's settings are layered (its spec, a CSV row, the flags), so a placeholder
the spec holds may be written over by a cell, and one may come in through a cell or a
flag. This reads the settings as they stand for one handout and names each
placeholder left in them where the user wrote it: the spec's file and line, the CSV
file, line and column, or the flag. ``make_handouts`` fails the handout with these,
unless asked to print them (``--allow-placeholders``, for a proof of a template).
A guide's placeholders are found in its file (placeholders.py): a guide prints all
of it.
"""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.placeholders import MARKER
from dnaoc_print.content.yaml_source import LineDict, LineList
from dnaoc_print.errors import ContentError

HINT = (
    "write your own words in its place, without the brackets, or leave the detail out "
    "(in a CSV file, an empty cell leaves it out); --allow-placeholders prints it as it "
    "is, for a proof"
)


def placeholders_in(data: LineDict, path: Path, prefix: str = "") -> list[ContentError]:
    """Every placeholder in ``data`` (read from ``path``), as an error naming where it
    was written; nested settings (``session``) and lists (``questions``) included."""
    errors: list[ContentError] = []
    fields = Fields(data, path, errors, prefix)
    for key, value in data.items():
        if isinstance(value, LineDict):
            errors += placeholders_in(value, data.source_of(key) or path, f"{prefix}{key}.")
            continue
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            marker = MARKER.search(item) if isinstance(item, str) else None
            if marker is None:
                continue
            line = value.line_of(index) if isinstance(value, LineList) else None
            message = f"placeholder '{marker[0]}' would be printed in '{fields.name(key)}'"
            fields.fail(key, message, HINT, line=line)
    return errors
