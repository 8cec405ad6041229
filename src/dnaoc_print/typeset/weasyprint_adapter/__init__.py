"""The WeasyPrint adapter: the only code that imports weasyprint. Every use of its
private parts is here (see the contract tests, tests/test_weasyprint_contract.py and
tests/test_accessibility.py, which fail loudly when WeasyPrint changes them).

Modules: ``rendering`` (a document laid out, through ``fetching``'s sandbox and the
trimmed stylesheet of ``user_agent``), ``pages`` (what a layout measures), ``logs``
(warnings, with the file that caused them), ``subsetting``, ``tagging``, ``widths``
(the shrink-to-fit width in one pass where one is enough), ``box_questions`` (two
questions layout asks of every box, answered in fewer steps), ``page_references``,
``stylesheets`` (a layout's stylesheet parsed once a process), ``html_parsing`` (the
HTML parser's patterns cached) and ``drawing`` (a PDF drawn and kept back from
writing, through ``write_pdf``'s public finisher, so that pdf/tags.py finishes its
structure tree on pydyf's objects and it is written once).

WeasyPrint's public API typesets a document and writes its PDF; what it can, it
measures that way too (the page each sheet starts on, from ``Page.anchors``; a page's
width, ``Page.width``). A handout needs more, and WeasyPrint 70 has no public way to
it. The private parts used, all here, each with its contract test:

- ``Page._page_box`` and its boxes' ``position_y``, ``margin_height()``,
  ``content_box_y()``, ``height``, ``children``, ``element``, ``element_tag``,
  ``style[...]``, ``text``; ``MarginBox``, ``TextBox`` and ``AbsolutePlaceholder._box``
  (the box it holds): how much of its page a laid-out sheet takes, where its room to
  write is (to choose a fit step and give it its spare height); the weight and style
  of every piece of text (fonts.py checks each has a face); the page furniture's
  distance from the sheet's edge.
- ``box.height`` changed after layout and ``layout.background.layout_box_backgrounds``:
  a handout's notes area grown to the foot of its page without laying it out again.
- ``DocumentMetadata.generate_rdf_metadata`` and the XMP packet around it: one packet
  for each PDF split from a batch, with its own title.
- ``weasyprint.pdf.fonts.harfbuzz_subset`` (and ``text.ffi.harfbuzz``): which font
  subsetter WeasyPrint uses, for reproducible builds and their tests.
- ``weasyprint.pdf.tags._build_box_tree``, replaced: page furniture and decoration
  tagged as artifacts (the contract test is in tests/test_accessibility.py); each
  element marked with the HTML element it was made for, the type (``data-pdf-tag``,
  em, strong, a list item's ``::before`` number) and reading order
  (``data-pdf-read``) a layout asks for, and a page-margin element with a
  ``data-pdf-tag`` tagged as content, for pdf/structure.py to finish (the
  ``tags``, ``nums`` and ``pdf.objects`` it is given, read as WeasyPrint 70 fills them);
  and the Span WeasyPrint makes for each piece of text folded into its element, the
  element holding the marked-content id (the Span left unreferenced).
- ``weasyprint.layout.inline.split_text_box`` and ``remove_last_whitespace``,
  wrapped: which piece of text ends a line broken at a space, so the tree reads
  it with a space after it (``ActualText``).
- ``weasyprint.layout.preferred.shrink_to_fit``, as ``weasyprint.layout.inline``,
  ``.float`` and ``.absolute`` import it, replaced (``widths``): the same width,
  with the min-content pass only when the max-content width does not fit.
- pydyf's ``PDF.page_references`` (pydyf is WeasyPrint's PDF writer), replaced
  (``page_references``): the same references, made once a document, not once an
  element.
- ``weasyprint.css.CSS``, as ``weasyprint.css.find_stylesheets`` makes each linked
  stylesheet with it, replaced (``stylesheets``), and the ``matcher``, ``page_rules``,
  ``layers`` and ``base_url`` of what it makes, and ``Pending._reported_error`` (a
  ``var()`` value warned about once): a layout's stylesheet parsed once a process, each
  document given its selectors and its page rules in their place, and its warnings.
- ``HTML._ua_stylesheets`` and ``weasyprint.html.UA``: a user-agent stylesheet without
  the footnote and note rules these documents never use, and with ``::marker`` only
  for list items, so WeasyPrint does not work out six pseudo-element styles for every
  element (about a tenth of a handout's time).

- The names ``weasyprint.text.ffi`` tries for each text library, loaded with
  ``ctypes.util.find_library`` answering from the loader's cache alone
  (``libraries``): the same files, without a compiler started for every name that is
  not there (about 0.15 s of CPU each time a process imports WeasyPrint).
- tinyhtml5's (WeasyPrint's HTML parser) ``inputstream.characters_until_regex``,
  replaced (``html_parsing``): its tokenizer's patterns cached under the key they are
  looked up by, as 2.1.0 means to and does not (half of parsing a batch of handouts).
- ``weasyprint.layout.percent.resolve_percentages`` (where it is defined and as the
  layout modules import it) and ``Box.is_in_normal_flow``, replaced
  (``box_questions``): the same answers in fewer steps (3.1 % of a handout's typesetting).

These tie the project to WeasyPrint 70.x (see the pin in pyproject.toml).
"""

# Installed when imported: each replaces a private part of WeasyPrint (see above).
# libraries first, before anything imports weasyprint, so that WeasyPrint's text
# libraries are loaded the quick way (html_parsing imports only tinyhtml5).
from dnaoc_print.typeset.weasyprint_adapter import html_parsing, libraries  # noqa: F401

# isort: split
from dnaoc_print.typeset.weasyprint_adapter import (  # noqa: F401
    box_questions,
    page_references,
    stylesheets,
    widths,
)
from dnaoc_print.typeset.weasyprint_adapter.drawing import Drawing, drawn, written
from dnaoc_print.typeset.weasyprint_adapter.fetching import (
    MAX_RESOURCE_BYTES,
    ProjectFetcher,
    RefusedResource,
)
from dnaoc_print.typeset.weasyprint_adapter.logs import collect_warnings
from dnaoc_print.typeset.weasyprint_adapter.pages import (
    LEAST_EDGE_MM,
    PDF_VARIANT,
    PagedDocument,
    check_page_furniture,
    pdf_variant,
    text_faces,
)
from dnaoc_print.typeset.weasyprint_adapter.rendering import render
from dnaoc_print.typeset.weasyprint_adapter.subsetting import (
    SUBSETTERS,
    available_subsetters,
    subsetter,
)
from dnaoc_print.typeset.weasyprint_adapter.tagging import ARTIFACT_ROLE
from dnaoc_print.typeset.weasyprint_adapter.user_agent import (
    MARKER_RULE,
    UNUSED_UA_RULES,
    TrimmedHTML,
    UserAgentMismatch,
    trimmed_ua_text,
)

__all__ = [
    "ARTIFACT_ROLE",
    "LEAST_EDGE_MM",
    "MARKER_RULE",
    "MAX_RESOURCE_BYTES",
    "PDF_VARIANT",
    "SUBSETTERS",
    "UNUSED_UA_RULES",
    "Drawing",
    "PagedDocument",
    "ProjectFetcher",
    "RefusedResource",
    "TrimmedHTML",
    "UserAgentMismatch",
    "available_subsetters",
    "check_page_furniture",
    "collect_warnings",
    "drawn",
    "pdf_variant",
    "render",
    "subsetter",
    "text_faces",
    "trimmed_ua_text",
    "written",
]
