"""The contract with WeasyPrint's private parts (weasyprint_adapter/).

Each test uses one private part the way the adapter does and checks the result a
user depends on, so an upgrade of WeasyPrint that changes them fails here, loudly,
rather than in a handout's layout or a PDF's bytes.
"""

from __future__ import annotations

import re
import sys
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
    libraries,
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


def test_the_progress_log_names_each_stylesheet_before_parsing_it(tmp_path: Path) -> None:
    """logs.py reads WeasyPrint's progress wording to say which file a CSS warning is in."""
    import logging

    from dnaoc_print.typeset.weasyprint_adapter import logs

    (tmp_path / "look.css").write_text("p {\n  color: nope;\n}\n")
    html = '<html><head><link rel="stylesheet" href="look.css"></head><body><p>x</p></body></html>'
    seen: list[str] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    recorder = Recorder(level=logging.INFO)
    level = logs.PROGRESS_LOGGER.level
    logs.PROGRESS_LOGGER.setLevel(logging.INFO)
    logs.PROGRESS_LOGGER.addHandler(recorder)
    try:
        document = RenderedDocument(html, "Contract", tmp_path, "contract")
        layout = lay_out(document, "contract", [tmp_path])
    finally:
        logs.PROGRESS_LOGGER.removeHandler(recorder)
        logs.PROGRESS_LOGGER.setLevel(level)
    announced = [m for m in seen if m.startswith(logs.PARSING_CSS)]
    assert any(m.endswith((tmp_path / "look.css").as_uri()) for m in announced), seen
    # ... and the warning that follows is placed in that file, at its line.
    assert "look.css, line 2: Ignored `color: nope`, invalid value" in layout.warnings


# -- The structure tree: hints from typesetting, finished by pdf/structure.py -------
# weasyprint_adapter/ wraps weasyprint.pdf.tags._build_box_tree (each element's
# HTML element, the type and reading order a layout asks for, a margin element read
# as content) and weasyprint.layout.inline.split_text_box and remove_last_whitespace
# (where a line broke at a space). Each test reads the finished tree back.

TAGGED = """<!doctype html><html lang="en-GB"><head><title>Contract</title><style>
@font-face {{ font-family: Body;
  src: url(fonts/atkinson-hyperlegible-next-latin-400-normal.woff); }}
@page {{ size: 100mm 130mm; margin: 20mm 10mm 30mm;
  @bottom-center {{ content: element(credit); vertical-align: top; }}
  @top-left {{ content: "Running"; vertical-align: bottom; }} }}
html {{ font-family: Body; font-size: 11pt; }} body {{ margin: 0; }}
.credit {{ position: running(credit); }}
ol {{ list-style: none; }} ol.numbered {{ counter-reset: n; }}
ol.numbered li {{ counter-increment: n; }}
ol.numbered li::before {{ content: counter(n) " "; }}
.code {{ float: left; width: 20mm; height: 10mm; background: black; }}
</style></head><body>{body}</body></html>"""


def _tree(tmp_path: Path, body: str):
    from dnaoc_print.pdf.splitting import complete_structure
    from dnaoc_print.typeset.typesetting import typeset
    from pdf_tagged import PdfTags

    html = TAGGED.format(body=body)
    result = typeset(RenderedDocument(html, "Contract", ROOT, "contract"), "contract", [ROOT])
    path = tmp_path / "contract.pdf"
    path.write_bytes(complete_structure(result, html))
    return PdfTags.open(path)


WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike"


def test_a_line_broken_at_a_space_reads_with_the_space(tmp_path: Path) -> None:
    """Each line is its own marked content; where a line broke at a space (which is
    not drawn) the line's last word reads with a space after it; where it broke with
    no space (a zero-width space, as a printed address has; or a <wbr>) it does not."""
    from pdf_structure_rules import document_element, folded, role, tree_text, walk

    tags = _tree(
        tmp_path,
        f"<p>{WORDS} <em>november oscar papa quebec romeo sierra</em> tango.</p>"
        "<p>https://www.example.org/&#8203;aquitelongpathname/<wbr>anotherlongpathname</p>"
        # A word a line: each line ends at a space, or with an inline element and
        # the space after it left for the next line.
        '<p style="width: 0">one <em>two</em> three <a href="#x">four five</a> six</p>',
    )
    first, second, narrow = [e for e in walk(document_element(tags)) if role(e) == "/P"]
    assert folded(tree_text(tags, narrow)) == "one two three four five six"
    assert len(tags.reading_order()) > 8  # the words are on several lines
    assert folded(tree_text(tags, first)) == (
        f"{WORDS} november oscar papa quebec romeo sierra tango."
    )
    assert folded(tree_text(tags, second)) == (
        "https://www.example.org/aquitelongpathname/anotherlongpathname"
    )
    # The emphasis, on two lines, is one element.
    assert [role(e) for e in walk(first)].count("/Em") == 1


