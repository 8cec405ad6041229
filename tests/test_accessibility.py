"""Every shipped PDF (every brand, every paper) read back as a screen reader and a
printer meet it: tags in reading order, artifacts, links, headings, type size,
distance from the sheet's edge, QR module size. Each rule is also shown to fail on
a PDF that breaks it (a shipped PDF mutated with pikepdf)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from dnaoc_print.build.engine import build
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import BuildError
from dnaoc_print.model import Guide, Handout, Project
from pdf_rules import (
    empty_elements,
    glyphs_near_edge,
    leaders_in_tree,
    link_problems,
    missing_pagination_artifacts,
    near_empty_pages,
    nested_headings,
    pages_starting_sections,
    pagination_in_tree,
    qr_code_links,
    qr_module_sizes_mm,
    repeated_text,
    small_text,
    split_addresses,
    untagged_content,
)
from pdf_structure_rules import (
    contents_problems,
    credit_problems,
    document_element,
    elements,
    folded,
    guide_sentences,
    handout_sentences,
    id_problems,
    imposed_content_problems,
    imposed_tree_text,
    missing_sentences,
    nested_section_problems,
    role,
    section_problems,
    story_card_problems,
    story_cards,
    tree_text,
    walk,
)
from pdf_tagged import PdfTags, kids

from conftest import (
    PROJECT_ROOT,
    BuiltProject,
    build_shipped_project,
    default_layouts,
    keep_only,
)

LEAST_QR_MODULE_MM = 0.6


@pytest.fixture(scope="module")
def built_letter_example_brand(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """Letter in the example brand (its footer is the longer one)."""
    return build_shipped_project(tmp_path_factory, "letter", brand="example-trust")


@pytest.fixture(scope="module")
def built_a5_example_brand(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """A5 in the example brand: the longer footer and taller headings on the small page.
    (Letter in the default brand is not built: its margins are those of the example
    brand's Letter build, with a shorter footer.)"""
    return build_shipped_project(tmp_path_factory, "a5", brand="example-trust")


def shipped_pdfs(built: BuiltProject) -> list[Path]:
    return sorted(
        outcome.target for outcome in built.report.outcomes if outcome.target.suffix == ".pdf"
    )


def check_all(
    path: Path, titles: set[str], addresses: list[str], reading: ReadingRules | None = None
) -> dict[str, list[str]]:
    from pdf_inspect import PdfFacts

    tags = PdfTags.open(path)
    results = {
        "pagination in the tree": pagination_in_tree(tags),
        "content outside the tree": untagged_content(tags),
        "leaders read as content": leaders_in_tree(tags),
        "text read twice": repeated_text(tags),
        "nested headings": nested_headings(tags),
        "empty elements": empty_elements(tags),
        "links": link_problems(tags),
        "QR code links": qr_code_links(tags, titles),
        "text under 10 pt": small_text(tags),
        "glyphs near the edge": glyphs_near_edge(tags),
        "pages more than 50 % empty": near_empty_pages(tags),
        "addresses broken inside their path": split_addresses(
            PdfFacts.open(path).page_texts(), addresses
        ),
        "QR modules under 0.6 mm": [
            f"{size:.3f} mm" for size in qr_module_sizes_mm(tags) if size < LEAST_QR_MODULE_MM
        ],
    }
    if "/guides/" in path.as_posix():
        results["page numbers not artifacts"] = missing_pagination_artifacts(tags)
    if reading is not None:
        results.update(reading.check(path, tags))
    return {rule: problems[:5] for rule, problems in results.items() if problems}


class ReadingRules:
    """The structure tree's shape, as a screen reader walks it (pdf_structure_rules):
    for a guide, its sections, contents, story cards and every sentence of its
    Markdown; for a handout, its credit, story cards and every sentence of its
    questions; for both, the ID tree."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.credit = project.words["handout"]["credit"]
        self._sentences: dict[str, list[str]] = {}

    def guide_of(self, path: Path) -> Guide:
        """The guide a PDF is of, by its name (compassion-a5-large-print.pdf)."""
        stem = path.stem
        return max(
            (g for g in self.project.guides if stem == g.slug or stem.startswith(g.slug + "-")),
            key=lambda g: len(g.slug),
        )

    def handout_of(self, path: Path) -> Handout:
        """The handout a PDF is of, by its name (compassion-archive.pdf)."""
        stem = path.stem
        return max(
            (h for h in self.project.handouts if stem == h.name or stem.startswith(h.name + "-")),
            key=lambda h: len(h.name),
        )

    def sentences(self, guide: Guide) -> list[str]:
        if guide.slug not in self._sentences:
            self._sentences[guide.slug] = guide_sentences(self.project, guide)
        return self._sentences[guide.slug]

    def check(self, path: Path, tags: PdfTags) -> dict[str, list[str]]:
        results = {"an /ID without the /IDTree": id_problems(tags)}
        if "/guides/" in path.as_posix():
            results["sections"] = section_problems(tags) + nested_section_problems(tags)
            results["contents"] = contents_problems(tags)
            results["story cards"] = story_card_problems(tags)
            results["sentences not read, or words joined"] = missing_sentences(
                tags, self.sentences(self.guide_of(path))
            )
        else:
            results["credit"] = credit_problems(tags, self.credit)
            results["questions not read, or words joined"] = missing_sentences(
                tags, handout_sentences(self.handout_of(path))
            )
            if story_cards(tags):
                results["story cards"] = story_card_problems(tags)
        return results


EDITIONS = [
    "built",
    "built_a5",
    "built_example_brand",
    "built_a5_example_brand",
    "built_letter_example_brand",
]


@pytest.mark.parametrize("fixture", EDITIONS)
def test_every_shipped_pdf_passes_every_rule(fixture: str, request) -> None:
    built = request.getfixturevalue(fixture)
    titles = {story.title for story in built.project.stories.values()}
    addresses = [story.url for story in built.project.stories.values()]
    failures = {}
    reading = ReadingRules(built.project)
    for path in shipped_pdfs(built):
        problems = check_all(path, titles, addresses, reading)
        if problems:
            failures[path.name] = problems
    assert not failures, failures


# The reading copies test_print_production.py's fixture builds besides the plain PDFs:
# the archive (PDF/A-2a) and large-print copies of a guide and a handout, and the
# guide in large print on A5, where story cards break across pages.
PRINTED_READING_COPIES = [
    ("guide", "-archive"),
    ("guide", "-large-print"),
    ("guide", "-a5-large-print"),
    ("handout", "-archive"),
    ("handout", "-large-print"),
]


@pytest.mark.parametrize(("kind", "variant"), PRINTED_READING_COPIES)
def test_archive_and_large_print_copies_read_as_one_document(
    printed, kind: str, variant: str
) -> None:
    path = getattr(printed, kind)(variant)
    reading = ReadingRules(load_project(PROJECT_ROOT))
    problems = {rule: found[:5] for rule, found in reading.check(path, PdfTags.open(path)).items()}
    assert not any(problems.values()), problems


# Imposed files (test_print_production.py's fixture) and the reading PDFs imposed.
IMPOSED = [
    ("guides/compassionate-leadership-booklet.pdf", "guides/compassionate-leadership-a5.pdf"),
    ("handouts/small-a5-two-up.pdf", "handouts/small-a5.pdf"),
    ("handouts/small-half-letter-two-up.pdf", "handouts/small-half-letter.pdf"),
]


@pytest.mark.parametrize(("imposed", "reading"), IMPOSED)
def test_booklets_and_two_up_sheets_keep_the_reading_structure(
    printed, imposed: str, reading: str
) -> None:
    """The sheets read as the reading PDF does: its tree, its text in its order,
    each piece of content once (a handout drawn twice is read once), every link in
    its Link element."""
    sheets = pikepdf.open(printed.out_dir / imposed)
    pages = PdfTags.open(printed.out_dir / reading)
    assert imposed_content_problems(sheets) == []
    assert folded(imposed_tree_text(sheets, pages)) == folded(tree_text(pages))
    [document] = elements(sheets.Root.StructTreeRoot)
    assert [role(e) for e in walk(document)] == [role(e) for e in walk(document_element(pages))]
    assert sheets.Root.MarkInfo.Marked


def test_a_batch_two_up_holds_each_handouts_structure(printed, tmp_path: Path) -> None:
    """A batch's handouts two to a sheet (the handout command's --from CSV --two-up):
    the tree holds each handout's in turn, credit and all, its IDs unique."""
    from dnaoc_print.pdf.imposition import A4, joined, two_up

    small = (printed.out_dir / "handouts/small-a5.pdf").read_bytes()
    both = tmp_path / "both.pdf"
    both.write_bytes(joined([small, small]))
    pages = PdfTags.open(both)
    credit = folded(load_project(PROJECT_ROOT).words["handout"]["credit"])
    assert folded(tree_text(pages)).count(credit) == 2
    assert [role(e) for e in elements(document_element(pages))].count("/Note") == 2
    assert id_problems(pages) == []
    sheets = pikepdf.open(io.BytesIO(two_up(both.read_bytes(), A4)[0]))
    assert imposed_content_problems(sheets) == []
    assert folded(imposed_tree_text(sheets, pages)) == folded(tree_text(pages))


