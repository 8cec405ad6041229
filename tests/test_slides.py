"""The slide pack of each guide (build/slides/): the 16:9 PDF a room sees, the
speaker notes, and the .pptx a facilitator edits, read as their users meet them.

One guide's pack is built once for the detailed checks; the cheap counts cover all
five guides from the slides' plan alone.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from click.testing import CliRunner
from pikepdf import Dictionary, Name
from pptx import Presentation
from pptx.util import Emu

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.engine import build
from dnaoc_print.build.manifest import Manifest
from dnaoc_print.build.slide_documents import finish_notes, notes_document, slides_document
from dnaoc_print.build.slide_jobs import slide_targets
from dnaoc_print.cli.main import main
from dnaoc_print.content.brand_folders import DEFAULT_BRAND
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.wording import fill
from dnaoc_print.render.slides import STORY, Deck, deck, short_address
from dnaoc_print.render.templating import Templates
from dnaoc_print.typeset.pptx_deck import write_pptx
from dnaoc_print.typeset.typesetting import typeset
from pdf_tagged import POINTS_PER_MM, PdfTags, kids

from conftest import PROJECT_ROOT, copy_project, keep_only
from pdf_inspect import PdfFacts, plain

GUIDE = "compassion"
SLIDE_MM = (254, 142.9)
EDGE = 0.05  # projectors crop the outer 5 %
LIBREOFFICE_HINT = (
    "install Debian's LibreOffice Impress with: sudo apt-get install libreoffice-impress"
)


class Pack:
    """One guide's slide pack as built, with the deck it was made from."""

    def __init__(self, root: Path, out_dir: Path) -> None:
        self.root, self.out_dir = root, out_dir
        self.project = load_project(root)
        brand = load_brand(root, DEFAULT_BRAND)[0]
        self.deck: Deck = deck(self.project.guide(GUIDE), self.project.words, brand)
        self.pdf, self.notes, self.pptx = slide_targets(out_dir, GUIDE)


@pytest.fixture(scope="session")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    root = keep_only(copy_project(tmp_path_factory.mktemp("slides") / "project"), (GUIDE,))
    report = build(root, root / "build", slides=True)
    assert not report.failed, [outcome.error for outcome in report.failed]
    return Pack(root, root / "build")


def test_the_pdf_is_16_9_and_the_pptx_has_the_same_slides(pack: Pack) -> None:
    facts = PdfFacts.open(pack.pdf)
    assert facts.page_count == len(pack.deck.slides)
    for width, height in PdfTags.open(pack.pdf).page_sizes:
        assert (round(width / POINTS_PER_MM, 1), round(height / POINTS_PER_MM, 1)) == SLIDE_MM
    presentation = Presentation(pack.pptx)
    assert len(presentation.slides) == facts.page_count
    size = (Emu(presentation.slide_width).mm, Emu(presentation.slide_height).mm)
    assert (round(size[0], 1), round(size[1], 1)) == SLIDE_MM


def test_every_story_code_scans_from_a_projected_slide(pack: Pack) -> None:
    """At 72 dpi (a projector's image) each story slide's code reads as the
    catalogue's address, and the short address printed on it is that address."""
    pages = PdfTags.open(pack.pdf)
    facts = PdfFacts.open(pack.pdf)
    stories = [(n, s.story) for n, s in enumerate(pack.deck.slides) if s.kind == STORY]
    assert len(stories) == len(pack.project.guide(GUIDE).stories) == 4
    import pypdfium2

    document = pypdfium2.PdfDocument(pack.pdf)
    try:
        for number, story in stories:
            image = document[number].render(scale=1, grayscale=True).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            assert [code.text for code in codes] == [story.url], story.title
            printed = short_address(story.url)
            assert printed in facts.page_texts()[number]
            assert story.url.split("://", 1)[1] == printed
    finally:
        document.close()
    # The code and the address both link to the story.
    assert {story.url for _, story in stories} <= set(facts.link_uris())
    assert pages.pdf is not None


