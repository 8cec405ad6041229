"""Jinja layouts render whole HTML documents from the model.

Templates come from the project's ``layouts/`` folder. The environment autoescapes
everything (our layouts are all HTML, whatever their suffix) and uses
StrictUndefined, so a misspelt variable is an error rather than a blank on paper.
Content is only ever passed in as data: Markdown is converted to HTML first and
inserted as a finished fragment, so template syntax inside content is printed as
written, never evaluated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import math
import os
import re
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from dnaoc_print import __version__
from dnaoc_print.brands.loading import template_folders
from dnaoc_print.brands.logo import logo_src
from dnaoc_print.content.addresses import MarkdownSource, shared_path
from dnaoc_print.content.wording import fill
from dnaoc_print.errors import BuildError
from dnaoc_print.model import HALF_LETTER, PAPERS, Brand, Guide, Handout, Project, Story

# The documents this module renders; with_sheets and sheet_id are here for callers
# that gather sheets (preview, page_images).
from dnaoc_print.render.documents import (  # noqa: F401
    SHEETS_MARKER,
    HandoutSheet,
    RenderedDocument,
    sheet_id,
    with_sheets,
)
from dnaoc_print.render.markup import MarkdownRenderer
from dnaoc_print.render.qr import qr_image, qr_modules

# Every printed word comes from content/ (wording.yaml, the shared sections, the
# guides, handouts and stories) or the brand, never from here.
LANGUAGE = "en-GB"
# Handout shrink steps, defined in layouts/handout.css as .fit-0 to .fit-2.
FIT_STEPS = 3

# The fit step's class in a rendered sheet (layouts/handout-sheet.html.j2).
_FIT_CLASS = re.compile(r'\bfit-0"')
_HEADING = re.compile(r"<h2(?P<attributes>\s[^>]*)?>(?P<inner>.*?)</h2>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Heading:
    """A section heading of a document, for its contents list."""

    id: str
    text: str


def helix_points(rungs: int = 26, turns: float = 2.0) -> list[tuple[float, float, float]]:
    """Positions (left, top, bottom, in %) of the rungs of the cover's double helix.

    The layout draws the dots and rungs; only the trigonometry lives here.
    """
    points = []
    for index in range(rungs):
        x = index / (rungs - 1)
        y = 50 + 46 * math.sin(2 * math.pi * turns * x)
        top, bottom = sorted((y, 100 - y))
        points.append((round(x * 100, 2), round(top, 2), round(bottom, 2)))
    return points


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def identify_headings(document: str) -> tuple[str, list[Heading]]:
    """Give every ``<h2>`` a unique id made from its text; list them in order.

    Sections come from several Markdown files and the layout itself, so ids are
    assigned here, once, over the whole document.
    """
    headings: list[Heading] = []
    used: set[str] = set()

    def give_id(match: re.Match) -> str:
        attributes = re.sub(r'\s+id="[^"]*"', "", match["attributes"] or "")
        text = html_lib.unescape(_TAG.sub("", match["inner"])).strip()
        base = heading_id = f"s-{slugify(text)}"
        suffix = 2
        while heading_id in used:
            heading_id, suffix = f"{base}-{suffix}", suffix + 1
        used.add(heading_id)
        if "contents-title" not in attributes:
            headings.append(Heading(heading_id, text))
        return f'<h2 id="{heading_id}"{attributes}>{match["inner"]}</h2>'

    return _HEADING.sub(give_id, document), headings


def document_date(updated: str | None) -> str | None:
    """The date a PDF carries: from content, else SOURCE_DATE_EPOCH, never the clock."""
    if updated:
        return updated
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def check_paper(paper: str) -> None:
    if paper not in (*PAPERS, HALF_LETTER):
        raise BuildError(f"unknown paper size '{paper}': choose one of {', '.join(PAPERS)}")


def css_page_numbers(text: str) -> Markup:
    """'Page {page} of {pages}' as a CSS content value: strings and page counters.

    Every character of the words but letters, digits and spaces is written as a
    CSS escape, so wording can never end the string or the stylesheet.
    """
    values = []
    for piece in re.split(r"(\{pages?\})", text):
        if piece in ("{page}", "{pages}"):
            values.append(f"counter({piece[1:-1]})")
        elif piece:
            escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in piece)
            values.append(f'"{escaped}"')
    return Markup(" ".join(values) or '""')


def long_date(iso_date: str, weekdays: list[str], months: list[str]) -> str:
    """'2026-12-01' as 'Tuesday 1 December 2026' (British style, no leading zero),
    with the names of days and months from the project's wording."""
    date = dt.date.fromisoformat(iso_date)
    return f"{weekdays[date.weekday()]} {date.day} {months[date.month - 1]} {date.year}"


