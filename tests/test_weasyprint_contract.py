"""The contract with WeasyPrint's private parts (weasyprint_adapter.py).

Each test uses one private part the way the adapter does and checks the result a
user depends on, so an upgrade of WeasyPrint that changes them fails here, loudly,
rather than in a handout's layout or a PDF's bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint.pdf.fonts

from dnaoc_print.render.documents import RenderedDocument
from dnaoc_print.typeset.typesetting import lay_out, write
from dnaoc_print.typeset.weasyprint_adapter import (
    MARKER_RULE,
    SUBSETTERS,
    UNUSED_UA_RULES,
    TrimmedHTML,
    UserAgentMismatch,
    available_subsetters,
    subsetter,
    text_faces,
    trimmed_ua_text,
)

from pdf_inspect import PdfFacts

ROOT = Path(__file__).resolve().parents[1]
PAGE = """<!doctype html><html lang="en-GB"><head><title>Contract</title><style>
@font-face {{ font-family: Body;
  src: url(fonts/atkinson-hyperlegible-next-latin-400-normal.woff); }}
@page {{ size: 100mm 120mm; margin: 10mm 10mm 30mm;
  @bottom-center {{ content: "margin text"; }} }}
html {{ font-family: Body; }} body {{ margin: 0; }}
#sheet {{ height: 30mm; }}
.notes {{ height: 10mm; }}
</style></head><body>{body}</body></html>"""
SHEET = '<div id="sheet"><p style="margin:0;height:20mm">Text</p><div class="notes"></div></div>'


def _layout(body: str = SHEET):
    document = RenderedDocument(PAGE.format(body=body), "Contract", ROOT, "contract")
    return lay_out(document, "contract", [ROOT])


def test_page_boxes_measure_content_and_leave_out_the_margin_boxes() -> None:
    layout = _layout()
    assert layout.available_mm(0) == pytest.approx(80, abs=0.1)
    assert layout.used_mm(0) == pytest.approx(30, abs=0.1)
    assert layout.used_mm(0, "sheet") == pytest.approx(30, abs=0.1)
    assert layout.spare_mm(0, "sheet") == pytest.approx(50, abs=0.1)
    assert layout.room_below_mm(0, "sheet", "notes") == pytest.approx((60, 10), abs=0.1)
    assert layout.first_pages(["sheet", "nowhere"]) == [0, None]


def test_a_box_grown_in_place_reaches_the_foot_of_the_page() -> None:
    layout = _layout()
    assert layout.extend_to_foot(0, "sheet", "notes", keep_mm=1) == pytest.approx(49, abs=0.1)
    assert layout.room_below_mm(0, "sheet", "notes") == pytest.approx((60, 59), abs=0.1)
    assert layout.extend_to_foot(0, "sheet", "missing", keep_mm=1) is None


def test_a_box_found_by_its_class_alone_grows_to_the_foot_of_its_page() -> None:
    """Without an element id (a large-print handout's notes on its last page)."""
    layout = _layout()
    assert layout.extend_to_foot(0, None, "notes", keep_mm=1) == pytest.approx(49, abs=0.1)
    assert layout.extend_to_foot(0, None, "missing", keep_mm=1) is None


def test_each_pdf_split_from_a_batch_gets_its_own_xmp_title() -> None:
    xmp = _layout().xmp("A title of its own", "Its description")
    assert b"A title of its own" in xmp and b"Its description" in xmp
    assert xmp.startswith(b"<?xpacket begin=") and xmp.endswith(b'<?xpacket end="r"?>')


@pytest.mark.parametrize("name", SUBSETTERS)
def test_the_subsetter_can_be_chosen(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """WeasyPrint chooses HarfBuzz or fontTools by ``harfbuzz_subset`` in
    weasyprint.pdf.fonts; fontTools' Subsetter is used only when it is None."""
    if name not in available_subsetters():
        pytest.skip(f"{name} subsetting is not available here (install libharfbuzz-subset0)")
    used = []
    real = weasyprint.pdf.fonts.subset.Subsetter

    def noting(*args, **kwargs):
        used.append("fonttools")
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint.pdf.fonts.subset, "Subsetter", noting)
    with subsetter(name):
        (tmp_path / "contract.pdf").write_bytes(write(_layout()).pdf)
    families = PdfFacts.open(tmp_path / "contract.pdf").embedded_font_families()
    assert families == {"Atkinson Hyperlegible Next"}
    assert bool(used) == (name == "fonttools")


def test_the_weight_and_style_of_every_piece_of_text_can_be_read() -> None:
    layout = _layout("<p>Plain <em>slanted</em> <strong>heavy</strong></p>")
    assert text_faces(layout.rendered) == {
        ("Body", 400, "normal"),
        ("Body", 400, "italic"),
        ("Body", 700, "normal"),
    }


def test_an_empty_first_child_marks_its_parent() -> None:
    """A handout sheet's id sits on an empty first child (documents.with_sheets): the
    measures are of the sheet that holds it."""
    layout = _layout(
        '<div style="height:30mm"><div id="marker"></div>'
        '<p style="margin:0;height:20mm">Text</p><div class="notes"></div></div>'
    )
    assert layout.used_mm(0, "marker") == pytest.approx(30, abs=0.1)
    assert layout.room_below_mm(0, "marker", "notes") == pytest.approx((60, 10), abs=0.1)
    assert layout.page_width_px() == pytest.approx(100 / 25.4 * 96, abs=0.01)


def test_the_user_agent_stylesheet_holds_every_rule_the_trimmed_copy_leaves_out() -> None:
    from weasyprint.html import UA

    trimmed = trimmed_ua_text(UA)
    for rule in UNUSED_UA_RULES:
        assert rule not in trimmed
    assert "li" + MARKER_RULE in trimmed
    with pytest.raises(UserAgentMismatch, match="no longer holds the rule"):
        trimmed_ua_text(UA.replace(UNUSED_UA_RULES[0], ""))


def test_weasyprint_asks_the_document_for_its_user_agent_stylesheet(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The trimmed stylesheet reaches WeasyPrint through HTML._ua_stylesheets: it is
    used, and a list still gets its numbers from it (li::marker)."""
    asked = []
    own = TrimmedHTML._ua_stylesheets

    def noting(self, forms=False):
        asked.append(forms)
        return own(self, forms)

    monkeypatch.setattr(TrimmedHTML, "_ua_stylesheets", noting)
    layout = _layout("<ol><li>First</li><li>Second</li></ol>")
    assert len(asked) == 1 and not asked[0]  # no forms
    (tmp_path / "list.pdf").write_bytes(write(layout).pdf)
    text = PdfFacts.open(tmp_path / "list.pdf").text()
    assert "1." in text and "2." in text  # the markers, drawn apart from the items
