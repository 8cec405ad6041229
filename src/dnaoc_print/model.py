"""The content model: plain, immutable dataclasses with no I/O.

Loading (``loading.py``) builds these from ``content/``; every later stage reads
them and nothing writes back. Markdown stays Markdown here: turning it into HTML
is the next stage's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dnaoc_print.errors import ContentError

# Paper sizes a guide or handout can be printed on (layouts/paper-<name>.css).
PAPERS = ("a4", "a5", "letter")
# Half of US Letter (5.5 x 8.5 in): the page of a booklet on Letter paper (see
# print_outputs.py), and a handout's paper, to print two to a Letter sheet.
HALF_LETTER = "half-letter"
# Papers a handout can be made for: a guide's, and half-letter.
HANDOUT_PAPERS = (*PAPERS, HALF_LETTER)
ORIENTATIONS = ("portrait", "landscape")
# Handout layouts: story cards, one story with a large code, a question sheet.
HANDOUT_LAYOUTS = ("cards", "single", "questions")


@dataclass(frozen=True)
class Story:
    """One DNA of Care digital story from the catalogue (``content/stories.yaml``)."""

    id: str
    title: str
    url: str
    summary: str
    # One sentence for handouts, where six stories share a page.
    short_summary: str | None = None
    storyteller: str | None = None
    themes: tuple[str, ...] = ()
    content_note: str | None = None


@dataclass(frozen=True)
class Question:
    """A question for reflection, as Markdown.

    ``guide`` and ``number`` say where it came from when a handout borrows a
    guide's question (``compassion:3``); a question written out has neither.
    """

    text: str
    guide: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Guide:
    """One facilitator guide: front matter plus the Markdown of its theme."""

    slug: str
    title: str
    order: int
    source: Path
    body: str
    stories: tuple[Story, ...]
    questions: tuple[Question, ...]
    subtitle: str | None = None
    summary: str | None = None
    keywords: tuple[str, ...] = ()
    # Short citations (Markdown), printed after the theme.
    references: tuple[str, ...] = ()
    # Ruled space under each question for notes: "none" or "lines".
    question_notes: str = "none"
    # When the guide was last revised (YYYY-MM-DD), for the PDF's dates.
    updated: str | None = None
    # Which words go on its slides, from its front matter (None: the defaults).
    slides: SlidePlan | None = None


@dataclass(frozen=True)
class Session:
    """When and where a handout's session happens; every field is optional."""

    date: str | None = None
    time: str | None = None
    venue: str | None = None
    facilitator: str | None = None
    contact: str | None = None

    def is_empty(self) -> bool:
        return not any((self.date, self.time, self.venue, self.facilitator, self.contact))


@dataclass(frozen=True)
class Handout:
    """A one-page handout: from a spec in ``content/handouts/``, flags, or a CSV row.

    Story addresses already carry any campaign parameters (``link_params``), so the
    QR code, the printed address and the link are the same string.
    """

    name: str
    source: Path
    title: str
    stories: tuple[Story, ...]
    questions: tuple[Question, ...]
    subtitle: str | None = None
    session: Session = field(default_factory=Session)
    notes: str = "lines"
    # Text of its own, or True for the project's standard warning (wording.yaml).
    content_warning: str | bool | None = None
    paper: str = "a4"
    orientation: str = "portrait"
    layout: str = "cards"
    # A brand named in the spec; None means the brand the build was asked for.
    brand: str | None = None


@dataclass(frozen=True)
class FontFile:
    """One file of a font family: a weight and style, optionally for some characters only."""

    path: Path
    weight: int = 400
    style: str = "normal"
    unicode_range: str | None = None


@dataclass(frozen=True)
class FontFamily:
    family: str
    files: tuple[FontFile, ...]


