"""Brand kits: every guide and handout in an organisation's look, and clear errors."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from dnaoc_print.brands.colours import parse_hex
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.engine import build
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.errors import ContentErrors

from conftest import BuiltProject
from pdf_inspect import PdfFacts, font_family

EXAMPLE = "brands/example-trust/brand.yaml"


def every_pdf(built: BuiltProject) -> list[PdfFacts]:
    return [PdfFacts.open(path) for path in sorted(built.out_dir.glob("*/*.pdf"))]


def pixels_near(pdf: PdfFacts, page: int, colour: str, dpi: int = 60) -> int:
    """How many pixels of a rendered page are within a small distance of ``colour``."""
    document = pypdfium2.PdfDocument(pdf.path)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    target = parse_hex(colour)
    return sum(
        1
        for pixel in image.get_flattened_data()
        if sum(abs(a - b) for a, b in zip(pixel, target, strict=True)) <= 24
    )


@pytest.mark.parametrize("fixture", ["built", "built_example_brand"])
def test_organisation_and_footer_on_every_guide_and_handout(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    built = request.getfixturevalue(fixture)
    brand, _ = load_brand(
        built.project.root, "example-trust" if "example" in fixture else "dna-of-care"
    )
    pdfs = every_pdf(built)
    assert len(pdfs) == len(built.project.guides) + len(built.project.handouts)
    for pdf in pdfs:
        text = pdf.text()
        assert brand.organisation in text, pdf.path.name
        assert " ".join(brand.footer.split()) in text, pdf.path.name
        assert pdf.characters_off_the_page() == "", pdf.path.name


def test_primary_colour_on_cover_and_headings(
    built_example_brand: BuiltProject, built: BuiltProject
) -> None:
    plum = "#5b2a6e"
    guide = PdfFacts.open(built_example_brand.guide_pdf("resilience"))
    heading_page = next(
        i for i, text in enumerate(guide.page_texts()) if "The power of stories" in text
    )
    assert pixels_near(guide, 0, plum) > 300
    assert pixels_near(guide, heading_page, plum) > 100
    handout = PdfFacts.open(built_example_brand.out_dir / "handouts/resilience.pdf")
    assert pixels_near(handout, 0, plum) > 1000
    # The default look has none of it.
    assert pixels_near(PdfFacts.open(built.guide_pdf("resilience")), 0, plum) < 20


def test_brand_fonts_embedded_and_no_others(built_example_brand: BuiltProject) -> None:
    for pdf in every_pdf(built_example_brand):
        assert pdf.embedded_font_families() == {"Source Sans 3", "Source Serif 4"}, pdf.path.name


def test_handout_spec_can_name_its_brand(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassion.yaml"
    spec.write_text(spec.read_text() + "brand: example-trust\n")
    report = build(project_dir, project_dir / "build")
    assert not report.failed
    assert (
        "Northdale Community Health"
        in PdfFacts.open(project_dir / "build/handouts/compassion.pdf").text()
    )
    assert "Northdale" not in PdfFacts.open(project_dir / "build/guides/compassion.pdf").text()


def test_a_new_brand_is_a_copied_folder_and_one_edited_file(project_dir: Path) -> None:
    shutil.copytree(project_dir / "brands/example-trust", project_dir / "brands/theirs")
    brand_file = project_dir / "brands/theirs/brand.yaml"
    brand_file.write_text(
        brand_file.read_text()
        .replace("Northdale Community Health (example)", "Riverside Health Partnership")
        .replace('primary: "#5b2a6e"', 'primary: "#0b5d1e"')
    )
    report = build(project_dir, brand="theirs")
    assert not report.failed
    guide = PdfFacts.open(project_dir / "build/theirs/guides/compassion.pdf")
    assert "Riverside Health Partnership" in guide.text()
    assert pixels_near(guide, 0, "#0b5d1e") > 300


def test_brand_layouts_override_the_project_ones(project_dir: Path) -> None:
    layouts = project_dir / "brands/example-trust/layouts"
    layouts.mkdir()
    template = (project_dir / "layouts/handout-sheet.html.j2").read_text()
    (layouts / "handout-sheet.html.j2").write_text(
        template.replace(
            "<h1>{{ handout.title }}</h1>", "<h1>{{ handout.title }}</h1><p>Brand layout in use</p>"
        )
    )
    report = build(project_dir, brand="example-trust")
    assert not report.failed
    out = project_dir / "build/example-trust"
    assert "Brand layout in use" in PdfFacts.open(out / "handouts/compassion.pdf").text()
    assert "Brand layout in use" not in PdfFacts.open(out / "guides/compassion.pdf").text()


def png(width: int, height: int) -> bytes:
    """A plain PNG of the given size, for logos of awkward shapes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x5b\x2a\x6e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(3000, 120), (8, 8), (200, 2000)])
