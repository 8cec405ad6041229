"""Flags and CSV cells laid over a handout spec, before it is read.

A value typed on the command line or in a CSV cell replaces the spec's, and is
remembered as coming from there (the flag, the column), so ``HandoutReader``
(specs.py) blames a bad one on the place it was typed. A list typed in one
cell or flag is split into its items first.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dnaoc_print.content.specs import QUESTION_REFERENCE
from dnaoc_print.content.yaml_source import LineDict, LineList

LIST_FIELDS = ("stories", "questions")
# A list in one CSV cell or flag: items separated by semicolons (see split_list).
LIST_SEPARATOR = ";"


def split_list(key: str, values: str | list[str] | tuple[str, ...]) -> list[str]:
    """Items of a list field typed in one cell or flag.

    Stories are separated by ``;`` or ``,`` (an id holds neither). Questions are
    separated by ``;``; a comma separates them only between references such as
    ``compassion:1,compassion:3``, since a question written out may hold commas.
    """
    items = []
    for value in [values] if isinstance(values, str) else values:
        for part in str(value).split(LIST_SEPARATOR):
            pieces = [piece.strip() for piece in part.split(",")]
            if key == "stories" or all(QUESTION_REFERENCE.match(piece) for piece in pieces):
                items += pieces
            else:
                items.append(part.strip())
    return [item for item in items if item]


def apply_overrides(
    data: LineDict,
    overrides: Mapping[str, Any],
    source: Path,
    line: int | None,
    labels: Mapping[str, str] | None = None,
) -> LineDict:
    """A copy of ``data`` with ``overrides`` applied, each remembered as from ``source``
    and, if ``labels`` names it, as the user called it (a flag, a CSV column).

    Keys may be dotted for nested fields (``session.venue``). Text for a list field
    (``stories``, ``questions``) is split (see ``split_list``). ``None`` leaves a field
    alone; ``""`` leaves it out, whatever ``data`` says.
    """
    merged = _copy(data)
    for dotted, value in overrides.items():
        if value is None:
            continue
        *parents, key = dotted.split(".")
        target = merged
        for parent in parents:
            child = target.get(parent)
            if not isinstance(child, LineDict):
                if value == "":
                    break
                child = LineDict.empty(line)
                target.put(parent, child, line, source)
            target = child
        else:
            if value == "":
                target.remove(key)
                continue
            if key in LIST_FIELDS and isinstance(value, str | list | tuple):
                value = split_list(key, value)
            if isinstance(value, list | tuple):
                value = LineList.of(list(value), line)
            target.put(key, value, line, source, (labels or {}).get(dotted))
    return merged


def _copy(data: LineDict) -> LineDict:
    copy = LineDict.empty(data.line)
    for key, value in data.items():
        copy.put(
            key,
            _copy(value) if isinstance(value, LineDict) else value,
            data.line_of(key),
            data.source_of(key),
            data.label_of(key),
        )
    return copy
