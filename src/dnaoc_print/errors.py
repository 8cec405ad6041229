"""The one error model: every problem a user can fix names where it is and how to fix it.

Errors are plain exceptions so that every stage can raise them; the command line
(``cli.py`` and its ``cli_*.py`` modules) prints them without a traceback (unless
``--debug``) and turns them into exit status 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class DnaocError(Exception):
    """Base class of every error the user is meant to read and act on."""


class ContentError(DnaocError):
    """One problem in one input file.

    ``path`` is shown relative to the project root when it can be; ``line`` is
    1-based and counts lines of the whole file (front matter included). ``column``
    names a CSV column as the spreadsheet shows it (``C (Venue)``). A problem caused
    by a command-line flag has ``flag`` (``--title``) and no path: the user typed it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        column: str | None = None,
        flag: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.column = column
        self.flag = flag

    def where(self) -> str:
        if self.flag is not None:
            return f"option {self.flag}"
        if self.path is None:
            return ""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if where := self.where():
            text = f"{where}: {text}"
        if self.hint:
            text = f"{text}\n  hint: {self.hint}"
        return text


class ContentErrors(DnaocError):
    """Every content problem found in one pass, reported together."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        # Said in the terms of what caused them: options typed, or files.
        where = "in the options" if all(e.flag for e in self.errors) else "in the content"
        lines = [f"{count} {noun} {where}:"]
        lines.extend(f"- {error}" for error in self.errors)
        return "\n".join(lines)


class BuildError(DnaocError):
    """Typesetting or writing one output failed for a reason the user can fix."""


def shown_path(path: Path, root: Path) -> Path:
    """A path as the user knows it: relative to the project root when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve())
    except ValueError:
        return path


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known choice, or ``None`` when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"did you mean '{matches[0]}'?" if matches else None
