"""Markdown and layouts: what reaches the HTML before typesetting."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import zxingcpp
from PIL import Image

from dnaoc_print.content.loading import load_project
from dnaoc_print.render.markup import MarkdownRenderer
from dnaoc_print.render.qr import qr_image

from conftest import default_layouts


def test_raw_html_in_markdown_is_escaped_not_passed_through() -> None:
    html = MarkdownRenderer().block('Hi <script>alert(1)</script>\n\n<img src=x onerror="boom">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_template_syntax_in_markdown_is_printed_as_written() -> None:
    assert "{{ 7 * 7 }}" in MarkdownRenderer().block("Sum: {{ 7 * 7 }} {% if x %}")


def test_guide_html_holds_every_recommended_story_title_and_url(project_dir: Path) -> None:
    project = load_project(project_dir)
    guide = project.guide("compassionate-leadership")
    html = default_layouts(project).guide(guide).html
    assert len(guide.stories) == 5
    for story in guide.stories:
        assert f">{story.title}<" in html.replace("&#39;", "'")
        assert f'href="{story.url}"' in html
        # Printed in two unbreakable parts, the host then the path, with a break
        # opportunity (a zero-width space) between them.
        host, path = story.url.rsplit("/", 2)[0] + "/", story.url.split("/", 3)[3]
        parts = f'<span class="url-part">{host}</span>&#8203;<span class="url-part">{path}</span>'
        assert parts in html


def test_handout_html_holds_its_stories_and_borrowed_questions(project_dir: Path) -> None:
    project = load_project(project_dir)
    handout = next(h for h in project.handouts if h.name == "compassionate-leadership")
    html = default_layouts(project).handout(handout).html
    for story in handout.stories:
        assert f'href="{story.url}"' in html
    guide = project.guide("compassionate-leadership")
    assert handout.questions[0] == guide.questions[0]


def test_content_is_escaped_in_layouts(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    spec.write_text('title: "Fish & chips <b>{{ config }}</b>"\nstories: [touch]\n')
    project = load_project(project_dir)
    [handout] = [h for h in project.handouts if h.name == "compassionate-leadership"]
    html = default_layouts(project).handout(handout).html
    assert "Fish &amp; chips &lt;b&gt;{{ config }}&lt;/b&gt;" in html


def test_qr_code_is_one_pixel_a_module_with_quiet_zone_and_label() -> None:
    url = "https://www.patientvoices.org.uk/flv/1019pv384.htm"
    html = qr_image(url, "Stay")
    assert 'alt="Stay"' in html and 'class="qr-code"' in html
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html)[1])
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == image.size[1]
    # A version-n symbol is 17 + 4n modules; the 4-module quiet zone adds 8.
    assert (image.size[0] - 8 - 17) % 4 == 0
    pixels = image.convert("L")
    border = [pixels.getpixel((x, y)) for x in range(4) for y in range(image.size[1])]
    assert set(border) == {255}, "the quiet zone is white"
    assert pixels.getpixel((4, 4)) == 0, "the finder pattern starts inside the quiet zone"
    scaled = image.convert("RGB").resize((330, 330), Image.NEAREST)
    assert [result.text for result in zxingcpp.read_barcodes(scaled)] == [url]