def test_the_imposed_structure_rules_fail_on_sheets_without_it(
    printed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnaoc_print.pdf import imposition

    reading = (printed.out_dir / "handouts/small-a5.pdf").read_bytes()
    monkeypatch.setattr(imposition, "carry_structure", lambda *args: None)
    untagged, _ = imposition.finish_two_up(reading)
    assert imposed_content_problems(pikepdf.open(io.BytesIO(untagged)))
    monkeypatch.undo()
    tagged, _ = imposition.finish_two_up(reading)
    sheets = pikepdf.open(io.BytesIO(tagged))
    assert imposed_content_problems(sheets) == []
    for element in walk(elements(sheets.Root.StructTreeRoot)[0]):
        element.K = Array(
            [kid for kid in kids(element) if not (isinstance(kid, Dictionary) and "/Stm" in kid)]
        )
    assert imposed_content_problems(sheets)


def test_a_section_crossing_a_page_break_is_one_element(built: BuiltProject) -> None:
    """The compassion guide's theme and its advice for facilitators cross page
    breaks on A4 (issue 25): each is one section, the theme's subsections in it.
    (A paragraph crossing a page break: tests/test_weasyprint_contract.py.)"""
    tags = PdfTags.open(built.guide_pdf("compassion"))
    page_of = tags.page_index()
    sections = {
        tags.element_text(elements(section)[0]): section
        for section in elements(document_element(tags))
        if role(elements(section)[0]) == "/H2"
    }
    for heading in ("Compassion", "Advice for facilitators"):
        pages = {
            page_of[element.Pg.objgen]
            for element in _walk(sections[heading])
            if "/Pg" in element and element.get("/Type") != Name.MCR
        }
        assert len(pages) > 1, f"{heading!r} is on one page: pick a section that is not"
    nested = [role(kid) for kid in elements(sections["Compassion"])]
    assert nested.count("/Sect") >= 3, nested


def test_contents_links_are_described_with_their_page(built: BuiltProject) -> None:
    guide = built.project.guides[0]
    tags = PdfTags.open(built.guide_pdf(guide.slug))
    page_numbers = {page.obj.objgen: number for number, page in enumerate(tags.pdf.pages, 1)}
    destinations = {
        name: page_numbers[destination[0].objgen]
        for name, destination in pikepdf.NameTree(tags.pdf.Root.Names.Dests).items()
    }
    described = [
        (str(annotation.Contents), destinations[str(annotation.Dest)])
        for page in tags.pdf.pages
        for annotation in page.obj.get("/Annots", Array())
        if "/Dest" in annotation
    ]
    assert ("About the stories and their licence, page 2", 2) in described
    for description, page in described:
        assert description.endswith(f", page {page}"), description


class _ParsedLinkDescriptions(HTMLParser):
    """What pdf_tags.link_descriptions must find, read by Python's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        href, description = attributes.get("href"), attributes.get("data-description")
        if tag == "a" and href and description:
            self.found.setdefault(href.removeprefix("#"), description)


def parsed_link_descriptions(html: str) -> dict[str, str]:
    parser = _ParsedLinkDescriptions()
    parser.feed(html)
    parser.close()
    return parser.found


LINKS_WRITTEN_EVERY_WAY = """<!doctype html><html><head>
<style>a[data-description="x"]::after { content: "<a href='#s' data-description='No'>" }</style>
<script>const s = '<a href="https://script.example" data-description="Not a link">';</script>
</head><body>
<a href="https://a.example/?x=1&amp;y=2"
   data-description="Caf&eacute; &amp; &#39;friends&#39; &gt; 2">A</a>
<A DATA-DESCRIPTION='Single &quot;quoted&quot;' HREF='#sec-1'>B</A>
<a class=plain href=https://bare.example/path data-description=Bare>C</a>
<a href="https://a.example/?x=1&amp;y=2" data-description="Second for a target, ignored">D</a>
<!-- <a href="https://comment.example" data-description="Commented out"> -->
<a href="https://no-description.example">E</a>
<a href="https://empty.example" data-description="">F</a>
<abbr data-description="Not a link" href="https://abbr.example">G</abbr>
<area href="https://area.example" data-description="Not a link either">
<a
  href="#contents"
  data-description="Contents, page {page}"
>H</a>
<a href="https://gt.example" data-description="1 > 0" title="it's">I</a>
<a data-description="No target">J</a>
</body></html>"""


@pytest.mark.parametrize("text", ["Line\r\nbreak", "\u2018Touch\u2019 caf\u00e9", "\u0416 (x) \\"])
def test_a_text_string_written_on_the_drawn_pdf_reads_back_as_it_was(text: str) -> None:
    """Link descriptions and IDs are set on the PDF as drawn (pdf/drawn.py), encoded
    as pikepdf encodes them, every character read back as written."""
    from dnaoc_print.pdf.drawn import TextString

    assert str(pikepdf.Object.parse(TextString(text).data)) == text


def test_link_descriptions_are_read_as_an_html_parser_reads_them() -> None:
    """The build reads links' descriptions with regular expressions, not a parser:
    quoting, case, character references, comments, scripts and style sheets, and the
    first description of a target winning, all as Python's HTML parser has them."""
    from dnaoc_print.pdf.links import link_descriptions

    assert link_descriptions(LINKS_WRITTEN_EVERY_WAY) == {
        "https://a.example/?x=1&y=2": "Caf\u00e9 & 'friends' > 2",
        "sec-1": 'Single "quoted"',
        "https://bare.example/path": "Bare",
        "contents": "Contents, page {page}",
        "https://gt.example": "1 > 0",
    }
    assert link_descriptions(LINKS_WRITTEN_EVERY_WAY) == parsed_link_descriptions(
        LINKS_WRITTEN_EVERY_WAY
    )


def test_link_descriptions_of_every_shipped_document_match_an_html_parser() -> None:
    """Every guide and handout the shipped layouts render: the same links, with the
    same descriptions, as Python's HTML parser reads them."""
    from dnaoc_print.content.loading import load_project
    from dnaoc_print.pdf.links import link_descriptions

    project = load_project(PROJECT_ROOT)
    layouts = default_layouts(project)
    documents = [layouts.guide(guide) for guide in project.guides]
    documents += [layouts.handout(handout) for handout in project.handouts]
    described = 0
    for document in documents:
        found = link_descriptions(document.html)
        assert found == parsed_link_descriptions(document.html), document.title
        described += len(found)
    assert described > 0


@pytest.mark.parametrize("fixture", ["built_a5", "built_a5_example_brand"])
def test_a5_contents_and_series_list_share_a_page(fixture: str, request) -> None:
    """On A5 the list of the series is not pushed over onto a page of its own."""
    from pdf_inspect import PdfFacts

    built_a5 = request.getfixturevalue(fixture)
    titles = [guide.title for guide in built_a5.project.guides]
    for guide in built_a5.project.guides:
        pages = PdfFacts.open(built_a5.guide_pdf(guide.slug)).page_texts()
        contents = next(" ".join(text.split()) for text in pages if text.startswith("Contents"))
        assert all(title in contents for title in titles), guide.slug


@pytest.mark.parametrize("fixture", ["built_a5", "built_a5_example_brand"])
def test_a5_story_cards_share_pages(fixture: str, request) -> None:
    """On A5 two story cards share a page where they fit: one card a page left pages
    half empty (the 50 % rule above catches that too)."""
    from pdf_inspect import PdfFacts

    built_a5 = request.getfixturevalue(fixture)
    for guide in built_a5.project.guides:
        pages = PdfFacts.open(built_a5.guide_pdf(guide.slug)).page_texts()
        addresses = [story.url for story in guide.stories]
        # An address may wrap (at a '/'): read each page's text without line breaks.
        joined = ["".join(text.split()) for text in pages]
        with_cards = [text for text in joined if any(url in text for url in addresses)]
        assert 1 <= len(with_cards) <= (len(addresses) + 1) // 2 + 1, (guide.slug, len(with_cards))


def test_session_details_are_read_as_label_value_pairs(built: BuiltProject) -> None:
    """Each of a handout's session details is its label, then its value: two paragraphs
    side by side in one element, so a screen reader reads "Date", then "Tuesday 1
    December 2026", with nothing between them."""
    tags = PdfTags.open(shipped_handout(built))
    elements = [element for element, _, _ in tags.elements()]
    handout = next(h for h in built.project.handouts if h.name == "compassion")
    details = {}
    for element in elements:
        paragraphs = [kid for kid in kids(element) if isinstance(kid, Dictionary)]
        if len(paragraphs) == 2 and all(kid.get("/S") == Name.P for kid in paragraphs):
            label, value = (tags.element_text(kid) for kid in paragraphs)
            details[label] = value
    assert details["Date"] == "Tuesday 1 December 2026"
    assert details["Time"] == handout.session.time
    assert details["Venue"] == handout.session.venue
    # Read in the band's order: each label just before its value.
    texts = [tags.element_text(element) for element in elements if element.get("/S") == Name.P]
    date = texts.index("Date")
    assert texts[date : date + 4] == ["Date", details["Date"], "Time", details["Time"]]
    # No list and no table in the header band (the details were a list nested four
    # deep, then a table each: five tables of one cell a screen reader announced).
    header = next(element for element in elements if element.get("/S") == Name.H1).P
    assert not any(element.get("/S") in (Name.L, Name.Table) for element in _walk(header))


# -- each rule fails on a PDF that breaks it -------------------------------------------


def mutated(path: Path, tmp_path: Path, change) -> Path:
    pdf = pikepdf.open(path)
    change(pdf)
    target = tmp_path / f"broken-{path.name}"
    pdf.save(target)
    return target


def document_of(pdf: pikepdf.Pdf):
    root = pdf.Root.StructTreeRoot
    return root.K[0] if isinstance(root.K, Array) else root.K


def retag_artifacts(pdf: pikepdf.Pdf) -> None:
    """What the build did before: pagination artifacts tagged as content, put in the
    tree after the page's content."""
    document = document_of(pdf)
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    for page in pdf.pages:
        entries = parents[int(page.obj.StructParents)]
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and operands[0] == Name.Artifact:
                mcid = len(entries)
                element = pdf.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name.P, P=document, K=mcid, Pg=page.obj)
                )
                entries.append(element)
                document.K.append(element)
                operands = [Name.P, Dictionary(MCID=mcid)]
            instructions.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def test_reading_rules_fail_on_a_tree_shaped_by_its_pages(
    built: BuiltProject, tmp_path: Path
) -> None:
    """A section split at a page break, its second part without a heading; a lower
    heading loose in its section."""
    guide = built.guide_pdf("compassion")
    assert section_problems(PdfTags.open(guide)) == []

    def split_theme(pdf):
        document = document_of(pdf)
        sections = list(kids(document))
        theme = next(s for s in sections if len(elements(s)) > 4)
        parts = list(kids(theme))
        second = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Sect, P=document, K=Array(parts[3:]))
        )
        for kid in parts[3:]:
            kid.P = second
        theme.K = Array(parts[:3])
        at = sections.index(theme) + 1
        document.K = Array([*sections[:at], second, *sections[at:]])

    broken = PdfTags.open(mutated(guide, tmp_path, split_theme))
    assert any("does not open with a heading" in p for p in section_problems(broken))

    def loosen_subsections(pdf):
        for element in _walk(document_of(pdf)):
            loose = []
            for kid in kids(element):
                nested = isinstance(kid, Dictionary) and kid.get("/S") == Name.Sect
                if nested and element.get("/S") == Name.Sect:
                    loose.extend(kids(kid))
                else:
                    loose.append(kid)
            element.K = Array(loose)

    broken = PdfTags.open(mutated(guide, tmp_path, loosen_subsections))
    assert nested_section_problems(broken)


