"""An anchor for the handout figures: a comparable page typeset by Typst.

Used by run.py (``--handouts``) when the ``typst`` package is installed
(``.venv/bin/pip install -e '.[bench]'``); not part of the tests. The page has what the
shipped compassion handout has: the header band with the session details, the content
warning, four story cards (QR code, title, storyteller, summary, content note, address
as a link), the questions beside ruled notes, the licence line at the foot; in the
brand's font and colours, its words from the project (the handout spec, the stories,
content/shared/wording.yaml). It is not the same design, nor tagged as ours are, nor
split into a PDF a handout: an anchor for how far WeasyPrint is from a typesetter that
compiles, not a target.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

# An ImportError here tells run.py to say how to install it.
import typst

# The handout, in Typst; its words come in as JSON (sys.inputs), so none is escaped.
PAGE = r"""
#let data = json(bytes(sys.inputs.data))
#set page(paper: "a4", margin: (x: 14mm, top: 14mm, bottom: 26mm),
  footer: block(width: 100%, stroke: (top: 0.3mm + rgb(data.rule)), inset: (top: 1mm),
    text(size: 10pt, fill: rgb(data.muted), data.credit)))
#set text(font: data.font, size: 10.5pt, lang: "en", region: "GB")
#set par(leading: 0.55em)
#for sheet in data.sheets [
  #block(width: 100%, fill: rgb(data.primary), inset: (x: 6mm, y: 4mm), spacing: 3mm)[
    #set text(fill: white)
    #text(size: 10pt, weight: "bold", data.series) \
    #text(size: 19pt, weight: "bold", sheet.title) \
    #text(size: 12pt, sheet.subtitle)
    #grid(columns: 4, column-gutter: 6mm, row-gutter: 1mm,
      ..sheet.session.map(d => text(size: 10pt, weight: "bold", d.at(0))),
      ..sheet.session.map(d => text(size: 10.5pt, d.at(1))))
  ]
  #block(width: 100%, fill: rgb(data.tint), stroke: (left: 1.2mm + rgb(data.accent)),
    inset: (x: 4mm, y: 2mm))[*#data.warning_label:* #data.warning]
  #text(size: 12pt, weight: "bold", fill: rgb(data.primary), data.stories_heading)
  #for story in sheet.stories [
    #block(width: 100%, fill: rgb(data.tint), inset: 2mm, spacing: 1.8mm,
      grid(columns: (25.5mm, 1fr), column-gutter: 4mm,
        image(story.qr, width: 25.5mm),
        [
          #text(size: 12pt, weight: "bold", fill: rgb(data.primary), story.title)
          #h(2mm) #emph(story.storyteller) \
          #story.summary \
          #if story.note != none [*#data.warning_label:* #story.note \ ]
          #text(size: 10pt, link(story.url))
        ]))
  ]
  #grid(columns: (5fr, 2fr), column-gutter: 6mm,
    [
      #text(size: 12pt, weight: "bold", fill: rgb(data.primary), data.questions_heading)
      #enum(..sheet.questions)
    ],
    [
      #text(size: 12pt, weight: "bold", fill: rgb(data.primary), data.notes_heading)
      #for _ in range(5) { block(width: 100%, height: 7.5mm,
        stroke: (bottom: 0.5mm + rgb(data.rule))) }
    ])
  #pagebreak(weak: true)
]
"""


def typst_cpu_ms(project: Path, rows: list[dict], pages: int = 100) -> tuple[float, int, bytes]:
    """CPU ms a page for ``pages`` handouts in one Typst document, its page count and
    its PDF."""
    from fontTools.ttLib import TTFont

    from dnaoc_print.build.brand_set import Brands
    from dnaoc_print.content.loading import load_project
    from dnaoc_print.render.qr import qr_png
    from dnaoc_print.render.templating import long_date

    loaded = load_project(project)
    handout = next(h for h in loaded.handouts if h.name == "compassion")
    brand = Brands(loaded).brand(None)
    words = loaded.words
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        stories = {}
        for story in loaded.stories.values():
            (scratch / f"{story.id}.png").write_bytes(qr_png(story.url))
            stories[story.id] = {
                "title": story.title,
                "storyteller": story.storyteller or "",
                "summary": story.short_summary or story.summary,
                "note": story.content_note,
                "url": story.url,
                "qr": f"{story.id}.png",
            }
        session = handout.session
        sheets = [
            {
                "title": row["title"],
                "subtitle": handout.subtitle or "",
                "session": [
                    [
                        words["handout"]["date"],
                        long_date(row["date"], words["weekdays"], words["months"]),
                    ],
                    [words["handout"]["time"], session.time or ""],
                    [words["handout"]["venue"], row["venue"]],
                    [words["handout"]["facilitator"], session.facilitator or ""],
                ],
                "stories": [stories[name] for name in row["stories"]],
                "questions": [question.text for question in handout.questions],
            }
            for row in (rows * pages)[:pages]
        ]
        colours = brand.colours
        data = {
            "font": brand.body_font.family,
            "primary": colours["primary"],
            "accent": colours["accent"],
            "tint": colours["tint"],
            "rule": colours["rule"],
            "muted": colours["muted"],
            "series": words["handout"]["series"],
            "credit": " ".join(words["handout"]["credit"].split()),
            "warning_label": words["content_warning_label"],
            "warning": " ".join(words["handout"]["content_warning"].split()),
            "stories_heading": words["handout"]["stories"],
            "questions_heading": words["handout"]["questions"],
            "notes_heading": words["handout"]["notes"],
            "sheets": sheets,
        }
        source = scratch / "handouts.typ"
        source.write_text(PAGE)
        # The brand's font files, as the OpenType Typst reads (they ship as WOFF); those
        # for basic Latin only: Typst would take a Latin Extended file for the same face.
        fonts = scratch / "fonts"
        fonts.mkdir()
        latin = [f for f in brand.body_font.files if "U+0000" in (f.unicode_range or "U+0000")]
        for number, file in enumerate(latin):
            font = TTFont(file.path)
            font.flavor = None
            font.save(fonts / f"{number}.ttf")

        def compile_once() -> bytes:
            return typst.compile(
                str(source),
                root=str(scratch),
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
                sys_inputs={"data": json.dumps(data)},
            )

        # Timed cold, its fonts read once for all its pages, as a run would: Typst
        # remembers what it laid out, so a second compile of the same pages costs little.
        started = time.process_time()
        pdf = compile_once()
        cpu = time.process_time() - started
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    count = len(document)
    document.close()
    return cpu * 1000 / count, count, pdf
