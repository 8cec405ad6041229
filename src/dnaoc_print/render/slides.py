"""A guide's slide pack, decided from the model: which slides, in which order, with
which words on screen and which in the speaker notes. Pure: no I/O, no layout.

    title slide -> the theme (two to four slides) -> one slide a story
      -> the questions (one or two a slide) -> closing slide (credit, licence)

Every word comes from the guide (its front matter's ``slides`` group, or its
sections), the story catalogue, the shared wording (``slides`` in wording.yaml) or
the brand. The PDF layout (layouts/slides.html.j2) and the PowerPoint writer
(typeset/pptx_deck.py) both draw this same deck, so the two always hold the same slides.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from dnaoc_print.content.slide_plan import (
    QUESTIONS_PER_SLIDE,
    THEME_SLIDES,
    SlidePlan,
    ThemeSlide,
    section_headings,
)
from dnaoc_print.content.wording import fill
from dnaoc_print.model import Brand, Guide, Question, Story

TITLE, THEME, STORY, QUESTIONS, CLOSING = "title", "theme", "story", "questions", "closing"
# A default theme slide shows the first sentence of its section.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“'\"(])")
# Markdown that is not words: links keep their text, images and pull quotes go.
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)|\[(?P<ref>[^\]]*)\]\[[^\]]*\]")
_PULL_QUOTE = re.compile(r"^Pull quote:", re.IGNORECASE)


@dataclass(frozen=True)
class Slide:
    """One slide: its title, the words under it, and what to say while it shows.

    ``lines`` and ``notes`` are inline Markdown (emphasis only), a paragraph each.
    """

    kind: str
    title: str
    lines: tuple[str, ...] = ()
    # A short line above the title (the series name, "Story 2 of 4").
    kicker: str | None = None
    story: Story | None = None
    # The story's content warning, as printed: the label and the warning.
    warning: str | None = None
    # The questions shown, with their numbers in the guide.
    questions: tuple[Question, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deck:
    """A guide's slides, in order, and what its files are called and about."""

    slug: str
    title: str
    description: str
    slides: tuple[Slide, ...]
    organisation: str
    # What a PDF reader and PowerPoint call it ("Compassion: slides – DNA of Care ...").
    document_title: str = ""


def deck(guide: Guide, words: dict, brand: Brand, large_print: bool = False) -> Deck:
    """The slide pack of ``guide``: every slide, in order, with its notes. In large
    print each question has a slide of its own."""
    plan = guide.slides or SlidePlan()
    if large_print:
        plan = dataclasses.replace(plan, questions_per_slide=QUESTIONS_PER_SLIDE[0])
    slide_words = words["slides"]
    slides = [
        title_slide(guide, words, brand),
        *theme_slides(guide, plan),
        *story_slides(guide.stories, words),
        *question_slides(guide, plan, slide_words),
        closing_slide(words, brand),
    ]
    description = guide.summary or fill(words["guide"]["description"], title=guide.title)
    title = f"{fill(slide_words['deck_title'], title=guide.title)} – {words['series']}"
    return Deck(guide.slug, guide.title, description, tuple(slides), brand.organisation, title)


def title_slide(guide: Guide, words: dict, brand: Brand) -> Slide:
    lines = (guide.subtitle,) if guide.subtitle else ()
    notes = tuple(text for text in (guide.summary, words["slides"]["title_notes"]) if text)
    return Slide(TITLE, guide.title, lines, kicker=words["series"], notes=notes)


def theme_slides(guide: Guide, plan: SlidePlan) -> list[Slide]:
    """The theme as the guide's ``slides.theme`` says, or by default one slide for
    each of its first sections (two to four), showing the section's first sentence."""
    chosen = plan.theme or default_theme(guide.body)
    slides = []
    for theme in chosen:
        notes = [theme.notes] if theme.notes else []
        if theme.section:
            notes += section_paragraphs(guide.body, theme.section)
        slides.append(Slide(THEME, theme.title, theme.points, notes=tuple(notes)))
    return slides