def test_contents_rule_fails_on_a_plain_list(built: BuiltProject, tmp_path: Path) -> None:
    def as_list(pdf):
        for element in _walk(document_of(pdf)):
            if element.get("/S") == Name.TOC:
                element.S = Name.L
            elif element.get("/S") == Name.TOCI:
                element.S = Name.LI

    guide = built.guide_pdf("compassion")
    assert contents_problems(PdfTags.open(guide)) == []
    assert contents_problems(PdfTags.open(mutated(guide, tmp_path, as_list)))


def test_story_card_rule_fails_on_the_code_read_first(built: BuiltProject, tmp_path: Path) -> None:
    def code_first(pdf):
        for element in _walk(document_of(pdf)):
            parts = list(kids(element))
            codes = [
                kid
                for kid in parts
                if isinstance(kid, Dictionary)
                and kid.get("/S") == Name.Link
                and any(inner.get("/S") == Name.Figure for inner in elements(kid))
            ]
            if element.get("/S") == Name.Art and codes:
                element.K = Array([codes[0], *[kid for kid in parts if kid is not codes[0]]])

    for path in (built.guide_pdf("compassion"), shipped_handout(built)):
        assert story_card_problems(PdfTags.open(path)) == []
        broken = PdfTags.open(mutated(path, tmp_path, code_first))
        assert any("not its heading" in p for p in story_card_problems(broken))