@dataclass(frozen=True)
class Brand:
    """An organisation's look (``brands/<name>/brand.yaml`` or ``_brand.yml``), checked
    and complete.

    ``colours`` holds the five given colours (primary, secondary, accent, text,
    background) and four derived ones (on_primary, muted, tint, rule).
    """

    name: str
    folder: Path
    organisation: str
    colours: dict[str, str]
    body_font: FontFamily
    heading_font: FontFamily
    logo: Path | None = None
    footer: str | None = None
    contact: str | None = None
    css: Path | None = None
    # The brand's own layouts, searched before the project's.
    layouts: Path | None = None
    # What the brand file gives that is not used (a brand.yml field we have no place
    # for) or is taken from the default brand instead, each said once.
    notes: tuple[str, ...] = ()
    # An example shipped to show how a brand works (an imaginary organisation): the
    # composer offers it only when serve.toml's example_brands names it.
    example: bool = False


@dataclass(frozen=True)
class Broken:
    """An output that cannot be made: its own file, or a file it depends on (a story
    it shows, a guide whose questions it borrows, a shared section), has problems.

    ``errors`` name the file and line to fix, whichever file that is.
    """

    kind: str  # "guide" or "handout"
    name: str  # the guide's slug or the handout's name
    source: Path
    errors: tuple[ContentError, ...]
    # A broken guide's title and order, when they can still be read: every other
    # guide's series list names it, so one broken guide changes no other output.
    title: str | None = None
    order: int | None = None


@dataclass(frozen=True)
class SeriesEntry:
    """One guide as the series list in every guide names it."""

    slug: str
    title: str
    order: int


@dataclass(frozen=True)
class Project:
    """Everything under one project root that loaded and validated.

    Loaded with ``partial=True`` (see ``loading.load_project``), a project with
    broken files still holds everything that loaded: ``broken`` lists the guides and
    handouts that cannot be made and why, ``problems`` every problem found (each
    once, including those that stop no output, such as an unused broken story), and
    ``broken_stories`` / ``broken_questions`` why a story id, or a guide's numbered
    questions, cannot be used (for handouts made later from flags or CSV rows).
    """

    root: Path
    stories: dict[str, Story]
    guides: tuple[Guide, ...]
    handouts: tuple[Handout, ...]
    # Markdown written once and shared by every guide (content/shared/<name>.md).
    shared: dict[str, str]
    broken: tuple[Broken, ...] = ()
    problems: tuple[ContentError, ...] = ()
    broken_stories: dict[str, tuple[ContentError, ...]] = field(default_factory=dict)
    broken_questions: dict[str, tuple[ContentError, ...]] = field(default_factory=dict)
    # Every guide's numbered questions, when its questions list itself is sound
    # (even if something else in the guide is broken).
    questions: dict[str, tuple[Question, ...]] = field(default_factory=dict)
    # Printed words that belong to no guide, handout or story, by name
    # (content/shared/wording.yaml, see wording.py).
    words: dict = field(default_factory=dict)

    @property
    def series(self) -> tuple[SeriesEntry, ...]:
        """Every guide of the series in order, broken ones too where their title and
        order can be read, so a broken guide does not change what the others print."""
        entries = [SeriesEntry(g.slug, g.title, g.order) for g in self.guides]
        entries += [
            SeriesEntry(b.name, b.title, b.order)
            for b in self.broken
            if b.kind == "guide" and b.title and b.order is not None
        ]
        return tuple(sorted(entries, key=lambda entry: (entry.order, entry.title)))

    @property
    def unlisted_guides(self) -> tuple[Broken, ...]:
        """Broken guides whose title or order cannot be read: the series leaves them out."""
        return tuple(
            b for b in self.broken if b.kind == "guide" and (not b.title or b.order is None)
        )

    def guide(self, slug: str) -> Guide:
        return next(guide for guide in self.guides if guide.slug == slug)


@dataclass(frozen=True)
class ThemeSlide:
    """One idea of the guide's theme, shortened for a screen."""

    title: str
    points: tuple[str, ...]
    # The heading of the guide's section this slide stands for: its words are the notes.
    section: str | None = None
    # Speaker notes of its own, said before the section's words.
    notes: str | None = None


@dataclass(frozen=True)
class SlidePlan:
    """What a guide's front matter says about its slides (empty: every default)."""

    theme: tuple[ThemeSlide, ...] = ()
    # Numbers of the guide's questions to show, in order (empty: all of them).
    questions: tuple[int, ...] = ()
    questions_per_slide: int = 2
