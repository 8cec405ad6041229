"""Two questions WeasyPrint's layout asks of a box hundreds to thousands of times a
page, answered as WeasyPrint 70 answers them, in fewer steps.

- **Its used margins, paddings and sizes** (``layout.percent.resolve_percentages``):
  fourteen lengths, each through two nested calls (``resolve_one_percentage``, then
  ``percentage``) that end, for nearly every one, in a length in pixels or a
  percentage. Here each length takes one call, which works those two cases out with
  the same arithmetic and gives anything else (``auto``, ``calc()``) to WeasyPrint's
  own ``percentage``.
- **Whether it is in the normal flow** (``Box.is_in_normal_flow``): five method calls,
  one style lookup each. Here the same tests take one method call and two lookups (the
  float test is still the box's own method: a flex item's is replaced with one that
  says no).

Neither keeps anything between calls. Together, 3.1 % of a handout's typesetting
(benchmarks/instructions.py: 416.7 to 403.8 million instructions a handout); the pages
are the same, byte for byte. tests/test_weasyprint_contract.py checks each answer
against WeasyPrint's own while the shipped layouts are typeset, and fails loudly when
the functions replaced here are no longer the ones this module was written for
(pyproject.toml pins 70.x).

(A box's page names, ``ParentBox.page_values``, asked between every two siblings, were
kept too once, for a further 1.2 % fewer instructions. They were taken out: layout
changes some boxes' children as it lays them out (a ``::first-letter`` box put into a
line), so a name kept for an ancestor could be wrong when a page is laid out again.)
"""

from __future__ import annotations

from math import inf

from weasyprint.css.functions import check_math
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes
from weasyprint.layout import (
    absolute,
    block,
    column,
    grid,
    inline,
    page,
    percent,
    table,
)
from weasyprint.layout import float as floats

# WeasyPrint's own, kept for the contract tests.
ORIGINAL_RESOLVE_PERCENTAGES = percent.resolve_percentages
ORIGINAL_IN_NORMAL_FLOW = boxes.Box.is_in_normal_flow
# Where it is defined, for the modules that call it there (flex), and the modules that
# import it by name, each given this one.
_CALLERS = (percent, absolute, block, column, floats, grid, inline, page, table)
_BORDER_WIDTHS = tuple(f"border_{side}_width" for side in ("top", "right", "bottom", "left"))


def _used(value, style, refer_to):
    """WeasyPrint's ``percentage``: a length in pixels or a percentage of
    ``refer_to`` worked out here, anything else by WeasyPrint."""
    if type(value) is Dimension:
        return refer_to * value.value / 100 if value.unit == "%" else value.value
    return percent.percentage(value, style, refer_to)


def resolve_percentages(box, containing_block) -> None:
    """``weasyprint.layout.percent.resolve_percentages``: the box's used margins,
    paddings, sizes and border widths, set on it."""
    if isinstance(containing_block, boxes.Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    # A page's vertical margins and paddings are of its height, any other box's of
    # its containing block's width.
    vertical = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, vertical)
    box.margin_bottom = _used(style["margin_bottom"], style, vertical)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, vertical)
    box.padding_bottom = _used(style["padding_bottom"], style, vertical)
    box.width = _used(style["width"], style, cb_width)
    min_width = _used(style["min_width"], style, cb_width)
    box.min_width = 0 if min_width == "auto" else min_width
    box.max_width = _used(style["max_width"], style, cb_width)
    if cb_height == "auto":
        # The containing block's height depends on its content: a percentage height
        # is auto, and so is a calc() one.
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        min_height = _used(style["min_height"], style, 0)
        box.max_height = _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        min_height = _used(style["min_height"], style, cb_height)
        box.max_height = _used(style["max_height"], style, cb_height)
    box.min_height = 0 if min_height == "auto" else min_height
    # A collapsed border's width is the one border conflict resolution set already.
    collapse = style["border_collapse"] == "collapse"
    for name in _BORDER_WIDTHS:
        if not (collapse and hasattr(box, name)):
            setattr(box, name, style[name])
    percent.adjust_box_sizing(box, "width")
    percent.adjust_box_sizing(box, "height")


def is_in_normal_flow(self) -> bool:
    """``Box.is_in_normal_flow``: not floated, absolutely placed, running, a
    footnote or a note."""
    if self.is_floated():
        return False
    style = self.style
    position = style["position"]
    if position == "absolute" or position == "fixed":
        return False
    # running(name) and note() are kept as a (function, argument) pair.
    kind = position[0]
    return kind != "running()" and kind != "note()" and style["float"] != "footnote"


def install() -> None:
    for module in _CALLERS:
        module.resolve_percentages = resolve_percentages
    boxes.Box.is_in_normal_flow = is_in_normal_flow


install()