def test_sentence_rule_fails_on_words_joined_at_line_ends(
    built: BuiltProject, tmp_path: Path
) -> None:
    """Without the space each line's last word is read with, words run together."""

    def without_spaces(pdf):
        for element in _walk(document_of(pdf)):
            if "/ActualText" in element:
                del element["/ActualText"]

    guide = built.guide_pdf("compassion")
    [compassion] = [g for g in built.project.guides if g.slug == "compassion"]
    wanted = guide_sentences(built.project, compassion)
    assert missing_sentences(PdfTags.open(guide), wanted) == []
    missing = missing_sentences(PdfTags.open(mutated(guide, tmp_path, without_spaces)), wanted)
    assert len(missing) > len(wanted) // 2, missing


def test_credit_rule_fails_on_the_credit_as_page_furniture(
    built: BuiltProject, tmp_path: Path
) -> None:
    def drop_credit(pdf):
        document = document_of(pdf)
        document.K = Array([kid for kid in kids(document) if kid.get("/S") != Name.Note])

    handout = shipped_handout(built)
    credit = built.project.words["handout"]["credit"]
    assert credit_problems(PdfTags.open(handout), credit) == []
    assert credit_problems(PdfTags.open(mutated(handout, tmp_path, drop_credit)), credit)


def test_id_rule_fails_without_the_id_tree(built: BuiltProject, tmp_path: Path) -> None:
    def drop_id_tree(pdf):
        del pdf.Root.StructTreeRoot["/IDTree"]

    handout = shipped_handout(built)
    assert id_problems(PdfTags.open(handout)) == []
    assert id_problems(PdfTags.open(mutated(handout, tmp_path, drop_id_tree)))