def default_theme(body: str) -> tuple[ThemeSlide, ...]:
    """One theme slide for each of the guide's first sections, up to four."""
    slides = []
    for heading in section_headings(body)[: THEME_SLIDES[1]]:
        paragraphs = section_paragraphs(body, heading)
        if paragraphs:
            first = _SENTENCE_END.split(paragraphs[0], maxsplit=1)[0]
            slides.append(ThemeSlide(heading, (first,), section=heading))
    return tuple(slides)


def section_paragraphs(body: str, heading: str) -> list[str]:
    """The paragraphs of the guide's section under ``heading`` (up to the next
    heading), each on one line, links as their text, pull quotes left out (they
    repeat the section's own words)."""
    lines = body.splitlines()
    starts = [
        index
        for index, line in enumerate(lines)
        if (match := re.match(r"^#{2,3}\s+(.+?)\s*#*\s*$", line)) and match[1] == heading
    ]
    if not starts:
        return []
    paragraphs, current = [], []
    for line in lines[starts[0] + 1 :]:
        if line.startswith("#"):
            break
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return [_plain_links(p) for p in paragraphs if not _PULL_QUOTE.match(p)]


def _plain_links(text: str) -> str:
    return _LINK.sub(lambda match: match["text"] or match["ref"] or "", text)


def story_slides(stories: tuple[Story, ...], words: dict) -> list[Slide]:
    """A slide for each recommended story: what it is, who tells it, its warning."""
    slide_words = words["slides"]
    slides = []
    for number, story in enumerate(stories, 1):
        kicker = fill(slide_words["story_kicker"], number=str(number), count=str(len(stories)))
        warning = None
        notes = [story.summary]
        if story.content_note:
            warning = f"{words['content_warning_label']}: {story.content_note}"
            notes.append(fill(slide_words["warning_notes"], warning=story.content_note))
        notes.append(slide_words["story_notes"])
        lines = tuple(text for text in (story.storyteller, one_line_summary(story)) if text)
        slides.append(
            Slide(
                STORY,
                story.title,
                lines,
                kicker=kicker,
                story=story,
                warning=warning,
                notes=tuple(notes),
            )
        )
    return slides


def one_line_summary(story: Story) -> str:
    """The story in one sentence: its short summary, or its summary's first sentence."""
    return story.short_summary or _SENTENCE_END.split(story.summary, maxsplit=1)[0]


def question_slides(guide: Guide, plan: SlidePlan, slide_words: dict) -> list[Slide]:
    """The questions the plan names (all of them by default), one or two a slide."""
    numbers = plan.questions or tuple(range(1, len(guide.questions) + 1))
    shown = [guide.questions[number - 1] for number in numbers]
    size = plan.questions_per_slide
    return [
        Slide(
            QUESTIONS,
            slide_words["questions_title"],
            questions=tuple(shown[start : start + size]),
            notes=(slide_words["questions_notes"],),
        )
        for start in range(0, len(shown), size)
    ]


def closing_slide(words: dict, brand: Brand) -> Slide:
    slide_words = words["slides"]
    # The brand's contact line, or where the series can be found.
    lines = [words["handout"]["credit"], brand.contact or slide_words["series_page"]]
    return Slide(
        CLOSING,
        slide_words["closing_title"],
        tuple(lines),
        kicker=brand.organisation,
        notes=(slide_words["closing_notes"],),
    )


def short_address(url: str) -> str:
    """A story's address as printed under its code: without ``https://``, which
    browsers add themselves, so it is short enough to read and type from a slide."""
    return re.sub(r"^https?://", "", url)


_EMPHASIS = re.compile(r"(\*\*|__)(?P<strong>.+?)\1|(\*|_)(?P<em>.+?)\3")


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Inline Markdown as runs of (text, bold, italic), for a writer that is not HTML.

    Only emphasis is Markdown on a slide; links are written as their text.
    """
    text = _plain_links(text)
    runs: list[tuple[str, bool, bool]] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], False, False))
        if match["strong"] is not None:
            runs.append((match["strong"], True, False))
        else:
            runs.append((match["em"], False, True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False, False))
    return runs
