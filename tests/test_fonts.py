"""Fonts accounted for: brand font files checked, faked styles reported, and no PDF
printed in a font that is not in the project. WeasyPrint's warnings name their file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.engine import build
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.cli.main import main
from dnaoc_print.content.brand_folders import brand_names
from dnaoc_print.errors import ContentErrors
from dnaoc_print.render.templating import RenderedDocument
from dnaoc_print.typeset.typesetting import lay_out

from conftest import BuiltProject
from pdf_inspect import PdfFacts, font_family

BRAND = "brands/example-trust/brand.yaml"
FONTS = "brands/example-trust/fonts"


def brand_problems(root: Path) -> tuple[list[str], list[str]]:
    try:
        _, warnings = load_brand(root, "example-trust")
    except ContentErrors as problems:
        return [str(error) for error in problems.errors], []
    return [], [str(warning) for warning in warnings]


def test_a_damaged_font_file_is_an_error_naming_it(project_dir: Path) -> None:
    damaged = project_dir / FONTS / "source-sans-3-latin-700-italic.woff"
    damaged.write_bytes(damaged.read_bytes()[:3000])  # cut short, as by a failed copy
    (project_dir / FONTS / "source-serif-4-latin-700-normal.woff").write_text("not a font\n")
    errors, _ = brand_problems(project_dir)
    lines = (project_dir / BRAND).read_text().splitlines()

    def line_of(name: str) -> int:
        return next(n for n, text in enumerate(lines, 1) if name in text)

    assert any(
        error.startswith(f"{BRAND}, line {line_of('source-sans-3-latin-700-italic')}: font file ")
        and "it cannot be read as a font" in error
        for error in errors
    ), errors
    assert any(
        f"line {line_of('source-serif-4-latin-700-normal')}:" in error
        and "'source-serif-4-latin-700-normal.woff': it is not a font file" in error
        for error in errors
    ), errors
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert result.exit_code == 1 and "source-serif-4-latin-700-normal.woff" in result.output


def test_a_font_file_of_another_family_weight_or_style_is_a_warning(project_dir: Path) -> None:
    brand = project_dir / BRAND
    text = brand.read_text()
    text = text.replace(  # a serif file claimed as the sans family's regular
        "fonts/source-sans-3-latin-400-normal.woff", "fonts/source-serif-4-latin-700-normal.woff"
    )
    text = text.replace(  # the italic file claimed as normal
        "source-sans-3-latin-ext-400-italic.woff, weight: 400, style: italic",
        "source-sans-3-latin-ext-400-italic.woff, weight: 400, style: normal",
    )
    brand.write_text(text)
    errors, warnings = brand_problems(project_dir)
    assert errors == []
    joined = "\n".join(warnings)
    assert "'source-serif-4-latin-700-normal.woff' is the family 'Source Serif 4', not " in joined
    assert "'source-serif-4-latin-700-normal.woff' has weight 700, not 400" in joined
    assert "'source-sans-3-latin-ext-400-italic.woff' is italic, not normal" in joined
    assert all(warning.startswith(f"{BRAND}, line ") for warning in warnings)
    strict = CliRunner().invoke(main, ["check", "-C", str(project_dir), "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize("fixture", ["built", "built_example_brand"])
def test_every_shipped_pdf_embeds_only_its_brands_font_files(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    built: BuiltProject = request.getfixturevalue(fixture)
    brand_name = "example-trust" if fixture == "built_example_brand" else "dna-of-care"
    assert set(brand_names(built.project.root)) == {
        "dna-of-care",
        "example-trust",
        "example-brand-yml",
    }
    brand, _ = load_brand(built.project.root, brand_name)
    allowed = {
        font_family(TTFont(file.path))
        for family in (brand.body_font, brand.heading_font)
        for file in family.files
    }
    pdfs = sorted(built.out_dir.rglob("*.pdf"))
    assert len(pdfs) == len(built.project.guides) + len(built.project.handouts)
    for path in pdfs:
        embedded = PdfFacts.open(path).embedded_font_families()
        assert embedded and embedded <= allowed, (path.name, embedded)


def test_faked_styles_warn_and_system_fonts_fail(one_guide: Path) -> None:
    guide = one_guide / "content/guides/compassion.md"
    guide.write_text(guide.read_text() + "\n## A *slanted* heading\n")
    relaxed = build(one_guide, brand="example-trust", workers=1)
    [built] = relaxed.built
    assert any(
        "text in Source Serif 4 bold italic (weight 700, style italic) has no font file" in w
        for w in built.warnings
    ), built.warnings
    strict = build(one_guide, brand="example-trust", workers=1, force=True, strict=True)
    assert "--strict" in strict.failed[0].error
    extra = one_guide / "brands/example-trust/extra.css"
    extra.write_text(extra.read_text() + "\n.guide p { font-family: monospace; }\n")
    good = built.target.read_bytes()
    [failed] = build(one_guide, brand="example-trust", workers=1).failed
    assert "not a font of the project but the system's" in failed.error
    assert built.target.read_bytes() == good


def test_weasyprint_warnings_name_the_stylesheet_and_line(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts/look.css").write_text("p { color: red; }\n\np { color: nope; }\n")
    (tmp_path / "brands/ours").mkdir(parents=True)
    (tmp_path / "brands/ours/extra.css").write_text("\n\n\n@media {{ oops\n")
    html = (
        '<html><head><link rel="stylesheet" href="look.css">'
        f'<link rel="stylesheet" href="{(tmp_path / "brands/ours/extra.css").as_uri()}">'
        "<style>\n\np { margin: banana; }</style></head><body><p>Text</p></body></html>"
    )
    document = RenderedDocument(html, "Warnings", tmp_path / "layouts")
    warnings = lay_out(document, "warnings", [tmp_path]).warnings
    assert "layouts/look.css, line 3: Ignored `color: nope`, invalid value" in warnings
    assert any(w.startswith("brands/ours/extra.css") for w in warnings), warnings
    assert (
        "a <style> element in the layouts, line 3: Ignored `margin: banana`, invalid value"
        in warnings
    )


def test_a_handout_in_a_system_font_fails_alone_in_its_batch(
    project_dir: Path, tmp_path: Path
) -> None:
    # Cyrillic is in none of the shipped brand's font files: that title would print
    # in a font of the system. The batch is typeset together and checked once; only
    # the handout with the foreign font fails, and says why.
    rows = tmp_path / "rows.csv"
    # Eight rows: batches of two (jobs.batches), the foreign one beside a good one.
    names = ["s1", "foreign", *(f"s{n}" for n in range(3, 9))]
    rows.write_text(
        "name,title,stories\n"
        + "".join(
            f"{name},{'Сессия' if name == 'foreign' else 'Session ' + name},stay\n"
            for name in names
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    report = make_handouts(project_dir, rows_from=rows, output=out, workers=1)
    assert sorted(o.target.stem for o in report.built) == sorted(set(names) - {"foreign"})
    [failed] = report.failed
    assert failed.target.name == "foreign.pdf"
    assert "not a font of the project but the system's" in failed.error
    assert not (out / "foreign.pdf").exists()
    for built_pdf in report.built:
        assert PdfFacts.open(built_pdf.target).embedded_font_families() <= {
            "Atkinson Hyperlegible Next"
        }