def test_pagination_rule_fails_on_page_numbers_read_as_content(
    built: BuiltProject, tmp_path: Path
) -> None:
    broken = PdfTags.open(mutated(built.guide_pdf("compassion"), tmp_path, retag_artifacts))
    assert pagination_in_tree(broken)
    assert missing_pagination_artifacts(broken)


def test_untagged_rule_fails_on_orphaned_marked_content(
    built: BuiltProject, tmp_path: Path
) -> None:
    def orphan_first_paragraph(pdf):
        document = document_of(pdf)
        document.K = Array(list(document.K)[1:])

    broken = PdfTags.open(mutated(built.guide_pdf("compassion"), tmp_path, orphan_first_paragraph))
    assert untagged_content(broken)


def test_heading_and_empty_element_rules_fail(built: BuiltProject, tmp_path: Path) -> None:
    def nest_and_empty(pdf):
        for element in _walk(document_of(pdf)):
            if element.get("/S") == Name.H2:
                inner = pdf.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name.H2, P=element, K=Array())
                )
                element.K = Array([*kids(element), inner])
                return

    broken = PdfTags.open(mutated(built.guide_pdf("compassion"), tmp_path, nest_and_empty))
    assert nested_headings(broken)
    assert empty_elements(broken)


def test_link_rules_fail_on_a_second_annotation_and_a_slug(
    built: BuiltProject, tmp_path: Path
) -> None:
    def duplicate_and_slug(pdf):
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", Array()):
                if "/Dest" in annotation:
                    annotation.Contents = pikepdf.String(str(annotation.Dest))
                    return
        raise AssertionError("no internal link")

    broken = PdfTags.open(mutated(built.guide_pdf("compassion"), tmp_path, duplicate_and_slug))
    assert link_problems(broken)

    def second_qr_annotation(pdf):
        page = next(page for page in pdf.pages if "/URI" in str(page.obj.get("/Annots")))
        first = next(a for a in page.obj.Annots if "/A" in a)
        copy = pdf.make_indirect(Dictionary({key: first[key] for key in first}))
        del copy["/StructParent"]
        page.obj.Annots.append(copy)

    handout = shipped_handout(built)
    titles = {story.title for story in built.project.stories.values()}
    broken = PdfTags.open(mutated(handout, tmp_path, second_qr_annotation))
    assert qr_code_links(broken, titles)
    assert link_problems(broken)


