"""The five guides, read from the PDFs, on A4 and on A5."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pypdfium2
import pytest

from dnaoc_print.build.engine import build
from dnaoc_print.content.loading import load_project

from conftest import PROJECT_ROOT, BuiltProject, copy_project, default_layouts
from pdf_inspect import PdfFacts, bundled_font_families

GUIDES = {
    "bringing-your-whole-self-to-work": "Bringing your whole self to work",
    "compassion": "Compassion",
    "compassionate-leadership": "Compassionate leadership",
    "improvement-and-change": "Improvement and change",
    "resilience": "Resilience",
}
SERIES_SECTIONS = [
    "About the stories and their licence",
    "The DNA of Care guides for facilitators",
    "Background and context",
    "References",
    "The power of stories",
    "Advice for facilitators",
    "Questions for reflection, discussion and debate",
    "About this guide",
]
PAPER_SIZES_MM = {"a4": (210, 297), "a5": (148, 210)}


@pytest.fixture(params=["a4", "a5"])
def edition(request: pytest.FixtureRequest) -> BuiltProject:
    return request.getfixturevalue("built" if request.param == "a4" else "built_a5")


def guides_of(edition: BuiltProject):
    for guide in edition.project.guides:
        yield guide, PdfFacts.open(edition.guide_pdf(guide.slug))


def test_all_five_guides_are_built_in_series_order(built: BuiltProject) -> None:
    assert {guide.slug: guide.title for guide in built.project.guides} == GUIDES
    assert [guide.title for guide in built.project.guides] == list(GUIDES.values())


def test_each_guide_follows_the_series_content_rules(built: BuiltProject) -> None:
    for guide in built.project.guides:
        assert len(guide.stories) >= 3, guide.slug
        assert 8 <= len(guide.questions) <= 12, guide.slug
        naming_a_story = [
            q
            for q in guide.questions
            if any(f"'{story.title}'" in q.text for story in built.project.stories.values())
        ]
        assert naming_a_story, f"{guide.slug}: no question names a story"
        assert guide.references, guide.slug


def test_page_size_matches_the_paper(edition: BuiltProject) -> None:
    for _, pdf in guides_of(edition):
        assert set(pdf.page_sizes_mm()) == {PAPER_SIZES_MM[edition.paper]}, pdf.path


def test_every_section_heading_and_story_title_is_in_the_text(edition: BuiltProject) -> None:
    layouts = default_layouts(edition.project)
    for guide, pdf in guides_of(edition):
        text = pdf.text()
        html = layouts.guide(guide, edition.paper).html
        headings = [
            re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
        ]
        for heading in [
            *SERIES_SECTIONS,
            guide.title,
            f"Stories for {guide.title.lower()}",
            *headings,
        ]:
            heading = heading.replace("&#39;", "\u2019").replace("&amp;", "&")
            assert " ".join(heading.split()) in text, (pdf.path.name, heading)
        for story in guide.stories:
            assert story.title in text, (pdf.path.name, story.title)


def test_story_urls_are_links_and_decodable_qr_codes(edition: BuiltProject) -> None:
    for guide, pdf in guides_of(edition):
        urls = sorted(story.url for story in guide.stories)
        assert set(urls) <= set(pdf.link_uris()), pdf.path.name
        decoded = sorted(url for page in pdf.decoded_qr_codes(dpi=150) for url in page)
        assert decoded == urls, pdf.path.name


def contents_entries(pdf: PdfFacts) -> list[tuple[str, int]]:
    """(title, printed page number) of each contents entry, as a reader pairs them:
    the number printed level with the entry's last line."""
    document = pypdfium2.PdfDocument(pdf.path)
    try:
        page = next(
            document[number]
            for number, text in enumerate(pdf.page_texts())
            if text.startswith("Contents")
        )
        textpage = page.get_textpage()
        pieces = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            pieces.append(((bottom + top) / 2, left, text))
    finally:
        document.close()
    # Pieces whose middles are within 4 pt of each other are on one line.
    lines: list[list[tuple[float, float, str]]] = []
    for piece in sorted(pieces, reverse=True):
        if lines and abs(lines[-1][0][0] - piece[0]) < 4:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    entries = []
    for line in lines:
        words = [text for _, _, text in sorted(line, key=lambda piece: piece[1])]
        if len(words) >= 2 and words[-1].isdigit():
            entries.append((" ".join(words[:-1]).strip(" ."), int(words[-1])))
    return entries


def test_contents_page_numbers_are_where_the_headings_land(edition: BuiltProject) -> None:
    for _, pdf in guides_of(edition):
        entries = contents_entries(pdf)
        assert len(entries) >= 8, pdf.path.name
        bookmarks = dict(pdf.outline())
        for title, page in entries:
            assert page > 0, (pdf.path.name, title)
            assert bookmarks[title] == page, (pdf.path.name, title, page, bookmarks[title])
            # And the heading really is printed on that page.
            printed = " ".join(pdf.page_texts()[page - 1].split())
            assert title in printed, (pdf.path.name, title)