def test_an_element_on_two_pages_is_one_element(tmp_path: Path) -> None:
    """A section and a paragraph crossing a page break: one element each."""
    from pdf_structure_rules import document_element, elements, role, walk

    paragraph = " ".join([WORDS] * 12)
    tags = _tree(tmp_path, f"<section><h2>Heading</h2><p>{paragraph}</p></section>")
    assert len(tags.pdf.pages) > 1
    [section] = elements(document_element(tags))
    assert [role(kid) for kid in elements(section)] == ["/H2", "/P"]
    paragraph_element = elements(section)[1]
    pages = tags.page_index()
    assert len({pages[e.Pg.objgen] for e in walk(paragraph_element) if "/Pg" in e}) > 1


def test_a_layout_asks_for_types_and_reading_order(tmp_path: Path) -> None:
    """data-pdf-tag gives an element's type, data-pdf-read="first" reads it before
    its siblings (a group dissolving into its children), an item's number is its
    Lbl, and an element a page margin holds with a data-pdf-tag is read, once,
    after the page's content."""
    from pdf_structure_rules import document_element, elements, folded, role, tree_text

    tags = _tree(
        tmp_path,
        '<p class="credit" data-pdf-tag="P">Credit line</p>'
        '<nav data-pdf-tag="Sect"><h2>Contents</h2><ol data-pdf-tag="TOC">'
        '<li data-pdf-tag="TOCI"><a href="#a">Entry</a></li></ol></nav>'
        '<article id="a"><a class="code" href="https://example.org"></a>'
        '<div data-pdf-read="first"><h3>Card</h3><p>Words</p></div></article>'
        '<ol class="numbered"><li>Question</li></ol>',
    )
    top = elements(document_element(tags))
    assert [role(e) for e in top] == ["/Sect", "/Art", "/L", "/P"]
    assert folded(tree_text(tags, top[-1])) == "Credit line"
    toc = elements(top[0])[1]
    assert role(toc) == "/TOC"
    [reference] = elements(elements(toc)[0])
    assert role(reference) == "/Reference"
    assert [role(e) for e in elements(reference)] == ["/Link"]
    assert [role(e) for e in elements(top[1])][:3] == ["/H3", "/P", "/Link"]
    item = elements(top[2])[0]
    assert [role(e) for e in elements(item)] == ["/Lbl", "/LBody"]
    running = [text for text in tags.texts if "Running" in text.text]
    assert running and all(text.artifact for text in running)


def test_shrink_to_fit_is_weasyprints_own_width_in_fewer_passes(monkeypatch) -> None:
    """WeasyPrint's layout asks the adapter's shrink_to_fit for the width of every
    inline-block, float and absolutely placed box (widths.py), and each width is the
    one WeasyPrint's own function gives: with room to spare (one pass) and without."""
    from weasyprint.layout import absolute, inline, preferred
    from weasyprint.layout import float as floats

    from dnaoc_print.typeset.weasyprint_adapter import widths

    asked: list[tuple[str, float, float]] = []

    def checked(context, box, available):
        width = widths.shrink_to_fit(context, box, available)
        own = preferred.shrink_to_fit(context, box, available)
        asked.append((box.element.get("class"), width, own))
        return width

    for module in (inline, floats, absolute):
        assert module.shrink_to_fit is widths.shrink_to_fit
        monkeypatch.setattr(module, "shrink_to_fit", checked)
    long = " ".join([WORDS] * 3)
    _layout(
        '<div style="position: relative">'
        '<span class="inline-short" style="display: inline-block">Text</span>'
        f'<span class="inline-long" style="display: inline-block">{long}</span>'
        '<div class="float-short" style="float: left">Text</div>'
        f'<div class="float-long" style="float: left">{long}</div>'
        '<div class="absolute-short" style="position: absolute">Text</div>'
        f'<div class="absolute-long" style="position: absolute">{long}</div></div>'
    )
    assert {name for name, _, _ in asked} == {
        f"{kind}-{size}" for kind in ("inline", "float", "absolute") for size in ("short", "long")
    }
    for name, width, own in asked:
        assert width == own, name
    # The short boxes take their text's width, the long ones the whole line.
    widths_by_name = {name: width for name, width, _ in asked}
    assert widths_by_name["inline-short"] < widths_by_name["inline-long"]


def test_page_references_are_pydyfs_own_as_pages_are_added() -> None:
    """pydyf's PDF.page_references, kept once made (page_references.py): the same
    references as pydyf's own after each page is added, and each element WeasyPrint
    tags names the page it is on."""
    import pydyf

    from dnaoc_print.typeset.weasyprint_adapter import page_references

    assert pydyf.PDF.page_references.fget is page_references._page_references
    pdf = pydyf.PDF()
    for count in range(1, 4):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == page_references._PYDYF_PAGE_REFERENCES.fget(pdf)
        assert len(pdf.page_references) == count


def test_each_tagged_element_names_its_own_page(tmp_path: Path) -> None:
    from pdf_structure_rules import document_element, role, walk

    pages = "".join(f'<p style="break-before: page">Page {n}</p>' for n in range(1, 4))
    tags = _tree(tmp_path, pages)
    numbers = tags.page_index()
    paragraphs = [e for e in walk(document_element(tags)) if role(e) == "/P"]
    assert [numbers[e.Pg.objgen] for e in paragraphs] == [0, 1, 2]


