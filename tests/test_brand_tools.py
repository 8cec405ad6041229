"""The brand commands: `brand show` (a specimen page), `brand export`, `new brand`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.brands.colours import contrast_ratio
from dnaoc_print.brands.contrast import CONTRAST_PAIRS
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.checking import check
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.cli.main import main
from test_brand_yml import LOGO_GREEN, brand_yml_folder, pixels_near

from pdf_inspect import PdfFacts


def cli(project_dir: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project_dir)])


def test_brand_show_prints_one_page_with_every_pair_size_and_slot(project_dir: Path) -> None:
    brand_yml_folder(project_dir)
    result = cli(project_dir, "brand", "show", "docs-example")
    assert result.exit_code == 0, result.output
    # The brand's notes and warnings are shown with it.
    assert result.stderr.count("note: ") == 18 and "warning: " in result.stderr
    pdf = PdfFacts.open(project_dir / "build/brand-docs-example.pdf")
    assert pdf.page_count == 1
    text = pdf.text()
    brand, _ = load_brand(project_dir, "docs-example")
    for name, colour in brand.colours.items():
        assert colour in text, name
    # Every pair with its ratio: orange on white fails, the text colour passes.
    for text_key, background in CONTRAST_PAIRS:
        ratio = contrast_ratio(brand.colours[text_key], brand.colours[background])
        verdict = "passes" if ratio >= 4.5 else "fails: below 4.5:1"
        pair = f"{text_key} on {background}".replace("_", " ")
        assert f"{pair} {ratio:.2f}:1 {verdict}" in text
    assert "primary on background 2.78:1 fails" in text
    # With the remedy, as the warning gives it.
    assert "color.primary #ff6f20: use #be4300, which passes everywhere it is used" in text
    # Every size the layouts set in points, read from their CSS (12 pt body text, the
    # 34 pt cover title, the handout's 10 pt series line).
    for size in ("34 pt", "12 pt", "10 pt"):
        assert size in text
    assert pdf.embedded_font_families() == {"Source Sans 3", "Source Serif 4"}
    # The logo in each slot at the slot's size (the PNG is as wide as the cover slot
    # is, 2.5 : 1), plus the reduced cover and the band.
    sizes = pdf.image_sizes_mm()
    assert any(
        w == pytest.approx(50, abs=0.2) and h == pytest.approx(20, abs=0.2) for w, h in sizes
    )
    assert any(
        w == pytest.approx(34, abs=0.2) and h == pytest.approx(13.6, abs=0.2) for w, h in sizes
    )
    assert len(sizes) == 4
    # The band sample is in the primary colour.
    assert pixels_near(pdf.path, "#ff6f20") > 1000
    assert pixels_near(pdf.path, LOGO_GREEN) > 1000


def test_new_brand_builds_at_once_and_says_what_each_field_does(
    project_dir: Path, tmp_path: Path
) -> None:
    result = cli(project_dir, "new", "brand", "Riverside Trust")
    assert result.exit_code == 0, result.output
    brand_file = project_dir / "brands/riverside-trust/brand.yaml"
    assert "dnaoc-print build --brand riverside-trust" in result.output
    text = brand_file.read_text()
    for field in ("organisation:", "logo:", "footer:", "contact:", "colours:", "fonts:", "css:"):
        line = next(line for line in text.splitlines() if field in line)
        above = text[: text.index(line)].rstrip().splitlines()[-1]
        assert line.lstrip().startswith("#") or above.lstrip().startswith("#"), field
    report = check(project_dir, "riverside-trust")
    # The example specs' ((Your name here)) is the only warning: none is the brand's.
    assert report.errors == []
    assert [w for w in report.warnings if "placeholder" not in w] == []
    built = make_handouts(
        project_dir,
        overrides={"title": "New brand", "stories": ["stay"]},
        output=tmp_path / "new.pdf",
        brand="riverside-trust",
        strict=True,
    )
    assert not built.failed
    assert "Riverside Trust" in PdfFacts.open(tmp_path / "new.pdf").text()
    # A second brand answering to the same name is refused.
    again = cli(project_dir, "new", "brand", "RIVERSIDE-trust")
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_brand_export_writes_a_brand_yml_folder(project_dir: Path) -> None:
    result = cli(project_dir, "brand", "export", "Example-Trust")
    assert result.exit_code == 0, result.output
    folder = project_dir / "build/brand-yml/example-trust"
    assert f"wrote {folder / '_brand.yml'}" in result.output
    for name in ("logo.svg", "extra.css", "fonts/source-serif-4-latin-700-normal.woff"):
        assert (folder / name).is_file(), name
    text = (folder / "_brand.yml").read_text()
    assert "primary: '#5b2a6e'" in text and "medium: logo.svg" in text


def test_a_new_brands_logo_comment_names_exactly_the_files_a_brand_accepts(
    project_dir: Path,
) -> None:
    """The comment is a promise: each kind of file it names loads as the logo, and a
    kind it does not name (GIF) is refused."""
    from PIL import Image

    from dnaoc_print.errors import ContentErrors

    assert cli(project_dir, "new", "brand", "logos").exit_code == 0
    folder = project_dir / "brands/logos"
    text = (folder / "brand.yaml").read_text()
    comment = text[text.index("# Optional: your logo") : text.index("# logo: logo.svg")]
    kinds = set(re.findall(r"\b(SVG|PNG|JPEG|GIF|WEBP|BMP)\b", comment))
    assert kinds == {"SVG", "PNG", "JPEG"}, comment
    assert "(.svg, .png, .jpg or .jpeg), under 2 MB" in comment
    for suffix in ["svg", "png", "jpg", "jpeg", "gif"]:
        logo = folder / f"logo.{suffix}"
        if suffix == "svg":
            logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
        else:
            Image.new("RGB", (9, 9), "#2d4f7c").save(logo, "JPEG" if suffix == "jpg" else None)
        (folder / "brand.yaml").write_text(text.replace("# logo: logo.svg", f"logo: {logo.name}"))
        if suffix == "gif":
            with pytest.raises(ContentErrors, match="logo.gif"):
                load_brand(project_dir, "logos")
        else:
            assert load_brand(project_dir, "logos")[0].logo == logo.resolve()