def test_leader_and_repeated_text_rules_fail(built: BuiltProject, tmp_path: Path) -> None:
    tags = PdfTags.open(built.guide_pdf("compassion"))
    # A paragraph tagged twice reads twice; dots tagged as text read as leaders.
    paragraph = next(
        element
        for element, _, _ in tags.elements()
        if element.get("/S") == Name.P and len(tags.element_text(element).split()) > 8
    )

    def read_twice(pdf):
        document = document_of(pdf)
        target = next(e for e in _walk(document) if e.objgen == paragraph.objgen)
        twin = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.P, P=document, K=Array(kids(target)))
        )
        document.K.append(twin)

    broken = PdfTags.open(mutated(built.guide_pdf("compassion"), tmp_path, read_twice))
    assert repeated_text(broken)

    dotted = PdfTags.open(built.guide_pdf("compassion"))
    for item in dotted.texts:
        if item.mcid is not None and item.text.strip():
            item.text = "...."
            break
    assert leaders_in_tree(dotted)


def test_size_edge_and_module_rules_fail(built: BuiltProject, tmp_path: Path) -> None:
    tags = PdfTags.open(shipped_handout(built))
    tags.texts[0].size_pt = 9.0
    assert small_text(tags)

    def shift_content(pdf):
        # Move everything on the page 30 mm left: the words run off the edge, and
        # scale the page down so codes print smaller.
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"0.5 0 0 0.5 -85 0 cm"), prepend=True)

    broken = PdfTags.open(mutated(shipped_handout(built), tmp_path, shift_content))
    assert glyphs_near_edge(broken)
    assert min(qr_module_sizes_mm(broken)) < LEAST_QR_MODULE_MM