def test_each_piece_of_text_is_held_by_its_own_element(tmp_path: Path) -> None:
    """WeasyPrint's Span for each piece of text is folded into the element it is in
    (tagging.py): the element holds the marked-content id, the parent tree points at
    it, and no folded Span is left in the file. A piece read with a space after it
    keeps a Span of its own, for its ActualText."""
    import pikepdf

    from pdf_structure_rules import document_element, folded, role, tree_text, walk

    tags = _tree(tmp_path, f"<h2>Heading</h2><p>Short <em>and</em> plain.</p><p>{WORDS * 3}</p>")
    heading, short, long = [e for e in walk(document_element(tags)) if role(e) in ("/H2", "/P")]
    [parents] = [tags.pdf.Root.StructTreeRoot.ParentTree.Nums[1]]
    for element in (heading, short):
        ids = [kid for kid in element.K if isinstance(kid, int)]
        assert ids, role(element)
        assert all(parents[mcid].objgen == element.objgen for mcid in ids)
    assert folded(tree_text(tags, short)) == "Short and plain."
    spans = [e for e in walk(long) if role(e) == "/Span"]
    assert spans and all("/ActualText" in span for span in spans)
    # The folded Spans are not in the finished file (QPDF copies only what is reachable).
    every = [o for o in tags.pdf.objects if isinstance(o, pikepdf.Dictionary)]
    plain_spans = [o for o in every if o.get("/S") == "/Span" and "/ActualText" not in o]
    assert not plain_spans


def test_a_typeset_pdf_with_folded_spans_reads_whole_before_it_is_finished() -> None:
    """The folded Spans are left unreferenced, not freed: pydyf's compressed
    cross-reference stream numbers the objects after a freed one wrongly, and a reader
    then loses the document information (pdfium reads no title)."""
    import pypdfium2

    from dnaoc_print.typeset.typesetting import typeset

    body = "".join(f"<h2>Heading {n}</h2><p>Text {n} here.</p>" for n in range(30))
    html = TAGGED.format(body=body)
    pdf = typeset(RenderedDocument(html, "Contract", ROOT, "contract"), "contract", [ROOT]).pdf
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert document.get_metadata_dict().get("Title") == "Contract"
        assert len(document) >= 2
    finally:
        document.close()


# -- A linked stylesheet parsed once a process (weasyprint_adapter/stylesheets.py) ------
# weasyprint.css.CSS, as weasyprint.css.find_stylesheets makes a linked stylesheet with
# it, replaced: what parsing the file gives is kept, and each document gets its page
# rules added to its own list where WeasyPrint would add them.

LINKED = """<!doctype html><html lang="en-GB"><head><title>Contract</title>
<style>@page {{ size: 100mm 100mm; }}</style>
<link rel="stylesheet" href="look.css"><style>p {{ margin: 0; }}</style></head>
<body><p>Text</p></body></html>"""


def _page_mm(tmp_path: Path) -> tuple[int, int]:
    document = RenderedDocument(LINKED.format(), "Contract", tmp_path, "contract")
    page = lay_out(document, "contract", [tmp_path]).rendered.pages[0]
    return round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)


def test_weasyprint_makes_a_linked_stylesheet_with_the_kept_css() -> None:
    import inspect

    import weasyprint.css

    from dnaoc_print.typeset.weasyprint_adapter import stylesheets

    assert weasyprint.css.CSS is stylesheets.kept_css
    source = inspect.getsource(weasyprint.css.find_stylesheets)
    assert "yield CSS(" in source and "url=href" in source
    assert "page_rules=page_rules" in source and "layers=layers" in source
    # The cascade reads each stylesheet's page rules from the list it holds.
    assert "sheet.page_rules" in inspect.getsource(weasyprint.css.StyleFor)


def test_a_linked_stylesheet_parsed_once_gives_every_document_the_same_pages(
    tmp_path: Path,
) -> None:
    from dnaoc_print.typeset.weasyprint_adapter import stylesheets

    sheet = tmp_path / "look.css"
    # Its page size comes after the first <style> element's, at the same specificity:
    # it wins, in WeasyPrint's order of the document's page rules (which every author
    # stylesheet holds, the last <style> too), every time.
    sheet.write_text("@page { size: 120mm 150mm; }\np { color: #123456; }\n")
    assert _page_mm(tmp_path) == (120, 150)
    assert any(key[0] == sheet.as_uri() for key in stylesheets._KEPT)
    assert _page_mm(tmp_path) == (120, 150)
    # Changed, it is read and parsed again.
    sheet.write_text("@page { size: 130mm 140mm; }\n")
    assert _page_mm(tmp_path) == (130, 140)
    # A named page chosen by a selector of the kept stylesheet.
    sheet.write_text("@page big { size: 140mm 160mm; }\nhtml { page: big; }\n")
    assert _page_mm(tmp_path) == _page_mm(tmp_path) == (140, 160)


def test_a_kept_stylesheet_gives_the_bytes_weasyprints_own_parse_gives(
    tmp_path: Path, monkeypatch
) -> None:
    import weasyprint.css

    from dnaoc_print.typeset.weasyprint_adapter import stylesheets

    (tmp_path / "look.css").write_text(
        "@page { size: 120mm 150mm; margin: 20mm; }\n"
        ":root { --ink: #1d5a73; }\np { color: var(--ink); font-size: 14pt; }\n"
    )

    def pdf() -> bytes:
        document = RenderedDocument(LINKED.format(), "Contract", tmp_path, "contract")
        return write(lay_out(document, "contract", [tmp_path])).pdf

    kept = [pdf(), pdf()]
    monkeypatch.setattr(weasyprint.css, "CSS", stylesheets._WEASYPRINT_CSS)
    assert kept[0] == kept[1] == pdf()


