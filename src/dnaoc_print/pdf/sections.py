"""Sections: a section (Sect) holds its heading and everything up to the next heading
of its level, whatever the pages. One that holds a second heading of its own level is
split there, and the lower headings in it open sections nested in it."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from dnaoc_print.pdf.tree import is_element, kids_of

_SECT = Name.Sect  # made once: pikepdf makes a new Name each time it is asked
_HEADINGS = {Name(f"/H{level}"): level for level in range(1, 7)}


def _heading_level(element) -> int | None:
    return _HEADINGS.get(element.get("/S")) if is_element(element) else None


def sectioned(pdf: pikepdf.Pdf, element) -> None:
    """Sections by headings, below ``element`` (see the module's docstring)."""
    kids = kids_of(element)
    reshaped: list = []
    # Each element among the kids and whether it is a section (its type read once).
    elements: list = []
    for kid in kids:
        if not is_element(kid):
            reshaped.append(kid)
        elif kid.get("/S") == _SECT:
            parts = _split_section(pdf, element, kid)
            reshaped.extend(parts)
            elements.extend((part, True) for part in parts)
        else:
            reshaped.append(kid)
            elements.append((kid, False))
    if len(reshaped) != len(kids):
        element.K = Array(reshaped)
    for kid, is_section in elements:
        if is_section:
            _nest_lower_headings(pdf, kid)
        sectioned(pdf, kid)


def _split_section(pdf: pikepdf.Pdf, parent, section) -> list:
    """The section, split before each later heading of its own level or higher."""
    kids = kids_of(section)
    level = _heading_level(kids[0]) if kids else None
    if level is None:
        return [section]
    parts = [[kids[0]]]
    for kid in kids[1:]:
        own = _heading_level(kid)
        if own is not None and own <= level:
            parts.append([])
        parts[-1].append(kid)
    if len(parts) == 1:
        return [section]
    section.K = Array(parts[0])
    made = [section]
    for part in parts[1:]:
        made.append(_new_section(pdf, parent, part))
    return made


def _nest_lower_headings(pdf: pikepdf.Pdf, section) -> None:
    """Each lower heading among the section's children opens a section nested in
    it, up to the next heading of that level or higher, or a section of its own."""
    kids = kids_of(section)
    level = _heading_level(kids[0]) if kids else None
    if level is None:
        return
    lower = [_heading_level(kid) for kid in kids[1:]]
    levels = [own for own in lower if own is not None and own > level]
    if not levels:
        return
    next_level = min(levels)
    reshaped = [kids[0]]
    current: list | None = None
    for kid in kids[1:]:
        if _heading_level(kid) == next_level:
            current = [kid]
            reshaped.append(current)
        elif current is not None and not _opens_section(kid, next_level):
            current.append(kid)
        else:
            current = None
            reshaped.append(kid)
    section.K = Array(
        [_new_section(pdf, section, part) if isinstance(part, list) else part for part in reshaped]
    )


def _opens_section(kid, level: int) -> bool:
    """A section of its own, at ``level`` or higher (the references after a theme's
    last subsection): it ends the section before it."""
    if not is_element(kid) or kid.get("/S") != _SECT:
        return False
    first = kids_of(kid)[:1]
    own = _heading_level(first[0]) if first else None
    return own is not None and own <= level


def _new_section(pdf: pikepdf.Pdf, parent, kids: list):
    """A new Sect under ``parent`` holding ``kids`` (which begin with a heading)."""
    section = Dictionary(Type=Name.StructElem, S=Name.Sect, P=parent, K=Array(kids))
    page = kids[0].get("/Pg")
    if page is not None:
        section.Pg = page
    section = pdf.make_indirect(section)
    for kid in kids:
        if is_element(kid):
            kid.P = section
    return section
