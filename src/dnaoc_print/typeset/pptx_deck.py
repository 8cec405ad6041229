"""A guide's slide pack as PowerPoint (build/slides/<guide>.pptx), with python-pptx.

The same deck as the PDF (render/slides.py), for those who present from PowerPoint or add
their team's own slide: every word in an editable text box in the brand's fonts and
colours, each slide's title in its title placeholder (so it is in the outline), the
QR codes as pictures that link to their story, and the speaker notes in each slide's
notes pane. Sizes follow layouts/slides.css: nothing under 24 pt, titles 40 pt.

The file is the same run to run: its dates come from SOURCE_DATE_EPOCH (else a
fixed date), and the zip's own timestamps are fixed too.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Mm, Pt

from dnaoc_print.content.wording import fill
from dnaoc_print.model import Brand
from dnaoc_print.render.qr import qr_png
from dnaoc_print.render.slides import (
    CLOSING,
    QUESTIONS,
    STORY,
    THEME,
    TITLE,
    Deck,
    Slide,
    inline_runs,
)
from dnaoc_print.render.slides import short_address as shortened

# PowerPoint's 16:9 on-screen slide (10 x 5.625 in), and the margin that keeps
# words out of the outer 5 %.
SLIDE_WIDTH, SLIDE_HEIGHT = Mm(254), Mm(142.9)
MARGIN_X, MARGIN_Y = Mm(16), Mm(9)
# Type sizes, as in layouts/slides.css (large print: slides-large-print.css).
SIZES = {"least": 24, "text": 28, "title": 40, "cover": 60}
LARGE_SIZES = {"least": 28, "text": 32, "title": 46, "cover": 64}
QR_SIZE, QR_GAP = Mm(54), Mm(6)
# Reckoning a text's height: a character's width and a line's height, in ems (a
# stand-in font's are often larger than the brand's), and the space after a paragraph.
CHARACTER_WIDTH = 0.6
LINE_HEIGHT = 1.25
PARAGRAPH_SPACE = 8
# The default template's "Title Only" layout: a title placeholder and nothing else.
TITLE_ONLY_LAYOUT = 5
# Without a date from the guide or SOURCE_DATE_EPOCH: any fixed moment will do.
FIXED_DATE = dt.datetime(2016, 11, 2, tzinfo=dt.UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# A pptx's picture may be PNG or JPEG; an SVG logo is left off the PowerPoint copy.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")


def write_pptx(
    deck: Deck, brand: Brand, words: dict, large_print: bool = False, date: str | None = None
) -> bytes:
    """The deck as a .pptx file's bytes, the same for the same deck and ``date`` (an
    ISO date or time, see templating.document_date; a fixed date without one)."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    writer = _SlideWriter(presentation, brand, words, LARGE_SIZES if large_print else SIZES)
    for slide in deck.slides:
        writer.add(slide)
    _set_properties(presentation, deck, words, file_date(date))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return fixed_zip_dates(buffer.getvalue())


def write_pptx_job(
    deck: Deck, brand: Brand, words: dict, large_print: bool = False, date: str | None = None
):
    """What a build's job writes: the bytes and the number of slides."""
    return write_pptx(deck, brand, words, large_print, date), len(deck.slides)


def _set_properties(presentation, deck: Deck, words: dict, moment: dt.datetime) -> None:
    properties = presentation.core_properties
    properties.title = deck.document_title
    properties.author = deck.organisation
    properties.last_modified_by = deck.organisation
    properties.subject = deck.description
    properties.keywords = ", ".join([*words["keywords"], deck.title])
    properties.created = properties.modified = properties.last_printed = moment
    properties.revision = 1
    properties.comments = ""