def test_a_kept_stylesheet_is_read_through_the_sandbox_every_time(tmp_path: Path) -> None:
    from dnaoc_print.errors import BuildError

    sheet = tmp_path / "look.css"
    sheet.write_text("p { color: #123456; }\n")
    assert _page_mm(tmp_path) == (100, 100)
    sheet.unlink()
    with pytest.raises(BuildError, match="look.css' does not exist"):
        _page_mm(tmp_path)


def test_what_adds_to_a_document_is_parsed_for_each(tmp_path: Path) -> None:
    import weasyprint

    from dnaoc_print.typeset.weasyprint_adapter import stylesheets

    # What the kept stylesheet is made of is what WeasyPrint's CSS makes.
    assert set(vars(weasyprint.CSS(string="p {}"))) == {
        "base_url", "matcher", "page_rules", "layers",
    }  # fmt: skip
    (tmp_path / "other.css").write_text("p { margin: 0; }\n")
    rules = ("@import 'other.css';", "@layer base { p { margin: 0; } }",
             "@counter-style x { system: cyclic; symbols: a; }")  # fmt: skip
    for rule in rules:
        (tmp_path / "look.css").write_text(rule + "\np { color: #123456; }\n")
        _page_mm(tmp_path)
        assert not any(key[0] == (tmp_path / "look.css").as_uri() for key in stylesheets._KEPT)


def test_an_invalid_var_value_in_a_kept_stylesheet_warns_for_every_document(
    tmp_path: Path,
) -> None:
    # Checked when styles are computed, and warned about once a value (Pending): each
    # document is given the kept values with that mark cleared.
    import inspect

    from weasyprint.css.tokens import Pending

    assert "self._reported_error = True" in inspect.getsource(Pending.solve)
    (tmp_path / "look.css").write_text(":root { --gap: red; }\np { text-indent: var(--gap); }\n")
    for _ in range(2):
        document = RenderedDocument(LINKED.format(), "Contract", tmp_path, "contract")
        warnings = lay_out(document, "contract", [tmp_path]).warnings
        assert any("Ignored `text-indent: red`" in warning for warning in warnings), warnings


def test_a_stylesheet_warned_about_warns_for_every_document(tmp_path: Path) -> None:
    from dnaoc_print.typeset.weasyprint_adapter import stylesheets

    (tmp_path / "look.css").write_text("p {\n  color: nope;\n}\n")
    for _ in range(2):
        document = RenderedDocument(LINKED.format(), "Contract", tmp_path, "contract")
        layout = lay_out(document, "contract", [tmp_path])
        assert "look.css, line 2: Ignored `color: nope`, invalid value" in layout.warnings
    assert not any(key[0] == (tmp_path / "look.css").as_uri() for key in stylesheets._KEPT)


@pytest.mark.parametrize("kept", [True, False])
def test_a_drawing_written_later_gives_the_bytes_write_pdf_gives(kept: bool) -> None:
    """typesetting keeps a PDF back from writing with write_pdf's public finisher,
    its own write standing in for that call (weasyprint_adapter/drawing.py), so that
    pdf/tags.py finishes the tree first. Fails loudly if WeasyPrint stops calling the
    finisher with the PDF before writing it, or writes it some other way."""
    import pydyf

    from dnaoc_print.typeset.weasyprint_adapter import drawn, pdf_variant, written

    layout = _layout()
    options = {
        "pdf_identifier": layout.identifier if kept else False,
        "pdf_variant": pdf_variant(layout.document),
        "uncompressed_pdf": not kept,
    }
    drawing = drawn(layout.rendered, **options)
    assert isinstance(drawing.pdf, pydyf.PDF)
    assert "write" not in vars(drawing.pdf)  # pydyf's own method again
    assert written(drawing) == layout.rendered.write_pdf(**options)


def test_a_typeset_pdf_is_finished_before_it_is_written(tmp_path: Path) -> None:
    """The tree is finished on the PDF as drawn: once the PDF is written, its bytes
    no longer follow the objects, so finishing it then is refused."""
    from dnaoc_print.pdf.splitting import complete_structure

    finished = tmp_path / "finished.pdf"
    finished.write_bytes(complete_structure(write(_layout())))
    assert PdfFacts.open(finished).page_count == 1
    typeset = write(_layout())
    assert typeset.pdf.startswith(b"%PDF-")
    with pytest.raises(ValueError, match="finished before it is written"):
        complete_structure(typeset)


