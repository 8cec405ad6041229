"""The PDFs themselves, read as a reader would see them."""

from __future__ import annotations

import pytest

from conftest import PROJECT_ROOT, BuiltProject
from pdf_inspect import A4_MM, PdfFacts, bundled_font_families


def guide_pdf(built: BuiltProject, slug: str) -> PdfFacts:
    return PdfFacts.open(built.out_dir / "guides" / f"{slug}.pdf")


def handout_pdfs(built: BuiltProject):
    for handout in built.project.handouts:
        yield handout, PdfFacts.open(built.out_dir / "handouts" / f"{handout.name}.pdf")


def all_pdfs(built: BuiltProject):
    for guide in built.project.guides:
        yield guide.title, guide.stories, guide_pdf(built, guide.slug)
    for handout, pdf in handout_pdfs(built):
        yield handout.title, handout.stories, pdf


def test_every_page_is_a4(built: BuiltProject) -> None:
    for _, _, pdf in all_pdfs(built):
        assert set(pdf.page_sizes_mm()) == {A4_MM}, pdf.path


def test_handouts_are_exactly_one_page(built: BuiltProject) -> None:
    handouts = list(handout_pdfs(built))
    assert handouts
    for handout, pdf in handouts:
        assert pdf.page_count == 1, pdf.path
        # Typeset in a batch and split, each keeps a sound tag tree and its own title.
        assert pdf.is_tagged() and pdf.structure_problems() == [], pdf.path
        assert pdf.metadata["/Title"] == handout.title == pdf.xmp_title()


def test_guide_has_cover_and_body_pages(built: BuiltProject) -> None:
    pdf = guide_pdf(built, "compassionate-leadership")
    assert pdf.page_count >= 6
    text = pdf.text()
    for heading in (
        "About the stories and their licence",
        "The power of stories",
        "Advice for facilitators",
        "Questions for reflection, discussion and debate",
    ):
        assert heading in text
    assert "Page 2 of" in text


def test_title_and_language_are_set(built: BuiltProject) -> None:
    for title, _, pdf in all_pdfs(built):
        assert title in pdf.metadata["/Title"]
        assert pdf.language == "en-GB"


def test_every_embedded_font_comes_from_the_fonts_folder(built: BuiltProject) -> None:
    bundled = bundled_font_families(PROJECT_ROOT / "fonts")
    for _, _, pdf in all_pdfs(built):
        embedded = pdf.embedded_font_families()
        assert embedded, pdf.path
        assert embedded <= bundled, (pdf.path, embedded - bundled)


def test_each_story_url_is_a_link_and_printed(built: BuiltProject) -> None:
    for _, stories, pdf in all_pdfs(built):
        links, text, printed = set(pdf.link_uris()), pdf.text(), pdf.printed_urls()
        for story in stories:
            assert story.url in links, (pdf.path, story.url)
            assert story.url in printed, (pdf.path, story.url)
            assert story.title in text


@pytest.mark.parametrize("kind", ["guide", "handout"])
def test_every_qr_code_decodes_to_its_exact_story_url(built: BuiltProject, kind: str) -> None:
    documents = [
        (stories, pdf)
        for title, stories, pdf in all_pdfs(built)
        if ("/guides/" in str(pdf.path)) == (kind == "guide")
    ]
    assert documents
    for stories, pdf in documents:
        decoded = [url for page in pdf.decoded_qr_codes(dpi=150) for url in page]
        assert sorted(decoded) == sorted(story.url for story in stories), pdf.path
