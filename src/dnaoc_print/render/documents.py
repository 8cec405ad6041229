"""What templating hands to typesetting: whole HTML documents, and handout sheets
to be gathered into one.

Plain data and string assembly only, so a worker process that typesets imports
this and never Jinja, Markdown or segno.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dnaoc_print.content.addresses import AddressProblem

# Where a handout document's sheets go (a comment, so it is never printed).
SHEETS_MARKER = "<!-- sheets -->"
# A start tag whose style attribute sets custom properties only, e.g. a story card's
# `style="--qr-modules: 33"`; the class attribute, if any, comes before it.
_CUSTOM_STYLE = re.compile(
    r'<(?P<tag>[a-z][a-z0-9]*)(?P<before>(?: (?!style=)[a-z-]+="[^"]*")*?)'
    r' style="(?P<style>\s*--[a-z0-9-]+\s*:[^";<>]*(?:;\s*--[a-z0-9-]+\s*:[^";<>]*)*;?\s*)"'
)


@dataclass(frozen=True)
class RenderedDocument:
    """A whole HTML document, ready to typeset, with its PDF metadata."""

    html: str
    title: str
    base_url: Path
    # Documents with the same fonts (the same brand) can share loaded fonts.
    fonts_key: str = ""
    # Another PDF variant than typesetting's standard tagged one, e.g. an archive
    # copy's PDF/A (issue 17, see print_outputs.py); "" for the standard.
    pdf_variant: str = ""
    # Images and links in its Markdown not printed as written (see markup.py): a
    # missing image fails the document, the others are warnings.
    address_problems: tuple[AddressProblem, ...] = ()


@dataclass(frozen=True)
class HandoutSheet:
    """One handout ready to typeset: its sheet (a page of HTML) at each fit step,
    largest first, and the document it is typeset in.

    Handouts whose documents are the same (same brand, paper and orientation) can be
    typeset together, many sheets in one document, and their pages split afterwards;
    the title and description become that handout's PDF metadata.
    """

    title: str
    description: str
    fits: tuple[str, ...]
    document: RenderedDocument
    # Images and links in its Markdown not printed as written (see RenderedDocument).
    address_problems: tuple[AddressProblem, ...] = ()


def with_sheets(document_html: str, sheets: list[str], fills: list[str] | None = None) -> str:
    """A handout document holding these sheets, in order, each on a page of its own.

    Each sheet starts with an empty element whose id (``sheet-1``, ``sheet-2``...)
    tells the typesetter which pages each handout took. The id sits on that empty
    element rather than on the sheet's wrapper, so every element of one sheet has
    the same style as the same element of another, and WeasyPrint works each style
    out once a batch rather than once a handout (so too for custom properties set in
    a style attribute: see ``_custom_styles_as_classes``).

    ``fills`` holds, for each sheet, CSS declarations (from fitting.py) that give
    that sheet's spare height to room to write, or "".
    """
    fills = fills or [""] * len(sheets)
    rules = "".join(
        f"#{sheet_id(number)} ~ * {{ {fill} }}" for number, fill in enumerate(fills, 1) if fill
    )
    wrapped = "".join(
        f'<div class="handout-sheet"><div id="{sheet_id(number)}"></div>{sheet}</div>'
        for number, sheet in enumerate(sheets, 1)
    )
    wrapped, classes = _custom_styles_as_classes(wrapped)
    rules = "".join(f".{name} {{ {style} }}" for name, style in classes.items()) + rules
    html = document_html.replace(SHEETS_MARKER, wrapped, 1)
    return html.replace("</head>", f"<style>{rules}</style></head>", 1) if rules else html


def sheet_id(number: int) -> str:
    return f"sheet-{number}"


def _custom_styles_as_classes(html: str) -> tuple[str, dict[str, str]]:
    """Each style attribute that only sets custom properties, made a class.

    WeasyPrint shares one computed style among elements alike, but never with an
    element that has a style attribute (nor with anything inside it): the story
    cards of a batch (``--qr-modules``) would each be worked out anew. As a class
    whose rule is ``!important`` (which, like a style attribute, no ordinary rule
    overrides), every card with the same value shares one style.
    """
    classes: dict[str, str] = {}

    def as_class(match: re.Match) -> str:
        declarations = [d.strip() for d in match["style"].split(";") if d.strip()]
        style = "; ".join(f"{declaration} !important" for declaration in declarations)
        name = "custom-" + hashlib.sha256(style.encode()).hexdigest()[:10]
        classes[name] = style
        before = match["before"]
        if ' class="' in before:
            before = before.replace(' class="', f' class="{name} ', 1)
        else:
            before += f' class="{name}"'
        return f"<{match['tag']}{before}"

    return _CUSTOM_STYLE.sub(as_class, html), classes