def test_address_rule_fails_on_a_path_broken_across_lines() -> None:
    address = "https://www.patientvoices.org.uk/flv/1006pv384.htm"
    whole = "Touch\nhttps://www.patientvoices.org.uk/\nflv/1006pv384.htm\nnext"
    broken = "Touch\nhttps://www.patientvoices.org.uk/flv/\n1006pv384.htm\nnext"
    assert split_addresses([whole], [address]) == []
    assert split_addresses([broken], [address])


def test_near_empty_rule_fails_on_a_page_holding_one_line(built: BuiltProject) -> None:
    tags = PdfTags.open(built.guide_pdf("compassion"))
    assert near_empty_pages(tags) == []
    starts = pages_starting_sections(tags)
    # A page in the middle of a section, cut down to its first line.
    page = next(n for n in range(1, len(starts) - 1) if not starts[n + 1])
    first = next(item for item in tags.texts if item.page == page and item.artifact is None)
    tags.texts = [
        item
        for item in tags.texts
        if item.page != page or item.artifact is not None or item is first
    ]
    tags.images = [item for item in tags.images if item.page != page]
    assert near_empty_pages(tags)


def test_a_footer_that_cannot_fit_is_a_clear_error(project_dir: Path) -> None:
    brand = project_dir / "brands" / "example-trust" / "brand.yaml"
    text = brand.read_text()
    long_footer = "Northdale Community Health · " + "Learning and Organisational Development · " * 6
    brand.write_text(
        text.replace(
            "footer: Northdale Community Health · Learning and Organisational Development",
            f"footer: {long_footer.strip(' ·')}",
        )
    )
    from dnaoc_print.brands.loading import load_brand
    from dnaoc_print.content.loading import load_project
    from dnaoc_print.render.templating import Templates
    from dnaoc_print.typeset.typesetting import lay_out

    project = load_project(project_dir)
    layouts = Templates(project, load_brand(project_dir, "example-trust")[0])
    handout = next(h for h in project.handouts if h.name == "single-story-stay")
    document = layouts.handout(handout, fit=2)
    with pytest.raises(BuildError, match="footer.*Northdale Community Health.*8 mm"):
        lay_out(document, "single-story-stay", [project_dir])


def typeset_tags(folder: Path, html: str) -> PdfTags:
    """A one-page HTML document typeset and finished as a guide is, read back."""
    from dnaoc_print.pdf.splitting import complete_structure
    from dnaoc_print.render.templating import RenderedDocument
    from dnaoc_print.typeset.typesetting import typeset

    result = typeset(RenderedDocument(html, "Contract", folder), "contract", [folder])
    path = folder / "contract.pdf"
    path.write_bytes(complete_structure(result, html))
    return PdfTags.open(path)


def test_weasyprint_tagging_contract(tmp_path: Path) -> None:
    """The private WeasyPrint function typesetting.py replaces still tags what a page
    margin holds and aria-hidden decoration apart, so the build makes them artifacts.
    Fails loudly if WeasyPrint renames or reshapes weasyprint.pdf.tags._build_box_tree."""
    html = (
        '<html lang="en"><head><title>Contract</title><style>'
        '@page { margin: 30mm; @top-left { content: "Running title" }'
        ' @bottom-right { content: "Page " counter(page) } }</style></head>'
        "<body><p>Read this sentence.</p>"
        '<p aria-hidden="true">Decoration only.</p></body></html>'
    )
    tags = typeset_tags(tmp_path, html)
    assert [" ".join(text.split()) for _, text in tags.reading_order()] == ["Read this sentence."]
    artifacts = {(item.text.strip(), item.artifact) for item in tags.texts if item.artifact}
    assert artifacts >= {
        ("Running title", "Pagination"),
        ("Page 1", "Pagination"),
        ("Decoration only.", "Layout"),
    }
    assert untagged_content(tags) == []
    subtypes = [
        str(operands[1].get("/Subtype"))
        for operands, operator in pikepdf.parse_content_stream(tags.pdf.pages[0])
        if str(operator) == "BDC" and operands[0] == Name.Artifact and "/Subtype" in operands[1]
    ]
    assert sorted(subtypes) == ["/Footer", "/Header"]


