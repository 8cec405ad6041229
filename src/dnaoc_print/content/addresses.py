"""Image and link addresses in Markdown: which are printed, where image files are
found, and how a problem names its file and line.

Links keep only web, mail, phone and in-page addresses. An image is a ``data:``
image or a file inside the project, its path looked for beside the Markdown file
that holds it, then in the project folder (as MkDocs, Pandoc and GitHub do).
Anything else is not printed and is reported with the address as written: a
missing image fails its document, a refused address is a warning.

No Markdown parser here: the build reads image paths from this module to decide
what is up to date without converting any Markdown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:|#)", re.IGNORECASE)
DATA_IMAGE = re.compile(r"^data:image/", re.IGNORECASE)
# A scheme (https:, file:, javascript:) or a network path (//host/...).
HAS_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
IMAGE_HINT = (
    "save the image inside the project (beside the Markdown file, say) and write its "
    "path relative to that file, e.g. images/photo.png"
)


@dataclass(frozen=True)
class MarkdownSource:
    """Where a piece of Markdown comes from, to find its images and name its lines."""

    # As the user knows it, relative to the project root.
    path: Path
    root: Path
    # The whole file, and where the Markdown starts in it (after front matter).
    text: str = ""
    offset: int = 0

    @classmethod
    def of_file(cls, root: Path, shown: Path, markdown_text: str) -> MarkdownSource:
        text = (root / shown).read_text(encoding="utf-8")
        offset = len(text) - len(markdown_text) if text.endswith(markdown_text) else 0
        return cls(shown, root.resolve(), text, offset)

    def line_of(self, address: str, after: int) -> tuple[int | None, int]:
        """The line (of the whole file) where ``address`` is written, searching from
        ``after``; and where to search from for its next use."""
        found = self.text.find(address, max(after, self.offset)) if self.text else -1
        if found < 0:
            return None, after
        return self.text.count("\n", 0, found) + 1, found + len(address)


@dataclass(frozen=True)
class AddressProblem:
    """An image or link address that is not printed as written.

    ``fatal`` (a missing image) fails the document; the others are warnings, which
    fail it under ``--strict``.
    """

    path: Path | None
    line: int | None
    message: str
    hint: str
    fatal: bool = False

    def __str__(self) -> str:
        where = (
            f"{self.path}, line {self.line}: "
            if self.line
            else (f"{self.path}: " if self.path else "")
        )
        return f"{where}{self.message}\n  hint: {self.hint}"


def shared_path(name: str) -> Path:
    """Where a shared section's Markdown is, as the user knows it."""
    return Path("content/shared") / f"{name}.md"


def locate_image(src: str, shown: Path | None, root: Path | None) -> Path | tuple[str, str, bool]:
    """The file an image address names, or why it has none: (message, hint, fatal).

    ``shown`` is the Markdown file holding the address, relative to ``root``.
    """
    refused = f"image address '{src}' refused: its alternative text is printed instead"
    if not src or HAS_SCHEME.match(src) or src.startswith(("/", "\\")) or root is None:
        return refused, IMAGE_HINT, False
    relative = unquote(urlsplit(src).path)
    root = root.resolve()
    folders = [(root / shown).parent] if shown is not None else []
    for folder in [*folders, root]:
        # Symlinks are followed first, so none can lead out of the project.
        candidate = (folder / relative).resolve()
        if not candidate.is_relative_to(root):
            return f"image '{src}' is outside the project: not printed", IMAGE_HINT, False
        if candidate.is_file():
            return candidate
    beside = f"beside {shown} or " if shown is not None else ""
    return (
        f"image '{src}': no such file {beside}in the project folder",
        "check the file name, or copy the image there",
        True,
    )


# ![alt](address "title") and reference definitions [id]: address, as written.
_IMAGE_ADDRESS = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


def image_inputs(root: Path, sources: list[tuple[Path, str]]) -> dict[str, str]:
    """Hashes of the image files these Markdown texts ((file as shown, text)) use,
    by path: a changed or new image rebuilds the documents that show it."""
    inputs = {}
    for shown, text in sources:
        for src in _IMAGE_ADDRESS.findall(text) + _REFERENCE.findall(text):
            found = locate_image(src, shown, root)
            key = f"image:{shown.as_posix()}:{src}"
            if isinstance(found, Path):
                inputs[key] = hashlib.sha256(found.read_bytes()).hexdigest()
            elif found[2]:
                inputs[key] = "missing"
    return inputs
