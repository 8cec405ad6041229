"""Images and links in Markdown: found beside their file, then in the project; every
refused or missing one reported with its file, line and address as written."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from dnaoc_print.build.checking import check_project as check
from dnaoc_print.build.engine import build
from dnaoc_print.cli.main import main
from dnaoc_print.content.addresses import MarkdownSource
from dnaoc_print.render.markup import MarkdownRenderer

from pdf_inspect import PdfFacts

GUIDE = "content/guides/compassion.md"


def png(colour: str = "red") -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(data, "PNG")
    return data.getvalue()


def markdown_file(root: Path, relative: str, body: str) -> MarkdownSource:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n---\n" + body)
    return MarkdownSource.of_file(root, Path(relative), body)


def test_an_image_is_found_beside_its_markdown_then_in_the_project(tmp_path: Path) -> None:
    (tmp_path / "content/guides/images").mkdir(parents=True)
    (tmp_path / "content/guides/images/beside.png").write_bytes(png())
    (tmp_path / "images").mkdir()
    (tmp_path / "images/beside.png").write_bytes(png("blue"))
    (tmp_path / "images/root.png").write_bytes(png())
    body = "![One](images/beside.png)\n\n![Two](images/root.png)\n"
    source = markdown_file(tmp_path, GUIDE, body)
    renderer = MarkdownRenderer(tmp_path)
    html = renderer.block(body, source)
    assert (tmp_path / "content/guides/images/beside.png").as_uri() in html
    assert (tmp_path / "images/root.png").as_uri() in html
    assert renderer.take_problems() == []


def test_every_refused_or_missing_address_is_reported_with_file_and_line(tmp_path: Path) -> None:
    body = (
        "Intro.\n\n"  # line 4 of the file (after 3 lines of front matter)
        "![Photo](images/photo.png)\n\n"  # 6
        "![Root](/images/x.png) and ![Web](https://example.org/x.png)\n\n"  # 8
        "![Local](file:///etc/passwd)\n\n"  # 10
        "![Up](../../../outside.png)\n\n"  # 12
        "[Click](javascript:alert(1)) and [Fine](https://example.org/)\n"  # 14
    )
    source = markdown_file(tmp_path, GUIDE, body)
    renderer = MarkdownRenderer(tmp_path)
    html = renderer.block(body, source)
    problems = {str(problem).split("\n")[0]: problem.fatal for problem in renderer.take_problems()}
    assert problems == {
        "content/guides/compassion.md, line 6: image 'images/photo.png': no such file beside "
        "content/guides/compassion.md or in the project folder": True,
        "content/guides/compassion.md, line 8: image address '/images/x.png' refused: its "
        "alternative text is printed instead": False,
        "content/guides/compassion.md, line 8: image address 'https://example.org/x.png' "
        "refused: its alternative text is printed instead": False,
        "content/guides/compassion.md, line 10: image address 'file:///etc/passwd' refused: "
        "its alternative text is printed instead": False,
        "content/guides/compassion.md, line 12: image '../../../outside.png' is outside the "
        "project: not printed": False,
        "content/guides/compassion.md, line 14: link address 'javascript:alert(1)' refused: "
        "the text is printed without a link": False,
    }
    assert "<img" not in html and "javascript" not in html
    assert 'href="https://example.org/"' in html


def add_to_guide(root: Path, markdown: str) -> None:
    guide = root / GUIDE
    guide.write_text(guide.read_text() + "\n" + markdown + "\n")


def test_check_reports_images_and_links_without_typesetting(one_guide: Path) -> None:
    add_to_guide(one_guide, "![A photo](images/photo.png)\n\n[Run](javascript:go())")
    lines = (one_guide / GUIDE).read_text().splitlines()
    photo_line = lines.index("![A photo](images/photo.png)") + 1
    report = check(one_guide)
    [error] = report.errors
    assert error.startswith(f"content/guides/compassion.md, line {photo_line}: image ")
    assert "'images/photo.png': no such file" in error
    assert any("'javascript:go()' refused" in warning for warning in report.warnings)
    result = CliRunner().invoke(main, ["check", "-C", str(one_guide)])
    assert result.exit_code == 1 and "images/photo.png" in result.output


def test_a_refused_link_is_a_warning_that_fails_under_strict(one_guide: Path) -> None:
    add_to_guide(one_guide, "[Run](javascript:go())")
    relaxed = CliRunner().invoke(main, ["check", "-C", str(one_guide)])
    assert relaxed.exit_code == 0 and "javascript:go()" in relaxed.output
    strict = CliRunner().invoke(main, ["check", "-C", str(one_guide), "--strict"])
    assert strict.exit_code == 1


def test_images_in_the_build(one_guide: Path) -> None:
    """An image beside the guide is printed (and a new copy rebuilds the guide); a
    refused one is a warning, an error under --strict; a missing one fails the guide."""
    (one_guide / "content/guides/images").mkdir()
    (one_guide / "content/guides/images/photo.png").write_bytes(png())
    add_to_guide(one_guide, "![A red photo](images/photo.png)\n\n![Web](https://example.org/x.png)")
    first = build(one_guide, workers=1)
    [built] = first.built
    assert any("'https://example.org/x.png' refused" in w for w in built.warnings)
    assert any(
        PdfFacts.open(built.target).resources("/XObject", page)
        for page in range(PdfFacts.open(built.target).page_count)
    )
    (one_guide / "content/guides/images/photo.png").write_bytes(png("green"))
    assert [o.job_name for o in build(one_guide, workers=1).built] == ["guide compassion"]
    strict = build(one_guide, workers=1, strict=True, force=True)
    assert "--strict" in strict.failed[0].error
    (one_guide / "content/guides/images/photo.png").unlink()
    [failed] = build(one_guide, workers=1).failed
    assert "'images/photo.png': no such file beside content/guides/compassion.md" in failed.error


def test_a_handout_reports_its_images_and_links_too(one_guide: Path, tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts

    def handout(question: str, name: str):
        return make_handouts(
            one_guide,
            overrides={"title": "Links", "stories": ("stay",), "questions": (question,)},
            output=tmp_path / f"{name}.pdf",
            workers=1,
        )

    [warned] = handout("What does [this](javascript:go()) do?", "warned").built
    assert any("link address 'javascript:go()' refused" in w for w in warned.warnings)
    [failed] = handout("What does ![this](nowhere.png) show?", "failed").failed
    assert "image 'nowhere.png': no such file in the project folder" in failed.error
    assert not (tmp_path / "failed.pdf").exists()


def test_check_reports_a_handout_specs_links(one_guide: Path) -> None:
    spec = one_guide / "content/handouts/links.yaml"
    spec.write_text(
        "title: Links\nstories: [stay]\nquestions:\n  - Where does [this](ftp://x) go?\n"
    )
    report = check(one_guide)
    assert report.errors == []
    assert report.warnings == [
        "content/handouts/links.yaml: link address 'ftp://x' refused: the text is printed "
        "without a link\n  hint: links may be web (https://), mailto:, tel: or in-page (#) "
        "addresses"
    ]


def test_a_line_converted_again_reports_its_problems_again(tmp_path: Path) -> None:
    # A batch of handouts converts the same question on every sheet, and inline() keeps
    # each conversion: the second sheet's problems must be reported as the first's were.
    renderer = MarkdownRenderer(tmp_path)
    line = "What does [this](javascript:alert(1)) ask of us?"
    first = renderer.inline(line)
    first_problems = renderer.take_problems()
    again = renderer.inline(line)
    assert again == first and "javascript" not in again
    assert [str(p) for p in renderer.take_problems()] == [str(p) for p in first_problems]
    assert "link address 'javascript:alert(1)' refused" in str(first_problems[0])
    assert renderer.inline("A *plain* question?") == "A <em>plain</em> question?"
    assert renderer.take_problems() == []
