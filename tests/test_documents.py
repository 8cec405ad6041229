"""documents.with_sheets: how a batch document holds its handouts' sheets."""

from __future__ import annotations

import re

from dnaoc_print.render.documents import SHEETS_MARKER, with_sheets

DOCUMENT = f"<html><head><title>t</title></head><body>{SHEETS_MARKER}</body></html>"
SHEET = '<div class="handout"><ol class="questions" style="--answer-count: {n}"></ol></div>'


def test_each_sheet_is_marked_by_an_empty_first_child_and_filled_by_a_rule() -> None:
    html = with_sheets(DOCUMENT, [SHEET.format(n=2), SHEET.format(n=3)], ["", "--x: 1mm;"])
    assert html.count('<div class="handout-sheet"><div id="sheet-') == 2
    assert '<div id="sheet-2"></div><div class="handout">' in html
    assert "#sheet-2 ~ * { --x: 1mm; }" in html and "#sheet-1 ~" not in html


def test_custom_properties_in_a_style_attribute_become_a_shared_class() -> None:
    """Alike elements share one computed style in WeasyPrint only without a style
    attribute; the value must still beat any ordinary rule, as the attribute did."""
    html = with_sheets(DOCUMENT, [SHEET.format(n=2), SHEET.format(n=2), SHEET.format(n=3)])
    assert "style=" not in html.split("</head>")[1]
    classes = re.findall(r'<ol class="(custom-[0-9a-f]+) questions">', html)
    assert len(classes) == 3 and classes[0] == classes[1] != classes[2]
    assert f".{classes[0]} {{ --answer-count: 2 !important }}" in html
    assert f".{classes[2]} {{ --answer-count: 3 !important }}" in html


def test_a_style_attribute_with_ordinary_properties_is_left_as_it_is() -> None:
    sheet = '<p style="color: red">x</p><p class="a" style="--y: 1; margin: 0">y</p>'
    html = with_sheets(DOCUMENT, [sheet])
    assert 'style="color: red"' in html and 'style="--y: 1; margin: 0"' in html