def heading_marks(tags: PdfTags) -> set[tuple[int, int]]:
    """(page, marked-content id) of the text of every slide title (H1 and H2)."""
    pages = tags.page_index()
    marks = set()

    def walk(node, page):
        if "/Pg" in node:
            page = pages.get(node.Pg.objgen, page)
        for kid in kids(node):
            if isinstance(kid, int):
                marks.add((page, kid))
            elif kid.get("/Type") == Name.MCR:
                marks.add((pages.get(kid.Pg.objgen, page), int(kid.MCID)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") != Name.OBJR:
                walk(kid, page)

    for element, _, page in tags.elements():
        if element.get("/S") in ("/H1", "/H2"):
            walk(element, page)
    return marks


def test_no_text_under_24_pt_and_titles_at_least_36(pack: Pack) -> None:
    tags = PdfTags.open(pack.pdf)
    sizes = [item.size_pt for item in tags.texts if item.text.strip()]
    assert sizes and min(sizes) >= 24 - 0.05, min(sizes)
    titles = heading_marks(tags)
    title_sizes = {
        item.page: item.size_pt
        for item in tags.texts
        if item.text.strip() and (item.page, item.mcid) in titles
    }
    # Every slide has a title, and none is under 36 pt.
    assert sorted(title_sizes) == list(range(len(pack.deck.slides)))
    assert min(title_sizes.values()) >= 36, title_sizes


def test_nothing_within_5_percent_of_the_edge(pack: Pack) -> None:
    tags = PdfTags.open(pack.pdf)
    for item in [*tags.texts, *tags.images]:
        if not item.text.strip() and item in tags.texts:
            continue
        width, height = tags.page_sizes[item.page]
        left, bottom, right, top = item.box
        assert left >= width * EDGE and right <= width * (1 - EDGE), (item.page, item.text)
        assert bottom >= height * EDGE and top <= height * (1 - EDGE), (item.page, item.text)


def test_the_slides_read_in_order_and_are_titled(pack: Pack) -> None:
    """Each slide's title is a heading, in order; each code is a figure with its
    alternative text; the PDF has the guide's title and the slides as its outline."""
    tags = PdfTags.open(pack.pdf)
    headings = [
        tags.element_text(element)
        for element, _, _ in tags.elements()
        if element.get("/S") in ("/H1", "/H2")
    ]
    assert headings == [slide.title for slide in pack.deck.slides]
    facts = PdfFacts.open(pack.pdf)
    alt = pack.project.words["qr_alt"]
    stories = [s.story for s in pack.deck.slides if s.kind == STORY]
    assert facts.structure_alt_texts() == [fill(alt, title=story.title) for story in stories]
    assert facts.structure_problems() == []
    title = "Compassion: slides – DNA of Care guides for facilitators"
    assert facts.metadata["/Title"] == pack.deck.document_title == title
    assert [title for title, _ in facts.outline()] == headings
    # On a story slide the title comes first, then its words, then the code.
    order = [text for page, text in tags.reading_order() if page == 5 and text.strip()]
    assert plain(order[0]) == plain(stories[0].title)


def test_the_pptx_has_editable_titles_pictures_and_notes(pack: Pack) -> None:
    presentation = Presentation(pack.pptx)
    for slide, page in zip(pack.deck.slides, presentation.slides, strict=True):
        assert page.shapes.title is not None and page.shapes.title.text == slide.title
        frames = " ".join(shape.text_frame.text for shape in page.shapes if shape.has_text_frame)
        assert slide.title in frames
        pictures = [shape for shape in page.shapes if shape.shape_type == 13]
        notes = page.notes_slide.notes_text_frame.text
        if slide.kind == STORY:
            assert notes.strip() and slide.story.summary.split(".")[0] in notes
            assert len(pictures) == 1 and pictures[0].click_action.hyperlink.address == (
                slide.story.url
            )
            assert short_address(slide.story.url).split("/", 1)[1] in frames
            if slide.story.content_note:
                assert slide.story.content_note in notes
        else:
            assert not pictures
    assert presentation.core_properties.title == pack.deck.document_title


def test_the_pptx_is_the_same_run_to_run(pack: Pack, tmp_path: Path, monkeypatch) -> None:
    """Built again elsewhere, the .pptx is the same file; its date is SOURCE_DATE_EPOCH's."""
    root = keep_only(copy_project(tmp_path / "again"), (GUIDE,))
    (root / "content/handouts").mkdir(exist_ok=True)
    again = build(root, root / "build", slides=True)
    assert not again.failed
    for first in (pack.pdf, pack.notes, pack.pptx):
        assert (root / "build" / first.relative_to(pack.out_dir)).read_bytes() == (
            first.read_bytes()
        ), first.name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root, root / "build", slides=True)
    created = Presentation(slide_targets(root / "build", GUIDE)[2]).core_properties.created
    assert created.year == 2023 and created.month == 11


def test_the_speaker_notes_show_each_slide_beside_its_notes(pack: Pack) -> None:
    facts = PdfFacts.open(pack.notes)
    assert set(facts.page_sizes_mm()) == {(210, 297)}
    text = plain(facts.text())
    for slide in pack.deck.slides:
        assert plain(slide.title) in text
        for note in slide.notes:
            assert plain(note.replace("*", ""))[:40] in text
    warning = pack.project.stories["stay"].content_note
    assert warning in facts.text().replace("\n", " ")
    # A picture of every slide, each with its alternative text.
    thumbnails = [
        size for size in facts.image_sizes_mm() if abs(size[0] / size[1] - 254 / 142.9) < 0.05
    ]
    assert len(thumbnails) == len(pack.deck.slides)
    assert len(facts.structure_alt_texts()) == len(pack.deck.slides)
    assert min(PdfFacts.open(pack.notes).text_sizes()) >= 10


def test_the_slides_are_in_the_manifest_and_up_to_date_next_time(pack: Pack) -> None:
    manifest = Manifest(pack.out_dir)
    for target in (pack.pdf, pack.notes, pack.pptx):
        entry = manifest.outputs[manifest.key(target)]
        assert entry["inputs"]["source"] == f"content/guides/{GUIDE}.md"
    assert manifest.outputs[manifest.key(pack.pptx)]["pages"] == len(pack.deck.slides)
    again = build(pack.root, pack.out_dir, slides=True)
    assert not again.built and len(again.up_to_date) == 4


def test_libreoffice_converts_the_pptx(pack: Pack, tmp_path: Path) -> None:
    """Impress opens the .pptx (as PowerPoint would) and makes a page of each slide."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"libreoffice is missing: CI must run this test; {LIBREOFFICE_HINT}")
        pytest.skip(f"libreoffice is missing; {LIBREOFFICE_HINT}")
    profile = (tmp_path / "profile").as_uri()
    run = subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(pack.pptx)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    converted = tmp_path / f"{GUIDE}.pdf"
    assert converted.is_file(), run.stdout + run.stderr
    assert PdfFacts.open(converted).page_count == len(pack.deck.slides)


def test_every_guide_has_a_16_9_pdf_and_a_pptx_of_as_many_slides() -> None:
    """For all five guides: the slides typeset (no notes, to keep this quick) and the
    .pptx written from the same deck hold the same number of slides."""
    project = load_project(PROJECT_ROOT)
    brand = load_brand(project.root, DEFAULT_BRAND)[0]
    layouts = Templates(project, brand)
    assert len(project.guides) == 5
    for guide in project.guides:
        slides = deck(guide, project.words, brand)
        kinds = [slide.kind for slide in slides.slides]
        assert kinds[0] == "title" and kinds[-1] == "closing"
        assert 2 <= kinds.count("theme") <= 4 and kinds.count(STORY) == len(guide.stories)
        pdf = typeset(slides_document(layouts, slides), guide.slug, [project.root])
        assert pdf.page_count == len(slides.slides), guide.slug
        presentation = Presentation(io.BytesIO(write_pptx(slides, brand, project.words)))
        assert len(presentation.slides) == pdf.page_count


@pytest.mark.parametrize(("brand_name", "large_print"), [("example-trust", False), (None, True)])
def test_every_brand_and_large_print_fit(brand_name: str | None, large_print: bool) -> None:
    """In another brand's fonts, and in large print (nothing under 28 pt, a question a
    slide), every slide still takes one page."""
    project = load_project(PROJECT_ROOT)
    brand = load_brand(project.root, brand_name or DEFAULT_BRAND)[0]
    slides = deck(project.guide("resilience"), project.words, brand, large_print=large_print)
    document = slides_document(Templates(project, brand), slides, large_print=large_print)
    result = typeset(document, "resilience", [project.root])
    assert result.page_count == len(slides.slides)
    questions = [s for s in slides.slides if s.kind == "questions"]
    assert {len(s.questions) for s in questions} == ({1} if large_print else {2})
    if large_print:
        facts = PdfFacts(Path("large.pdf"), pypdf.PdfReader(io.BytesIO(result.pdf)))
        assert min(facts.text_sizes()) >= 28 - 0.05
    else:
        # The speaker notes, in the brand's own type, keep their page furniture clear
        # of the printer's margin (the build refuses a page that does not).
        notes = notes_document(Templates(project, brand), slides)
        pdf, pages = finish_notes(
            result.pdf,
            notes=notes,
            slide_count=len(slides.slides),
            source="resilience",
            allowed_roots=(project.root,),
        )
        assert pages >= 4 and pdf.startswith(b"%PDF")


def test_no_slides_leaves_them_out(tmp_path: Path) -> None:
    root = keep_only(copy_project(tmp_path / "project"), (GUIDE,))
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--no-slides"])
    assert result.exit_code == 0, result.output
    assert (root / "build/guides/compassion.pdf").is_file()
    assert not (root / "build/slides").exists()


def test_a_wrong_slides_group_is_named_with_its_line(tmp_path: Path) -> None:
    """A theme slide naming a section the guide lacks, too many theme slides, and a
    question number it does not have: each said with the file and line, and how to fix it."""
    root = keep_only(copy_project(tmp_path / "project"), (GUIDE,))
    guide = root / "content/guides/compassion.md"
    text = guide.read_text()
    text = text.replace("      section: Background and context\n", "      section: Backgrounds\n")
    text = text.replace("slides:\n", "slides:\n  questions: [1, 11]\n", 1)
    guide.write_text(text)
    result = CliRunner().invoke(main, ["check", "-C", str(root)])
    assert result.exit_code == 1
    lines = text.splitlines()
    section_line = lines.index("      section: Backgrounds") + 1
    question_line = lines.index("  questions: [1, 11]") + 1
    assert f"content/guides/compassion.md, line {section_line}" in result.output
    assert "names the section 'Backgrounds', which the guide does not have" in result.output
    assert "'Background and context'" in result.output
    assert f"content/guides/compassion.md, line {question_line}" in result.output
    assert "item 2 of 'slides.questions' is 11" in result.output
    assert "numbered 1 to 10" in result.output and "Traceback" not in result.output


def test_serve_lists_each_slide_pack_and_shows_its_slides(tmp_path: Path) -> None:
    """'Guides and handouts as pages' lists the slide packs; a pack's page shows one
    image a slide, 16:9, made by the same pipeline as the build."""
    import struct

    from dnaoc_print.web.app import create_app
    from dnaoc_print.web.preview import Workspace

    root = keep_only(copy_project(tmp_path / "project"), (GUIDE,))
    workspace = Workspace(root, workers=1)
    try:
        client = create_app(workspace, {"localhost"}).test_client()
        index = client.get("/pages", headers={"Host": "localhost"}).get_data(as_text=True)
        assert "Slide packs" in index and f'href="/pages/slides/{GUIDE}"' in index
        page = client.get(f"/pages/slides/{GUIDE}", headers={"Host": "localhost"})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        count = len(load_project(root).guide(GUIDE).stories)
        assert text.count(f"/pages/slides/{GUIDE}/") >= count
        image = client.get(f"/pages/slides/{GUIDE}/1.png", headers={"Host": "localhost"}).data
        width, height = struct.unpack(">II", image[16:24])
        assert abs(width / height - 254 / 142.9) < 0.01
        assert client.get("/pages/slides/nothing", headers={"Host": "localhost"}).status_code == 404
    finally:
        workspace.close()