def test_headings_become_bookmarks(edition: BuiltProject) -> None:
    for guide, pdf in guides_of(edition):
        titles = [title for title, _ in pdf.outline()]
        for section in ["The power of stories", "Advice for facilitators", guide.title]:
            assert section in titles, (pdf.path.name, section)


def test_tagged_with_alt_text_for_every_qr_code(edition: BuiltProject) -> None:
    for guide, pdf in guides_of(edition):
        assert pdf.is_tagged(), pdf.path.name
        # Every page's marked content belongs to an element of the tree (the running
        # title and page number are artifacts: see test_accessibility.py).
        assert pdf.structure_problems() == [], pdf.path.name
        assert pdf.language == "en-GB"
        alt_texts = pdf.structure_alt_texts("/Figure")
        for story in guide.stories:
            assert any(story.title in alt for alt in alt_texts), (pdf.path.name, story.title)
        # The helix on the cover is decoration: no figure without a QR code's text.
        assert all(alt.startswith("QR code") for alt in alt_texts), alt_texts


def test_metadata(built: BuiltProject) -> None:
    for guide, pdf in guides_of(built):
        metadata = pdf.metadata
        assert metadata["/Title"].startswith(guide.title)
        assert metadata["/Author"]
        assert metadata["/Subject"]
        assert guide.title in metadata["/Keywords"]


def test_only_bundled_fonts(edition: BuiltProject) -> None:
    bundled = bundled_font_families(PROJECT_ROOT / "fonts")
    for _, pdf in guides_of(edition):
        assert pdf.embedded_font_families() <= bundled, pdf.path.name


def test_body_text_is_at_least_11pt(edition: BuiltProject) -> None:
    for _, pdf in guides_of(edition):
        sizes = pdf.text_sizes()
        body_size = sizes.most_common(1)[0][0]
        assert body_size >= 11, (pdf.path.name, sizes)
        # Only running heads and feet, page numbers and printed addresses are smaller,
        # and none of them below 9.5 pt.
        assert min(sizes) >= 9.5, (pdf.path.name, sizes)
        small = sum(count for size, count in sizes.items() if size < 11)
        assert small / sum(sizes.values()) < 0.12, (pdf.path.name, sizes)


def test_lines_are_about_75_characters_at_most(edition: BuiltProject) -> None:
    for _, pdf in guides_of(edition):
        lengths = [
            len(line)
            for page in pdf.page_texts()[3:]
            for line in page.replace("\ufffe", "\n").splitlines()
            if "..." not in line
        ]
        assert max(lengths) <= 82, pdf.path.name
        assert statistics.quantiles(lengths, n=20)[-1] <= 75, pdf.path.name


def test_same_inputs_give_byte_identical_pdfs(tmp_path: Path, built: BuiltProject) -> None:
    root = copy_project(tmp_path / "again")
    build(root, root / "build")
    for guide in built.project.guides:
        first = built.guide_pdf(guide.slug).read_bytes()
        assert (root / "build/guides" / f"{guide.slug}.pdf").read_bytes() == first, guide.slug


def test_source_date_epoch_sets_the_dates(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    build(project_dir, project_dir / "build")
    metadata = PdfFacts.open(project_dir / "build/guides/resilience.pdf").metadata
    assert metadata["/CreationDate"] == "D:20251124160000Z"
    assert metadata["/ModDate"] == "D:20251124160000Z"


def test_without_a_date_the_pdf_carries_none(built: BuiltProject) -> None:
    assert "/CreationDate" not in PdfFacts.open(built.guide_pdf("compassion")).metadata


SIXTH_GUIDE = """\
---
title: Team meetings
order: 6
stories: [stay, critical-care, what-do-you-see]
questions:
  - What did you notice?
  - What surprised you?
  - What would you ask the storyteller?
  - What will you take back to your team?
  - What might be hard to hear?
  - Who else should see this story?
  - What would you change?
  - What will you do next?
references:
  - "A reference, 2024."
question_notes: lines
---

## Team meetings

A test guide, written as content alone.

### Background and context

Nothing here needs code.
"""


def test_a_sixth_guide_is_content_alone(project_dir: Path) -> None:
    (project_dir / "content/guides/team-meetings.md").write_text(SIXTH_GUIDE)
    report = build(project_dir, project_dir / "build")
    assert not report.failed
    pdf = PdfFacts.open(project_dir / "build/guides/team-meetings.pdf")
    text = pdf.text()
    assert "Team meetings" in text and "Stories for team meetings" in text
    assert sorted(u for page in pdf.decoded_qr_codes() for u in page) == sorted(
        story.url for story in load_project(project_dir).guide("team-meetings").stories
    )
    # The other guides list it in the series.
    assert "Team meetings" in PdfFacts.open(project_dir / "build/guides/compassion.pdf").text()
