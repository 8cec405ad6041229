"""A link too long for its QR code is a user error naming the flag, the spec's line or
the CSV cell, with how long the address became and the most that fits; an address of
the most that fits is typeset on every layout, on the narrowest paper, and read back."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
import segno
from click.testing import CliRunner

from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.cli.main import main
from dnaoc_print.content.links import with_link_params
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.qr_limits import (
    LAYOUT_CODE_ROOM,
    address_length,
    byte_capacity,
    largest_version,
    most_characters,
)
from dnaoc_print.render.qr import qr_modules

from pdf_inspect import PdfFacts


def params_making(url: str, length: int) -> str:
    """Link parameters that make ``url`` exactly ``length`` characters long."""
    params = "utm_source=" + "a" * (length - address_length(url) - len("?utm_source="))
    assert address_length(with_link_params(url, params)) == length
    return params


def rightmost_character_mm(path: Path) -> float:
    document = pypdfium2.PdfDocument(path)
    try:
        textpage = document[0].get_textpage()
        rights = [textpage.get_charbox(n)[2] for n in range(textpage.count_chars())]
        return max(rights) * 25.4 / 72
    finally:
        document.close()


def story_url(root: Path, story: str = "touch") -> str:
    return load_project(root, partial=True).stories[story].url


@pytest.mark.parametrize("version", range(1, 40))
def test_byte_capacity_is_what_segno_fits_in_a_version(version: int) -> None:
    most = byte_capacity(version)
    assert segno.make("h" * most, error="m", micro=False, boost_error=False).version == version
    assert segno.make("h" * (most + 1), error="m", micro=False, boost_error=False).version > version


def test_each_layouts_largest_code_is_no_wider_than_its_room() -> None:
    for layout, room in LAYOUT_CODE_ROOM.items():
        most = most_characters(layout)
        modules = qr_modules("https://x.org/" + "a" * (most - 14))
        assert modules <= room.most_modules()
        assert modules * room.version_4_mm / 41 <= room.widest_mm
        assert largest_version(layout) == (modules - 8 - 17) // 4
    # Version 10 at error correction M; version 8 for the single layout's larger code.
    assert {layout: most_characters(layout) for layout in LAYOUT_CODE_ROOM} == {
        "cards": 213,
        "questions": 213,
        "single": 152,
    }


def test_a_flag_too_long_for_the_code_names_the_flag_and_both_lengths(tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    result = CliRunner().invoke(
        main, ["handout", "--story", "touch", "--link-params", "x=" + "a" * 3000, "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "DataOverflowError" not in result.output
    assert (
        "option --link-params: with these link parameters the address of story 'touch' is "
        "3,053 characters long, too long for its QR code: a code on a 'cards' handout holds "
        "213 at most" in result.output
    )
    assert "hint: shorten --link-params to 162 characters or fewer" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_spec_line_and_a_csv_cell_are_named_and_check_reports_them(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/long-link.yaml"
    spec.write_text("title: Long\nstories: [touch]\nlink_params: x=" + "a" * 400 + "\n")
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert result.exit_code == 1, result.output
    assert (
        "content/handouts/long-link.yaml, line 3: with these link parameters the address of "
        "story 'touch' is 453 characters long" in result.output
    )
    rows = project_dir / "rows.csv"
    rows.write_text(
        "name,stories,link_params\nfine,touch,utm_source=handout\nlong,touch,x=" + "b" * 300
    )
    report = make_handouts(project_dir, rows_from=rows, output=project_dir / "out", workers=1)
    assert [outcome.target.name for outcome in report.built] == ["fine.pdf"]
    [problem] = [str(error) for error in report.problems] or [o.error for o in report.failed]
    assert "rows.csv, line 3, column C (link_params): with these link parameters" in problem
    assert "is 353 characters long" in problem and "holds 213 at most" in problem
    assert not (project_dir / "out/long.pdf").exists()


def test_an_address_of_the_most_that_fits_prints_and_reads_back_on_every_layout(
    project_dir: Path,
) -> None:
    url = story_url(project_dir)
    rows = project_dir / "rows.csv"
    lines = ["name,layout,paper,stories,questions,link_params"]
    for layout in LAYOUT_CODE_ROOM:
        params = params_making(url, most_characters(layout))
        lines.append(f"{layout},{layout},half-letter,touch,compassion:1,{params}")
    rows.write_text("\n".join(lines) + "\n")
    report = make_handouts(project_dir, rows_from=rows, output=project_dir / "out", workers=1)
    assert not report.failed and not report.problems, (report.failed, report.problems)
    for layout in LAYOUT_CODE_ROOM:
        pdf = PdfFacts.open(project_dir / f"out/{layout}.pdf")
        assert pdf.page_count == 1
        expected = with_link_params(url, params_making(url, most_characters(layout)))
        # The printed address wraps, even its long campaign parameter: none of it is
        # cut off at the edge of the page (text drawn off the page is not read back).
        assert expected in re.sub(r"\s+", "", pdf.text()), layout
        assert rightmost_character_mm(pdf.path) < 139.7 - 8, layout
        assert expected in pdf.decoded_qr_codes(dpi=200)[0], layout


def test_the_composer_shows_the_problem_beside_its_link_field() -> None:
    from dnaoc_print.web.composer import Composition
    from dnaoc_print.web.composer import check_form as check

    project = load_project(Path(__file__).resolve().parents[1], partial=True)
    long = Composition(title="Huddle", stories=["stay"], link_params="x=" + "a" * 500)
    [message] = check(long, project, ["dna-of-care"]).errors["link_params"]
    assert "too long for its QR code" in message and "holds 213 at most" in message
    fine = Composition(title="Huddle", stories=["stay"], link_params="utm_source=handout")
    assert not check(fine, project, ["dna-of-care"]).errors


def test_a_story_url_too_long_for_any_code_is_refused_at_its_line(project_dir: Path) -> None:
    catalogue = project_dir / "content/stories.yaml"
    text = catalogue.read_text()
    short = "https://www.patientvoices.org.uk/flv/1006pv384.htm"
    catalogue.write_text(text.replace(short, short + "?x=" + "a" * 200, 1))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if short in row)
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert result.exit_code == 1, result.output
    assert (
        f"content/stories.yaml, line {line}: story url is 253 characters long, too long for a "
        "QR code on a page: 152 at most" in result.output
    )