def test_weasyprint_draws_what_finishing_the_tree_reads_as_it_reads_it() -> None:
    """pdf/tags.py and pdf/links.py finish the tree on the PDF as WeasyPrint 70 draws
    it: each marked content begun by three items of its content stream (its tag, a
    property list holding its MCID, BDC); an internal link's Dest a pydyf String;
    the named destinations one flat Names array in the catalogue, each a page's
    reference first. Fails loudly if WeasyPrint draws them otherwise."""
    import pydyf

    result = write(_layout('<p id="here">Here</p><p><a href="#here">Back</a></p>'))
    pdf = result.drawing.pdf

    def get(reference: bytes):
        return pdf.objects[int(reference.split()[0])]

    page = get(pdf.page_references[0])
    items = get(page["Contents"]).stream
    marks = [
        index
        for index, item in enumerate(items)
        if isinstance(item, pydyf.Dictionary) and "MCID" in item
    ]
    assert len(marks) >= 3
    for index in marks:
        assert isinstance(items[index - 1], str) and items[index - 1].startswith("/")
        assert items[index + 1] == b"BDC"
    names = pdf.catalog["Names"]["Dests"]["Names"]
    assert isinstance(names[0], pydyf.String) and names[0].string == "here"
    assert names[1][0] == pdf.page_references[0]
    [link] = [get(reference) for reference in page["Annots"]]
    assert isinstance(link["Dest"], pydyf.String) and link["Dest"].string == "here"


def test_a_batch_split_into_parts_has_no_pdf_of_its_own() -> None:
    """Splitting gives the batch's pages to its parts: the batch can no longer be
    written, finished or split again (it would be a broken PDF), and says so."""
    from dnaoc_print.pdf.splitting import Part, complete_structure, embedded_fonts, split_pdf

    layout = _layout()
    typeset = write(layout, kept=False)
    [part] = split_pdf(typeset, [Part((0,), "Title", "About", layout.xmp("Title", "About"))])
    assert part.startswith(b"%PDF-")
    for use in (
        lambda: typeset.pdf,
        lambda: complete_structure(typeset),
        lambda: embedded_fonts(typeset),
    ):
        with pytest.raises(ValueError):
            use()


TEXT_LIBRARIES = """
import re, sys
started = []
sys.addaudithook(
    lambda event, args: event == "subprocess.Popen" and started.append(str(args[0])))
import {module}
names = ("gobject", "pango", "harfbuzz", "fontconfig")
loaded = sorted({{line.split()[-1] for line in open("/proc/self/maps")
                  if any(name in line.rsplit("/", 1)[-1] for name in names)}})
print(repr((loaded, started)))
"""


def _text_libraries(module: str) -> tuple[list[str], list[str]]:
    """The text library files a fresh Python has loaded once it imported ``module``,
    and the programs it started on the way."""
    import ast
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", TEXT_LIBRARIES.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    return ast.literal_eval(shown.stdout.strip().splitlines()[-1])


def test_the_text_libraries_loaded_the_quick_way_are_weasyprints_own() -> None:
    if not Path("/proc/self/maps").exists() or libraries.loader_cache() is None:
        pytest.skip("the quick lookup is for Linux with a loader cache to read")
    quick, started = _text_libraries("dnaoc_print.typeset.weasyprint_adapter")
    plain, _ = _text_libraries("weasyprint")
    assert quick == plain, "the adapter loaded other text libraries than WeasyPrint does"
    for name in ("libgobject-2.0", "libpango-1.0", "libharfbuzz", "libfontconfig"):
        assert any(Path(path).name.startswith(name) for path in quick), name
    # One look at the loader's cache, and no compiler or linker started.
    assert started == [libraries.LDCONFIG]


def test_where_the_loader_cache_cannot_be_read_the_lookup_is_left_alone(monkeypatch) -> None:
    import ctypes.util

    standard = ctypes.util.find_library
    monkeypatch.setattr(libraries, "LDCONFIG", "/nonexistent/ldconfig")
    libraries.loader_cache.cache_clear()
    try:
        with libraries.quick_lookup():
            assert ctypes.util.find_library is standard
    finally:
        libraries.loader_cache.cache_clear()


def test_the_standard_lookup_is_back_after_the_block_even_when_it_fails() -> None:
    import ctypes.util

    if not sys.platform.startswith("linux") or libraries.loader_cache() is None:
        pytest.skip("the quick lookup is for Linux with a loader cache to read")
    standard = ctypes.util.find_library
    with libraries.quick_lookup():
        assert ctypes.util.find_library is libraries.cached_library
    assert ctypes.util.find_library is standard
    with pytest.raises(OSError), libraries.quick_lookup():
        raise OSError("a library that cannot be loaded")
    assert ctypes.util.find_library is standard


def test_the_quick_lookup_gives_the_standard_answer_for_a_listed_library() -> None:
    import ctypes.util

    if libraries.loader_cache() is None:
        pytest.skip("no loader cache to read here")
    names = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset")
    for name in (*names, "fontconfig", "c", "no-such-library-here"):
        assert libraries.cached_library(name) == ctypes.util.find_library(name), name


# As ldconfig -p lists them: a 32-bit copy before the machine's own, a longer name
# that starts with a shorter one before it.
LISTING = f"""3 libs found in cache `/etc/ld.so.cache'
\tlibharfbuzz-subset.so.0 ({libraries.abi_tag()}) => /usr/lib/libharfbuzz-subset.so.0
\tlibbar.so.2 (libc6) => /usr/lib32/libbar.so.2
\tlibbar.so.3 ({libraries.abi_tag()}) => /usr/lib/libbar.so.3
\tlibonly32.so.1 (libc6) => /usr/lib32/libonly32.so.1
\tlibharfbuzz.so.0 ({libraries.abi_tag()}) => /usr/lib/libharfbuzz.so.0
""".encode()


