"""Sections: a section (Sect) holds its heading and everything up to the next heading
of its level, whatever the pages. One that holds a second heading of its own level is
split there, and the lower headings in it open sections nested in it."""

from __future__ import annotations

from dnaoc_print.pdf.drawn import Drawn, element, is_element, set_kids

_HEADINGS = {f"/H{level}": level for level in range(1, 7)}


def _heading_level(kid) -> int | None:
    return _HEADINGS.get(kid["S"]) if is_element(kid) else None


def sectioned(drawn: Drawn, parent) -> None:
    """Sections by headings, below ``parent`` (see the module's docstring)."""
    kids = drawn.kids(parent)
    reshaped: list = []
    # Each element among the kids and whether it is a section (its type read once).
    elements: list = []
    for kid in kids:
        if not is_element(kid):
            reshaped.append(kid)
        elif kid["S"] == "/Sect":
            parts = _split_section(drawn, parent, kid)
            reshaped.extend(parts)
            elements.extend((part, True) for part in parts)
        else:
            reshaped.append(kid)
            elements.append((kid, False))
    if len(reshaped) != len(kids):
        set_kids(parent, reshaped)
    for kid, is_section in elements:
        if is_section:
            _nest_lower_headings(drawn, kid)
        sectioned(drawn, kid)


def _split_section(drawn: Drawn, parent, section) -> list:
    """The section, split before each later heading of its own level or higher."""
    kids = drawn.kids(section)
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
    set_kids(section, parts[0])
    made = [section]
    for part in parts[1:]:
        made.append(_new_section(drawn, parent, part))
    return made


def _nest_lower_headings(drawn: Drawn, section) -> None:
    """Each lower heading among the section's children opens a section nested in
    it, up to the next heading of that level or higher, or a section of its own."""
    kids = drawn.kids(section)
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
        elif current is not None and not _opens_section(drawn, kid, next_level):
            current.append(kid)
        else:
            current = None
            reshaped.append(kid)
    set_kids(
        section,
        [
            _new_section(drawn, section, part) if isinstance(part, list) else part
            for part in reshaped
        ],
    )


def _opens_section(drawn: Drawn, kid, level: int) -> bool:
    """A section of its own, at ``level`` or higher (the references after a theme's
    last subsection): it ends the section before it."""
    if not is_element(kid) or kid["S"] != "/Sect":
        return False
    first = drawn.kids(kid)[:1]
    own = _heading_level(first[0]) if first else None
    return own is not None and own <= level


def _new_section(drawn: Drawn, parent, kids: list):
    """A new Sect under ``parent`` holding ``kids`` (which begin with a heading)."""
    section = drawn.add(element("/Sect", parent, kids, kids[0].get("Pg")))
    for kid in kids:
        if is_element(kid):
            kid["P"] = section.reference
    return section