def test_a_logo_of_any_size_is_scaled_to_its_slot(project_dir: Path, tmp_path: Path, size) -> None:
    brand_file = project_dir / EXAMPLE
    (project_dir / "brands/example-trust/odd.png").write_bytes(png(*size))
    brand_file.write_text(brand_file.read_text().replace("logo: logo.svg", "logo: odd.png"))
    report = make_handouts(
        project_dir,
        overrides={"title": "Logo", "stories": ["stay"], "brand": "example-trust"},
        output=tmp_path / "logo.pdf",
    )
    assert not report.failed, report.failed[0].error
    pdf = PdfFacts.open(tmp_path / "logo.pdf")
    [(width_mm, height_mm)] = pdf.image_sizes_mm()
    # The handout's logo slot is 34 x 14 mm; the image fills it one way and keeps its shape.
    assert width_mm <= 34.1 and height_mm <= 14.1
    assert max(width_mm / 34, height_mm / 14) == pytest.approx(1, abs=0.02)
    assert width_mm / height_mm == pytest.approx(size[0] / size[1], rel=0.05)


def brand_errors(project_dir: Path, edit) -> list[str]:
    brand_file = project_dir / EXAMPLE
    brand_file.write_text(edit(brand_file.read_text()))
    with pytest.raises(ContentErrors) as caught:
        load_brand(project_dir, "example-trust")
    return [str(error) for error in caught.value.errors]


def line_of(project_dir: Path, needle: str) -> int:
    lines = (project_dir / EXAMPLE).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_malformed_colour(project_dir: Path) -> None:
    [error] = brand_errors(project_dir, lambda t: t.replace('"#f2a900"', '"#f2a90"'))
    assert error.startswith(
        f"{EXAMPLE}, line {line_of(project_dir, '#f2a90')}: 'colours.accent' is not a colour"
    )


def test_colour_without_quotes_is_explained(project_dir: Path) -> None:
    [error] = brand_errors(
        project_dir, lambda t: t.replace('primary: "#5b2a6e"', "primary: #5b2a6e")
    )
    assert "missing colour 'colours.primary'" in error and "in quotes" in error


def test_low_contrast_is_a_warning_with_ratio_and_nearest_passing_colour(project_dir: Path) -> None:
    brand_file = project_dir / EXAMPLE
    brand_file.write_text(brand_file.read_text().replace('text: "#212b32"', 'text: "#9a9a9a"'))
    _, warnings = load_brand(project_dir, "example-trust")
    messages = [str(w) for w in warnings]
    text_on_background = next(
        m for m in messages if "'colours.text' #9a9a9a on background #ffffff" in m
    )
    assert f"line {line_of(project_dir, '#9a9a9a')}" in text_on_background
    assert "has contrast 2.8" in text_on_background
    assert "the nearest colour that passes everywhere it is used" in text_on_background


def test_low_contrast_fails_under_strict(project_dir: Path) -> None:
    brand_file = project_dir / EXAMPLE
    brand_file.write_text(
        brand_file.read_text().replace('primary: "#5b2a6e"', 'primary: "#c9a3d6"')
    )
    report = build(project_dir, brand="example-trust")
    assert any("'colours.primary' #c9a3d6" in note for note in report.notes)
    with pytest.raises(ContentErrors, match="contrast"):
        build(project_dir, brand="example-trust", strict=True)


def test_missing_logo_and_font_files_and_unknown_key_reported_together(project_dir: Path) -> None:
    errors = brand_errors(
        project_dir,
        lambda t: (
            t.replace("logo: logo.svg", "logo: nowhere.svg")
            .replace("source-sans-3-latin-700-normal.woff", "missing.woff")
            .replace("footer:", "foter:")
        ),
    )
    assert len(errors) == 3, errors
    assert any("'logo' file 'nowhere.svg' not found" in e for e in errors)
    assert any("'files' file 'fonts/missing.woff' not found" in e for e in errors)
    assert any("unknown field 'foter'" in e and "did you mean 'footer'?" in e for e in errors)


def test_logo_outside_the_brand_folder_is_refused(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(png(4, 4))
    [error] = brand_errors(
        project_dir, lambda t: t.replace("logo: logo.svg", "logo: ../../../secret.png")
    )
    assert "'logo' file '../../../secret.png'" in error


def test_a_logo_that_is_not_a_readable_image_is_an_error(project_dir: Path) -> None:
    (project_dir / "brands/example-trust/logo.png").write_bytes(png(40, 20)[:60])  # cut short
    [error] = brand_errors(project_dir, lambda t: t.replace("logo: logo.svg", "logo: logo.png"))
    assert error.startswith(f"{EXAMPLE}, line {line_of(project_dir, 'logo.png')}: ")
    assert "logo 'logo.png' is not a readable PNG image" in error


def test_unknown_brand_suggests_the_closest(project_dir: Path) -> None:
    with pytest.raises(ContentErrors, match="did you mean 'example-trust'"):
        build(project_dir, brand="example-trusts")


def test_font_family_names_in_pdf_come_from_the_font_files() -> None:
    # A guard for the font test above: the family is read from the embedded font program.
    assert (
        font_family(TTFont("brands/example-trust/fonts/source-serif-4-latin-700-normal.woff"))
        == "Source Serif 4"
    )