def test_the_quick_lookup_answers_for_this_machines_abi_and_the_whole_name(
    monkeypatch,
) -> None:
    if libraries.abi_tag() == "libc6":
        pytest.skip("this machine's libraries carry no ABI tag of their own")
    monkeypatch.setattr(libraries, "loader_cache", lambda: LISTING)
    assert libraries.cached_library("bar") == "libbar.so.3"
    assert libraries.cached_library("only32") is None
    assert libraries.cached_library("harfbuzz") == "libharfbuzz.so.0"
    assert libraries.cached_library("harfbuzz-subset") == "libharfbuzz-subset.so.0"


def test_the_c_types_read_in_advance_are_the_ones_weasyprint_names() -> None:
    import re

    source = "".join(
        path.read_text(encoding="utf-8")
        for path in Path(weasyprint.pdf.fonts.__file__).parents[1].rglob("*.py")
    )
    # Every C type WeasyPrint names as a plain string (an f-string's, such as an array
    # of as many glyphs as a font keeps, cannot be read in advance).
    named = set(re.findall(r"ffi\.(?:new|cast)\(\s*'([^'{}]+)'", source))
    assert named == set(libraries.C_TYPES)
    # Each read on import, before any document (cffi keeps what it has read in
    # _parsed_types): in a fresh process, so that no other test has read them first.
    import subprocess

    read_on_import = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dnaoc_print.typeset.weasyprint_adapter import libraries; "
            "print(sorted(set(libraries.C_TYPES) - set(libraries.ffi._parsed_types)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert read_on_import.stdout.strip() == "[]"


# Runs of text up to each kind of character the tokenizer stops at: text, attribute
# values in both quotes and none, a comment, a script, a character reference, a
# doctype, whitespace in a tag.
PARSED = """<!DOCTYPE html>
<html lang="en"><head><title>T &amp; t</title>
<script>if (a < b) { c(); }</script><style>p { color: red }</style></head>
<body>
  <!-- a comment -- with dashes -->
  <p class="a  b" data-x='1 &amp; 2' data-y=3>Text &mdash; more text, &#8203;and &lt;more&gt;</p>
  <img src="data:image/png;base64,iVBORw0KGgo=" alt="An image">
  <![CDATA[ not in HTML ]]>
</body></html>"""


def _parse_plainly(html: str):
    """tinyhtml5's parse with its own (plain) pattern dict, as shipped: the tree and
    what it stored (each pattern under its compiled expression)."""
    import tinyhtml5
    import tinyhtml5.inputstream

    cache = tinyhtml5.inputstream.characters_until_regex
    tinyhtml5.inputstream.characters_until_regex = {}
    try:
        return tinyhtml5.parse(html), tinyhtml5.inputstream.characters_until_regex
    finally:
        tinyhtml5.inputstream.characters_until_regex = cache


def test_the_html_parser_finds_its_patterns_again_and_parses_the_same() -> None:
    """html_parsing replaces tinyhtml5's pattern dict: if tinyhtml5 stops looking its
    patterns up there (or stores them under the key it looks them up by, a fix of its
    own), this fails, and the replacement can go."""
    from xml.etree import ElementTree

    import tinyhtml5
    import tinyhtml5.inputstream

    from dnaoc_print.typeset.weasyprint_adapter import html_parsing

    assert isinstance(tinyhtml5.inputstream.characters_until_regex, html_parsing.PatternCache)
    plain_tree, plain_store = _parse_plainly(PARSED)
    # As shipped, every pattern is stored under its compiled self, so never found.
    assert len(plain_store) > 5
    assert all(isinstance(found, re.Pattern) for found, _ in plain_store)

    installed = tinyhtml5.inputstream.characters_until_regex
    tinyhtml5.inputstream.characters_until_regex = html_parsing.PatternCache()
    try:
        tree = tinyhtml5.parse(PARSED)
        cache = dict(tinyhtml5.inputstream.characters_until_regex)
    finally:
        tinyhtml5.inputstream.characters_until_regex = installed
    assert ElementTree.tostring(tree) == ElementTree.tostring(plain_tree)
    # The same patterns, each under the characters it is looked up by.
    assert set(plain_store) == {(found, opposite) for (_, opposite), found in cache.items()}
    assert all(not isinstance(characters, re.Pattern) for characters, _ in cache)


TYPESET_IN_ITSELF = """
import sys
from pathlib import Path
from dnaoc_print.render.documents import RenderedDocument
from dnaoc_print.typeset.typesetting import lay_out
root = Path(sys.argv[1])
page = sys.argv[2]
# Kept, as a benchmark keeps its last layout: its styles and boxes, which refer to the
# fonts and to each other, are still there when the heap is frozen.
layout = lay_out(RenderedDocument(page, "Contract", root, "contract"), "contract", [root])
print(sum(1 for _ in Path(sys.argv[3]).iterdir()))
# As a benchmark measuring as a worker runs does: what is left is set aside from the
# collector, so only an explicit release frees it.
import gc
gc.collect()
gc.freeze()
"""


