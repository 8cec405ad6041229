"""A damaged font file is caught by `check` and fails its brand's outputs with the same
message, in a brand.yaml brand, a brand.yml brand and the project's own fonts/, never a
traceback, never a fallback to a system font."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dnaoc_print.cli.main import main
from dnaoc_print.content.fonts import read_font

from conftest import keep_only

YML_FONT = "brands/example-brand-yml/fonts/source-sans-3-latin-700-normal.woff"
PROJECT_FONT = "fonts/atkinson-hyperlegible-next-latin-400-normal.woff"


def spoil_glyphs(path: Path) -> None:
    """Overwrite the middle of the file (a WOFF's glyph table), leaving its name and
    style tables readable: what a lazy reader never notices."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 3
    data[middle : middle + 400] = bytes(400)
    path.write_bytes(bytes(data))


def cut_in_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_font_with_spoiled_glyphs_cannot_be_read(project_dir: Path) -> None:
    font = project_dir / YML_FONT
    spoil_glyphs(font)
    try:
        read_font(font)
    except ValueError as error:
        assert "cannot be read as a font" in str(error)
    else:
        raise AssertionError("a font with spoiled glyphs was read as sound")


def test_check_names_a_damaged_font_of_a_brand_yml_brand(project_dir: Path) -> None:
    spoil_glyphs(project_dir / YML_FONT)
    result = run("check", "-C", str(project_dir))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert (
        "brands/example-brand-yml/_brand.yml, line " in result.output
        and "font file 'source-sans-3-latin-700-normal.woff': it cannot be read as a font"
        in result.output
    ), result.output
    assert "3 brands (2 fine, 1 with errors)" in result.output


def test_a_font_cut_in_half_fails_check_and_the_build_of_its_brand(project_dir: Path) -> None:
    keep_only(project_dir, ("compassion",))
    cut_in_half(project_dir / PROJECT_FONT)
    result = run("check", "-C", str(project_dir), "--brand", "dna-of-care")
    message = (
        "font file 'atkinson-hyperlegible-next-latin-400-normal.woff': it cannot be read "
        "as a font: it is damaged, cut short"
    )
    assert result.exit_code == 1 and message in result.output, result.output
    assert "copy or download the font file again" in result.output
    build = run("build", "-C", str(project_dir), "-q")
    assert build.exit_code == 1, build.output
    assert "Traceback" not in build.output
    assert message in build.output
    assert "brands/dna-of-care/brand.yaml, line " in build.output
    assert not list((project_dir / "build").rglob("*.pdf"))
    assert not list((project_dir / "build").rglob("*.part"))


def test_a_family_counts_as_the_projects_only_if_one_of_its_files_is_sound(
    project_dir: Path,
) -> None:
    # Families are read from name tables alone (quick); soundness is asked only of a
    # family a PDF embeds. A family whose every file is damaged is not the project's:
    # WeasyPrint would skip the files and print in a system font of that name.
    from dnaoc_print.content.fonts import FONT_FOLDERS, is_project_family, read_family

    files = [
        path
        for folder in FONT_FOLDERS
        for path in (project_dir / folder).rglob("*.woff")
        if read_family(path) == "Source Sans 3"
    ]
    assert len(files) >= 2
    for path in files[1:]:
        spoil_glyphs(path)
    roots = [project_dir]
    assert is_project_family("source sans 3", roots)
    assert is_project_family("Atkinson Hyperlegible Next", roots)
    assert not is_project_family("DejaVu Sans", roots)
    spoil_glyphs(files[0])
    from dnaoc_print.content import fonts

    fonts._is_sound.cache_clear()
    fonts.project_font_files.cache_clear()
    assert not is_project_family("Source Sans 3", roots)
    assert read_family(files[0]) == "Source Sans 3"  # its name table still reads