class Templates:
    """The Jinja environment for one project, with the helpers layouts may call."""

    def __init__(self, project: Project, brand: Brand) -> None:
        self.project = project
        self.brand = brand
        self.words = project.words
        self.markdown = MarkdownRenderer(project.root)
        # A brand's own layouts come first, then the project's.
        self._handout_documents: dict[tuple[str, str], RenderedDocument] = {}
        self.search_path = template_folders(project.root, brand)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.search_path),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["markdown"] = self.markdown.block
        self.env.filters["markdown_inline"] = self.markdown.inline
        self.env.filters["long_date"] = self.long_date
        self.env.filters["fill"] = fill
        self.env.filters["css_page_numbers"] = css_page_numbers
        self.env.globals.update(
            words=self.words,
            series_name=self.words["series"],
            language=LANGUAGE,
            generator=f"dnaoc-print {__version__}",
            qr_code=self.story_qr,
            qr_modules=qr_modules,
            shared=self.shared_section,
            # The series list: broken guides too, where their title can be read.
            all_guides=project.series,
            helix=helix_points(),
            brand=brand,
            # The logo's address in an <img>: see brands/logo.py for why not its path.
            logo_src=logo_src(brand.logo) if brand.logo else None,
        )

    def story_qr(self, story: Story) -> Markup:
        return qr_image(story.url, fill(self.words["qr_alt"], title=story.title))

    def long_date(self, iso_date: str) -> str:
        return long_date(iso_date, self.words["weekdays"], self.words["months"])

    def shared_section(self, name: str) -> Markup:
        text = self.project.shared[name]
        source = MarkdownSource.of_file(self.project.root, shared_path(name), text)
        return self.markdown.block(text, source)

    def render(self, template_name: str, **context: object) -> str:
        try:
            template = self.env.get_template(template_name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as error:
            raise BuildError(
                f"layouts/{error.name or template_name}, line {error.lineno}: {error.message}"
            ) from None
        except jinja2.TemplateNotFound as error:
            raise BuildError(f"layout '{error.name}' not found in layouts/") from None
        except jinja2.UndefinedError as error:
            raise BuildError(f"layout '{template_name}': {error.message}") from None

    def guide(self, guide: Guide, paper: str = "a4") -> RenderedDocument:
        """The whole guide; a first pass finds the section headings for the contents.

        Every guide has a contents list: each chapter starts on a new page, so even
        the shortest guide runs well past four pages.
        """
        check_paper(paper)
        self.markdown.take_problems()
        source = MarkdownSource.of_file(self.project.root, guide.source, guide.body)
        context = {
            "paper": paper,
            "guide": guide,
            "body": self.markdown.block(guide.body, source),
            "date": document_date(guide.updated),
        }
        _, contents = identify_headings(self.render("guide.html.j2", contents=[], **context))
        document, _ = identify_headings(self.render("guide.html.j2", contents=contents, **context))
        return RenderedDocument(
            html=document,
            title=guide.title,
            base_url=self.project.root / "layouts",
            fonts_key=self.brand.name,
            address_problems=tuple(self.markdown.take_problems()),
        )

    def handout_document(self, paper: str, orientation: str) -> RenderedDocument:
        """The document handouts on this paper are typeset in, with no sheets yet.

        Its title is the batch's; each handout's PDF gets its own when the pages are
        split (see ``HandoutSheet``).
        """
        key = (paper, orientation)
        if key not in self._handout_documents:
            handout_words = self.words["handout"]
            self._handout_documents[key] = self._handout_document(
                paper, orientation, handout_words["batch_title"], handout_words["description"]
            )
        return self._handout_documents[key]

    def _handout_document(
        self, paper: str, orientation: str, title: str, description: str
    ) -> RenderedDocument:
        check_paper(paper)
        html = self.render(
            "handout.html.j2",
            title=title,
            description=description,
            paper=paper,
            orientation=orientation,
            sheets=Markup(SHEETS_MARKER),
            date=document_date(None),
        )
        return RenderedDocument(
            html=html,
            title=title,
            base_url=self.project.root / "layouts",
            fonts_key=self.brand.name,
        )

    def handout_sheet(self, handout: Handout) -> HandoutSheet:
        """One handout: its sheet at every fit step, largest first, and its document."""
        document = self.handout_document(handout.paper, handout.orientation)
        self.markdown.take_problems()
        # The steps differ only in the sheet's own fit-N class (its first element): it is
        # rendered once, and the other steps are that HTML with the class changed.
        first = self.render("handout-sheet.html.j2", handout=handout, fit=0)
        fits = (first,) + tuple(
            _FIT_CLASS.sub(f'fit-{fit}"', first, count=1) for fit in range(1, FIT_STEPS)
        )
        problems = tuple(
            dataclasses.replace(problem, path=handout.source)
            for problem in self.markdown.take_problems()
        )
        return HandoutSheet(
            title=handout.title,
            description=handout.subtitle or self.words["handout"]["description"],
            fits=fits,
            document=document,
            address_problems=problems,
        )

    def handout(self, handout: Handout, fit: int = 0) -> RenderedDocument:
        """One handout as a whole document at one fit step (for previews and checks)."""
        sheet = self.handout_sheet(handout)
        document = self._handout_document(
            handout.paper, handout.orientation, sheet.title, sheet.description
        )
        html = with_sheets(document.html, [sheet.fits[fit]])
        return dataclasses.replace(document, html=html)