def test_a_process_that_typesets_in_itself_leaves_no_fonts_behind(temporary_folder) -> None:
    """WeasyPrint writes the fonts it loads to a temporary folder, and removes it when
    their configuration is freed: the adapter frees its own at exit (a worker's go with
    its pool's folder, tests/test_workers.py)."""
    import os
    import subprocess

    shown = subprocess.run(
        [sys.executable, "-c", TYPESET_IN_ITSELF, str(ROOT), PAGE.format(body=SHEET)]
        + [str(temporary_folder)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TMPDIR": str(temporary_folder)},
    )
    # The fonts were written there (WeasyPrint's folder), and are gone once it ended.
    assert shown.stdout.strip() == "1"
    assert list(temporary_folder.iterdir()) == []


# -- box_questions: WeasyPrint's answers, in fewer steps ------------------------------
# The WeasyPrint functions box_questions.py answers for, or works out in line, by a
# fingerprint of their source. One that changes fails here: read the new function,
# answer as it does in box_questions.py (or drop the replacement), then record it.
BOX_QUESTION_SOURCES = {
    "layout.percent.percentage": "ebe404ccd9da50bf",
    "layout.percent.resolve_one_percentage": "4cfaa9ad134e4f7b",
    "layout.percent.resolve_percentages": "71673078096fcf87",
    "Box.is_in_normal_flow": "5f49d6ab23da7e51",
    "Box.is_floated": "6e6071b81868ea92",
    "Box.is_absolutely_positioned": "397e0c33b3087681",
    "Box.is_running": "1c451d5c39f4a663",
    "Box.is_footnote": "3550ea0c86860187",
    "Box.is_note": "2651f1110437e2e3",
}
# Pages with margins in per cent, a running element, percentages, calc(), border-box
# sizing, a flex container, a grid, columns, an inline-block, an image, a float, an
# absolutely placed box and a collapsed table border. (No footnote: the trimmed
# user-agent stylesheet has no rules for them.)
BOX_QUESTIONS_PAGE = """<!doctype html><html lang="en-GB"><head><title>Contract</title><style>
@font-face { font-family: Body;
  src: url(fonts/atkinson-hyperlegible-next-latin-400-normal.woff); }
@page wide { size: 120mm 100mm; margin: 10% 8% 30mm; padding: 2%;
  @bottom-center { content: element(foot); width: 100%; } }
@page narrow { size: 90mm 120mm; margin: 12mm; }
html { font-family: Body; font-size: 10pt; }
.wide { page: wide; } .narrow { page: narrow; }
.foot { position: running(foot); }
.share { width: 50%; margin: 5% 2%; padding: 1%; min-width: 10%; max-width: 90%;
  height: 50%; }
.sum { width: calc(100% - 10mm); margin-left: calc(2mm + 1%); box-sizing: border-box;
  padding: 2mm; border: 1mm solid; }
.row { display: flex; } .aside { float: left; width: 20mm; }
.placed { position: relative; } .corner { position: absolute; top: 0; right: 5%; }
table { border-collapse: collapse; width: 100%; } td { border: 1px solid; width: 30%; }
.grid { display: grid; grid-template-columns: 1fr 20%; } .columns { columns: 2; }
.badge { display: inline-block; width: 30%; padding: 1mm; }
img { width: 10mm; height: 10%; }
</style></head><body>
<div class="foot">A running foot</div>
<section class="wide"><div class="share">Half</div><div class="sum">Summed</div></section>
<section class="narrow"><div class="row"><div>One</div><div class="aside">Two</div></div>
<div class="placed"><p>Placed</p><div class="corner">Corner</div></div>
<table><tr><td>A</td><td>B</td></tr></table>
<div class="grid"><div>Left</div><div>Right</div></div>
<div class="columns"><p>First column</p><p>Second column</p></div>
<p>Words and <span class="badge">a badge</span> and
<img alt="A dot" src="DOT_PNG">.</p></section>
</body></html>""".replace(
    "DOT_PNG",
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
)


def _source_fingerprint(function) -> str:
    import hashlib
    import inspect

    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def test_box_questions_replace_the_weasyprint_functions_they_were_written_for() -> None:
    import importlib
    import pkgutil

    import weasyprint.layout
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    from dnaoc_print.typeset.weasyprint_adapter import box_questions

    # Every layout module that holds WeasyPrint's function holds this one instead.
    for listed in pkgutil.iter_modules(weasyprint.layout.__path__):
        module = importlib.import_module(f"weasyprint.layout.{listed.name}")
        held = getattr(module, "resolve_percentages", None)
        assert held in (None, box_questions.resolve_percentages), module
        assert (held is not None) == (module in box_questions._CALLERS), module
    assert boxes.Box.is_in_normal_flow is box_questions.is_in_normal_flow
    functions = {
        "layout.percent.percentage": percent.percentage,
        "layout.percent.resolve_one_percentage": percent.resolve_one_percentage,
        "layout.percent.resolve_percentages": box_questions.ORIGINAL_RESOLVE_PERCENTAGES,
        "Box.is_in_normal_flow": box_questions.ORIGINAL_IN_NORMAL_FLOW,
        **{
            f"Box.{name}": getattr(boxes.Box, name)
            for name in ("is_floated", "is_absolutely_positioned", "is_running")
            + ("is_footnote", "is_note")
        },
    }
    found = {name: _source_fingerprint(function) for name, function in functions.items()}
    assert found == BOX_QUESTION_SOURCES


_SIDES = ("top", "right", "bottom", "left")
_USED_VALUES = (
    *(f"{part}_{side}" for part in ("margin", "padding") for side in _SIDES),
    *(f"border_{side}_width" for side in _SIDES),
    *("width", "height", "min_width", "max_width", "min_height", "max_height"),
)


def _shipped_compassion_documents() -> list[RenderedDocument]:
    """The compassion guide and handout as a plain build renders them."""
    from dataclasses import replace

    from dnaoc_print.build.brand_set import Brands
    from dnaoc_print.build.planning import handout_job
    from dnaoc_print.content.loading import load_project
    from dnaoc_print.render.documents import with_sheets

    from conftest import default_layouts

    project = load_project(ROOT)
    guide = default_layouts(project).guide(project.guide("compassion"), "a4")
    [handout] = [found for found in project.handouts if found.source.stem == "compassion"]
    job = handout_job(handout, Brands(project), None, ROOT / "unwritten.pdf").make()
    # The batch's document with the handout's sheet in it, as the build lays it out.
    batch = job.sheet.document
    sheet = replace(batch, html=with_sheets(batch.html, [job.sheet.fits[0]]))
    return [guide, sheet]


def _install_answer_checks(monkeypatch, seen) -> None:
    """Each answer box_questions gives compared with WeasyPrint's own, for the same box
    at the same moment (WeasyPrint's function given a copy of the box first)."""
    from weasyprint.css.functions import check_math
    from weasyprint.formatting_structure import boxes

    from dnaoc_print.typeset.weasyprint_adapter import box_questions

    def resolve_checked(box, containing_block):
        theirs = box.copy()
        box_questions.ORIGINAL_RESOLVE_PERCENTAGES(theirs, containing_block)
        box_questions.resolve_percentages(box, containing_block)
        assert [getattr(box, name) for name in _USED_VALUES] == [
            getattr(theirs, name) for name in _USED_VALUES
        ], box
        values = [box.style[name] for name in _USED_VALUES]
        seen["a percentage"] += any(getattr(value, "unit", None) == "%" for value in values)
        seen["calc()"] += any(check_math(value) for value in values)
        seen[type(box).__name__] += 1
        seen["collapsed borders"] += box.style["border_collapse"] == "collapse"
        if isinstance(containing_block, boxes.Box):
            height = containing_block.height
        else:
            height = containing_block[1]
        seen["a containing block of auto height"] += height == "auto"

    def flow_checked(self):
        ours = box_questions.is_in_normal_flow(self)
        assert ours == box_questions.ORIGINAL_IN_NORMAL_FLOW(self), self
        seen[f"in flow: {ours}"] += 1
        return ours

    for module in box_questions._CALLERS:
        monkeypatch.setattr(module, "resolve_percentages", resolve_checked)
    monkeypatch.setattr(boxes.Box, "is_in_normal_flow", flow_checked)


def test_box_questions_give_weasyprints_own_answers(monkeypatch) -> None:
    """While a page of many kinds of box and the shipped compassion guide and handout
    are laid out, every answer box_questions gives is the one WeasyPrint's own
    function gives."""
    from collections import Counter

    from dnaoc_print.render.documents import sheet_id

    seen: Counter[str] = Counter()
    _install_answer_checks(monkeypatch, seen)
    lay_out(RenderedDocument(BOX_QUESTIONS_PAGE, "Contract", ROOT, "contract"), "c", [ROOT])
    guide, handout = (
        lay_out(document, "contract", [ROOT]) for document in _shipped_compassion_documents()
    )
    # Both whole: the guide's pages, and the handout's sheet on its page.
    assert guide.page_count > 5 and handout.first_pages([sheet_id(1)]) == [0]
    for kind in ("a percentage", "calc()", "PageBox", "collapsed borders", "GridBox"):
        assert seen[kind], (kind, seen)
    assert seen["a containing block of auto height"] and seen["InlineReplacedBox"], seen
    assert seen["in flow: True"] and seen["in flow: False"], seen


def test_in_normal_flow_is_weasyprints_answer_for_every_position_and_float() -> None:
    """Every computed position and float, footnotes and notes too (which no layout of
    the project's has), and a flex item's float test replaced as WeasyPrint replaces it."""
    from weasyprint.formatting_structure import boxes

    from dnaoc_print.typeset.weasyprint_adapter import box_questions

    positions = ("static", "relative", "sticky", "absolute", "fixed")
    positions += (("running()", "foot"), ("note()", "note"))
    floats = ("none", "left", "right", "inline-start", "inline-end", "footnote")
    answers = set()
    for position in positions:
        for float_value in floats:
            for flex_item in (False, True):
                box = boxes.BlockBox("div", {"position": position, "float": float_value}, None, [])
                if flex_item:
                    box.is_floated = lambda: False
                ours = box_questions.is_in_normal_flow(box)
                assert ours == box_questions.ORIGINAL_IN_NORMAL_FLOW(box), (position, float_value)
                answers.add(ours)
    assert answers == {True, False}