def test_what_is_drawn_with_opacity_is_made_an_artifact_too(tmp_path: Path) -> None:
    """WeasyPrint draws what an element with opacity holds in a group (a form XObject)
    with the page's marked-content ids: decoration and page furniture there become
    artifacts as on the page itself (a brand's stylesheet may fade its footer), and
    the faded content is read."""
    html = (
        '<html lang="en"><head><title>Contract</title><style>'
        '@page { margin: 30mm; @bottom-right { content: "Page " counter(page); opacity: 0.6 } }'
        '</style></head><body><p>Read this sentence.</p><div style="opacity: 0.5">'
        '<p aria-hidden="true">Decoration only.</p><p>Faded but read.</p></div></body></html>'
    )
    tags = typeset_tags(tmp_path, html)
    assert [" ".join(text.split()) for _, text in tags.reading_order()] == [
        "Read this sentence.",
        "Faded but read.",
    ]
    kinds = {item.text.strip(): item.artifact for item in tags.texts}
    assert kinds["Decoration only."] is not None
    assert kinds["Page 1"] is not None
    assert kinds["Faded but read."] is None
    assert untagged_content(tags) == []


def test_marked_content_not_drawn_as_weasyprint_draws_it_fails_loudly(
    tmp_path: Path, monkeypatch
) -> None:
    """Page furniture whose marked content is found neither on its page nor in a group
    there stops the build, rather than leave it tagged content the tree no longer holds."""
    from dnaoc_print.pdf import tags as pdf_tags

    monkeypatch.setattr(pdf_tags, "_artifacts_in", lambda stream, kinds: set())
    html = (
        '<html lang="en"><head><title>Contract</title><style>'
        '@page { margin: 30mm; @bottom-right { content: "Page " counter(page) } }'
        "</style></head><body><p>Read this sentence.</p></body></html>"
    )
    with pytest.raises(RuntimeError, match="not drawn as WeasyPrint 70 draws it"):
        typeset_tags(tmp_path, html)


# Brand contact lines whose number falls where a line breaks (between "01234" and
# "567890", when nothing keeps them together): on an A5 guide's back page, and in the
# credit at the foot of an A4 handout.
GUIDE_CONTACT = "Questions about these sessions: please call the learning team on 01234 567890"
HANDOUT_CONTACT = "Questions about sessions? Ring 01234 567890"


def lines_with_number(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if "01234" in line or "567890" in line]


def test_a_phone_number_in_a_contact_line_stays_on_one_line(project_dir: Path) -> None:
    """A brand's contact line, on an A5 guide's back page and at the foot of a handout,
    read back line by line from the PDF: the number is never split."""
    from pdf_inspect import PdfFacts

    root = keep_only(project_dir, ("compassion",))
    brand = root / "brands/example-trust/brand.yaml"
    shipped = brand.read_text()

    brand.write_text(re.sub(r"^contact: .*$", f'contact: "{GUIDE_CONTACT}"', shipped, flags=re.M))
    report = build(root, root / "build", paper="a5", brand="example-trust")
    assert not report.failed, report.failed[0].error
    back_page = PdfFacts.open(root / "build/guides/compassion-a5.pdf").page_texts()[-1]
    [line] = lines_with_number(back_page)
    assert line.endswith("01234 567890"), back_page

    brand.write_text(re.sub(r"^contact: .*$", f'contact: "{HANDOUT_CONTACT}"', shipped, flags=re.M))
    handout = root / "handout.pdf"
    made = make_handouts(
        root, overrides={"stories": ("stay",)}, output=handout, brand="example-trust"
    )
    assert not made.failed, made.failed[0].error
    [line] = lines_with_number(PdfFacts.open(handout).page_texts()[0])
    assert line.endswith("01234 567890"), line


def shipped_handout(built: BuiltProject) -> Path:
    return built.out_dir / "handouts" / "compassion.pdf"


def _walk(element):
    yield element
    for kid in kids(element):
        if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
            yield from _walk(kid)
