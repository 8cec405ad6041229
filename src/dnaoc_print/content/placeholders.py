"""Placeholders: words in content that are there to be replaced, never printed.

A placeholder is written in double round brackets, ``((Your name here))``, in any
file under ``content/``: the scaffolds of ``new guide`` and ``new handout`` and the
example handout specs use them for what a person has to write. Double round
brackets need no quoting in YAML (square or curly ones would start a list or a
mapping) and mean nothing to Markdown, so a file holding them still loads.
A placeholder is never printed: ``build`` fails, alone, each output that would print
one (the error names its file and line), unless ``--allow-placeholders`` asks for a
proof with the brackets showing. ``check`` names every one left.

The files are read as text, line by line, so every line is exact. Lines that are
only a YAML comment (in a YAML file, or in a guide's front matter) are skipped:
comments are never printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from dnaoc_print.errors import ContentError, shown_path

MARKER = re.compile(r"\(\((?P<text>[^()\n]+)\)\)")
SUFFIXES = (".md", ".yaml", ".yml")
HINT = (
    "write your own words in its place, without the brackets (what would print it is "
    "not built; --allow-placeholders prints it as it is, for a proof)"
)


def find_placeholders(root: Path) -> list[ContentError]:
    """Every placeholder left in ``root/content``, as warnings naming file and line."""
    content = root / "content"
    found = []
    for path in sorted(p for p in content.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # loading the project reports an unreadable file
        shown = shown_path(path, root)
        for number, line in _printed_lines(text, yaml=path.suffix != ".md"):
            for marker in MARKER.finditer(line):
                message = f"placeholder '{marker[0]}' is still there"
                found.append(ContentError(message, path=shown, line=number, hint=HINT))
    return found


def _printed_lines(text: str, yaml: bool) -> list[tuple[int, str]]:
    """Numbered lines that can reach a page: all but YAML comment lines."""
    lines = text.splitlines()
    # A guide's front matter is YAML: from the first '---' line to the next.
    front_end = 0
    if not yaml and lines and lines[0].strip() == "---":
        front_end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    return [
        (number, line)
        for number, line in enumerate(lines, 1)
        if not ((yaml or number <= front_end) and line.lstrip().startswith("#"))
    ]
