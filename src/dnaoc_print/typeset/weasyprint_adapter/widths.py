"""The shrink-to-fit width in one pass where one is enough.

A box whose width is ``auto`` and that does not fill its line (an inline-block, a
float, an absolutely positioned box) is as wide as its content, up to the room it
has. WeasyPrint 70's ``shrink_to_fit`` (``weasyprint.layout.preferred``) works that
out as min(max(min-content, room), max-content): two passes over the box's
content, one of them breaking its text at every opportunity. When the max-content
width fits the room, it is the answer whatever the min-content width is, so here the
min-content pass is made only when it does not. The widths are the same, so the
pages are the same, pixel for pixel.

``weasyprint.layout.inline``, ``.float`` and ``.absolute`` import the function by
name; each gets this one (a contract test checks that it is still theirs to
replace, and that the widths agree).
"""

from __future__ import annotations

from weasyprint.layout import absolute, inline, preferred
from weasyprint.layout import float as floats

_CALLERS = (inline, floats, absolute)


def shrink_to_fit(context, box, available_content_width):
    """WeasyPrint's shrink-to-fit width, with the min-content pass only when the
    max-content width is wider than the room."""
    widest = preferred.max_content_width(context, box, outer=False)
    if widest <= available_content_width:
        # min(max(narrowest, room), widest) is widest whenever widest <= room.
        return widest
    narrowest = preferred.min_content_width(context, box, outer=False)
    return min(max(narrowest, available_content_width), widest)


def install() -> None:
    for module in _CALLERS:
        module.shrink_to_fit = shrink_to_fit


install()
