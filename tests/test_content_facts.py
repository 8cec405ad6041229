"""Content safety: every story address is a verified one, no prose is copied, and the
corrections of the fact check stay made.

The first checks read the project's shared reference folder (``../shared`` beside the
project), which holds the verified story list and the copied-prose checker. They
are skipped where that folder is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dnaoc_print.content.loading import load_project

from conftest import PROJECT_ROOT, BuiltProject
from pdf_inspect import PdfFacts, plain

SHARED = PROJECT_ROOT.parent / "shared"
STORIES = "reference/stories.yaml"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")


@needs_shared
def test_every_story_is_a_verified_story_with_its_verified_address() -> None:
    verified = yaml.safe_load((SHARED / "reference/stories.yaml").read_text())
    verified_urls = {entry["title"]: entry["url"] for entry in verified}
    stories = load_project(PROJECT_ROOT).stories
    assert len(stories) == len(verified_urls)
    for story in stories.values():
        assert story.title in verified_urls, f"'{story.title}' is not a verified story"
        assert story.url == verified_urls[story.title], story.id


@needs_shared
def test_no_prose_is_copied_from_the_seed_guide() -> None:
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools/seed_overlap.py"), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout == "", result.stdout


# -- the fact-checked edition (issue 16): corrections a careless edit could undo ------


def guide_text(built: BuiltProject, slug: str) -> str:
    return plain(PdfFacts.open(built.guide_pdf(slug)).text())


def every_pdf(built: BuiltProject) -> list[Path]:
    return sorted(built.out_dir.rglob("*.pdf"))


def test_west_and_coia_needs_are_the_ones_their_review_names(built: BuiltProject) -> None:
    text = guide_text(built, "resilience")
    # West and Coia (2019, for the GMC): autonomy and control, belonging, competence.
    assert "(West and Coia, 2019)" in text
    assert "autonomy and control, belonging, and competence" in text
    # Contribution belongs to the King's Fund review of 2020, cited as such.
    assert "contribution in place of competence" in text
    assert "West M, Bailey S and Williams E (2020). The courage of compassion" in text
    assert "sense of making a contribution" not in text


def test_hillel_in_the_first_person_and_the_first_century_bce(built: BuiltProject) -> None:
    text = guide_text(built, "compassionate-leadership")
    assert "Rabbi Hillel the Elder posed in the first century BCE" in text
    assert "if I do not stand up for myself, who will? If I stand up only for myself" in text
    assert "who will stand up for us" not in text
    assert "first-century teacher" not in text


def test_the_compassionate_leadership_references_are_usable(built: BuiltProject) -> None:
    text = guide_text(built, "compassionate-leadership")
    assert "original" not in text.lower()
    # Beal is cited in the text as the source guide cites him, with no entry of his own.
    assert "'switched off' (Beal, 2010)" in text
    assert "Beal (2010)," not in text
    assert "Leading cultures of compassionate care (video). The King's Fund." in text
    assert "challenging imbalances of power" in text


def test_no_guide_claims_what_its_source_does_not(built: BuiltProject) -> None:
    improvement = guide_text(built, "improvement-and-change")
    assert "patients and staff above all" not in improvement
    assert "quality and safety of patient care above all other aims" in improvement
    assert "hear patients and carers at all times" in improvement
    compassion = guide_text(built, "compassion")
    assert "The words kind and kin share a root." in compassion
    assert "cynd" not in compassion and "point out that the word kind" not in compassion
    assert "respond actively to what matters most to staff" in compassion
    whole_self = guide_text(built, "bringing-your-whole-self-to-work")
    assert "her years as a Redcoat" not in whole_self


def test_the_notice_and_back_page_credit_the_right_people(built: BuiltProject) -> None:
    for slug in ("compassion", "resilience"):
        text = guide_text(built, slug)
        assert "free of charge" not in text
        # DNA of Care is the collection's name, not a publisher.
        assert "published by" not in text.lower()
        back_page = plain(PdfFacts.open(built.guide_pdf(slug)).page_texts()[-1])
        assert back_page.startswith("About this guide")
        assert "© Pilgrim Projects Limited" in back_page
        assert "pip@pilgrimprojects.co.uk" in back_page


def test_one_term_for_content_warnings_and_one_for_one_story(built: BuiltProject) -> None:
    for pdf in every_pdf(built):
        text = PdfFacts.open(pdf).text()
        assert "Content note" not in text and "Before you watch" not in text, pdf.name
        assert "these real stories" not in text, pdf.name
    sheet = PdfFacts.open(built.out_dir / "handouts/question-sheet-resilience.pdf").text()
    # The sheet shows Stay and Just five minutes more (titles and codes only): it warns once.
    assert sheet.count("Content warning:") == 1


def test_stories_say_only_what_the_reference_says() -> None:
    stories = load_project(PROJECT_ROOT).stories

    def words(story_id: str) -> str:
        story = stories[story_id]
        return " ".join(
            part or "" for part in (story.storyteller, story.summary, story.short_summary)
        )

    assert "background in palliative care" in stories["dis-integration"].storyteller
    assert "nurse" not in words("dis-integration")
    assert "facial tumours" in words("floristry-perhaps")
    assert "cancer" not in words("floristry-perhaps")
    assert "on the unit" not in words("stay") and "labour" not in words("stay")
    assert "becomes a patient" in words("touch") and "ill" not in words("touch").split()
    assert "hospital" not in words("just-five-minutes-more")
    for story_id in ("stay", "just-five-minutes-more", "critical-care"):
        assert stories[story_id].content_note, story_id


def test_every_story_theme_is_a_guide_that_shows_it() -> None:
    project = load_project(PROJECT_ROOT)
    shown_in = {
        story.id: {guide.slug for guide in project.guides if story in guide.stories}
        for story in project.stories.values()
    }
    for story in project.stories.values():
        assert set(story.themes) <= shown_in[story.id], story.id


@needs_shared
def test_story_addresses_are_written_whole_as_the_reference_writes_them() -> None:
    verified = {e["title"]: e["url"] for e in yaml.safe_load((SHARED / STORIES).read_text())}
    written = yaml.safe_load((PROJECT_ROOT / "content/stories.yaml").read_text())
    for entry in written:
        assert entry["url"] == verified[entry["title"]], entry["id"]


def test_every_pull_quote_is_a_line_of_its_text() -> None:
    for guide in load_project(PROJECT_ROOT).guides:
        body = [line for line in guide.body.splitlines() if not line.startswith("Pull quote:")]
        text = plain(" ".join(body)).lower()
        for line in guide.body.splitlines():
            if line.startswith("Pull quote:"):
                quote = plain(line.removeprefix("Pull quote:")).rstrip(".").lower()
                assert quote in text, f"{guide.slug}: '{quote}' is not in the text"