def file_date(date: str | None) -> dt.datetime:
    """The moment the file says it was made (naive UTC, as the file holds it)."""
    if not date:
        return FIXED_DATE.replace(tzinfo=None)
    moment = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def fixed_zip_dates(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


class _SlideWriter:
    """Adds the deck's slides to a presentation, each kind laid out as in slides.css."""

    def __init__(self, presentation, brand: Brand, words: dict, sizes: dict[str, int]) -> None:
        self.presentation = presentation
        self.brand = brand
        self.words = words
        self.sizes = sizes
        self.colours = {
            name: RGBColor.from_string(value[1:]) for name, value in brand.colours.items()
        }
        self.layout = presentation.slide_layouts[TITLE_ONLY_LAYOUT]
        # A logo PowerPoint can show (an SVG one is left out: the name is said instead).
        logo = brand.logo
        self.placed_logo = bool(logo and logo.suffix.lower() in PICTURE_SUFFIXES)
        # The address of the story on the slide being written, for its links.
        self.story_url: str | None = None

    def add(self, slide: Slide) -> None:
        page = self.presentation.slides.add_slide(self.layout)
        cover = slide.kind == TITLE
        page.background.fill.solid()
        page.background.fill.fore_color.rgb = self.colours["primary" if cover else "background"]
        text_colour = self.colours["on_primary" if cover else "text"]
        story = slide.kind == STORY
        self.story_url = slide.story.url if story else None
        top = MARGIN_Y
        width = SLIDE_WIDTH - 2 * MARGIN_X - (QR_SIZE + QR_GAP if story else 0)
        if cover and self.placed_logo:
            page.shapes.add_picture(str(self.brand.logo), MARGIN_X, top, height=Mm(18))
            top += Mm(22)
        if slide.kicker and not story:
            muted = text_colour if cover else self.colours["muted"]
            top += self._text(page, [slide.kicker], top, width, "least", muted)
        title_size = "cover" if cover else "title"
        top += Mm(12) if cover else 0
        top += self._title(page, slide.title, top, width, title_size, cover) + Mm(3)
        if body := self._body(slide):
            # A story's words share the slide with its code: their box reaches the foot
            # of the slide and shrinks its text only where a wider stand-in font would
            # overflow it (the brand's own fonts fit, as on the PDF).
            foot = SLIDE_HEIGHT - MARGIN_Y if story else None
            self._text(page, body, top, width, None, text_colour, foot)
        if story:
            self._story_code(page, slide)
        page.notes_slide.notes_text_frame.text = "\n".join(_plain(note) for note in slide.notes)

    def _height(self, text: str, size: str, width) -> int:
        """How tall ``text`` is set at ``size`` in a box ``width`` wide, reckoned
        generously (the brand's font may be missing where the file is opened, and a
        stand-in is often wider), so the next box starts below it."""
        points = self.sizes[size]
        per_line = max(1, int(width / Pt(points * CHARACTER_WIDTH)))
        lines = 0
        for paragraph in text.split("\n"):
            lines += max(1, -(-len(paragraph) // per_line))
        return Pt(points * LINE_HEIGHT * lines + PARAGRAPH_SPACE)

    def _body(self, slide: Slide) -> list[tuple[str, str, str | None]]:
        """The slide's words under its title: (text, size, style) a paragraph."""
        if slide.kind == THEME:
            return [(f"\u2022 {point}", "text", None) for point in slide.lines]
        if slide.kind == QUESTIONS:
            return [(f"{q.number}. {q.text}", "text", None) for q in slide.questions]
        if slide.kind == STORY:
            lines = []
            for index, line in enumerate(slide.lines):
                storyteller = index == 0 and slide.story.storyteller
                # At the least size: a story slide's words share it with the code, and
                # must fit in a stand-in font where the brand's is not installed.
                lines.append((line, "least", "storyteller" if storyteller else None))
            if slide.warning:
                lines.append((slide.warning, "least", "warning"))
            # After everything, as on the PDF slide: in the flow, so never over the words.
            host, _, path = shortened(slide.story.url).partition("/")
            lines.append((f"{host}/\n{path}", "least", "address"))
            return lines
        size = "least" if slide.kind == CLOSING else "text"
        lines = [(line, size, None) for line in slide.lines]
        if slide.kind == TITLE and not self.placed_logo:
            # The organisation, unless its logo is there to say it (as on the PDF).
            lines.append((self.brand.organisation, "least", None))
        return lines

    def _title(self, page, title: str, top, width, size: str, cover: bool) -> int:
        """The slide's title in its title placeholder; returns its height."""
        height = self._height(title, size, width)
        shape = page.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN_X, top, width, height
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.text = title
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        font = paragraph.runs[0].font
        font.name = self.brand.heading_font.family
        font.size = Pt(self.sizes[size])
        font.bold = True
        font.color.rgb = self.colours["on_primary" if cover else "primary"]
        return height

    def _text(self, page, lines, top, width, size: str | None, colour, foot=None) -> int:
        """A text box of paragraphs: plain strings at ``size``, or (text, size, style);
        returns its height."""
        lines = [(line, size, None) if isinstance(line, str) else line for line in lines]
        height = sum(self._height(_plain(text), line_size, width) for text, line_size, _ in lines)
        if foot is not None:
            height = foot - top
        box = page.shapes.add_textbox(MARGIN_X, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE if foot is None else MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        for index, (text, line_size, style) in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(8)
            if style == "address":
                self._address(paragraph, text, line_size)
                continue
            for run_text, bold, italic in inline_runs(text):
                run = paragraph.add_run()
                run.text = run_text
                font = run.font
                font.name = self.brand.body_font.family
                font.size = Pt(self.sizes[line_size])
                font.bold = bold or style == "storyteller"
                font.italic = italic
                font.color.rgb = self.colours["secondary"] if style == "storyteller" else colour
        return height

    def _address(self, paragraph, text: str, size: str) -> None:
        """A story's address, broken after its host; each part links to the story."""
        host, path = text.split("\n")
        url = self.story_url
        for index, part in enumerate((host, path)):
            if index:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = part
            run.font.name = self.brand.body_font.family
            run.font.size = Pt(self.sizes[size])
            run.font.bold = True
            run.font.color.rgb = self.colours["text"]
            run.hyperlink.address = url

    def _story_code(self, page, slide: Slide) -> None:
        """As on the PDF slide: the place in the deck, the code and a prompt at the
        right (the address follows the words, see ``_body``)."""
        story = slide.story
        left = SLIDE_WIDTH - MARGIN_X - QR_SIZE
        kicker = page.shapes.add_textbox(left, MARGIN_Y, QR_SIZE, Mm(11))
        self._centred_run(kicker.text_frame.paragraphs[0], slide.kicker, colour="muted")
        top = MARGIN_Y + Mm(11)
        picture = page.shapes.add_picture(io.BytesIO(qr_png(story.url)), left, top, QR_SIZE)
        picture.name = f"QR code {story.title}"
        # The picture's alternative text, as the PDF's figure has it.
        alt = fill(self.words["qr_alt"], title=story.title)
        picture._element.nvPicPr.cNvPr.set("descr", alt)
        picture.click_action.hyperlink.address = story.url
        prompt = page.shapes.add_textbox(left, top + QR_SIZE, QR_SIZE, Mm(11))
        self._centred_run(prompt.text_frame.paragraphs[0], self.words["slides"]["scan_prompt"])

    def _centred_run(
        self, paragraph, text: str, link: str | None = None, colour: str = "text"
    ) -> None:
        paragraph.alignment = PP_ALIGN.CENTER
        run = paragraph.add_run()
        run.text = text
        run.font.name = self.brand.body_font.family
        run.font.size = Pt(self.sizes["least"])
        run.font.bold = link is not None
        run.font.color.rgb = self.colours[colour]
        if link:
            run.hyperlink.address = link


def _plain(text: str) -> str:
    return "".join(run_text for run_text, _, _ in inline_runs(text))
