"""`brand export -o`: a path ending in .yml is the file meant, a folder is a folder,
and anything else is refused with the forms that work."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.brands.export import ExportPathError, export_destination
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.cli.main import main


def export(project_dir: Path, out: Path | str):
    return CliRunner().invoke(
        main, ["brand", "export", "example-trust", "-o", str(out), "-C", str(project_dir)]
    )


def test_a_yml_path_is_the_file_and_its_folder_gets_the_brands_files(project_dir: Path) -> None:
    target = project_dir / "brands/reimported/_brand.yml"
    result = export(project_dir, target)
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    assert target.is_file() and not (target / "_brand.yml").exists()
    folder = target.parent
    assert (folder / "logo.svg").is_file()
    assert (folder / "fonts/source-serif-4-latin-700-normal.woff").is_file()
    # Written where the user meant, it is a brand of the project again.
    brand, _ = load_brand(project_dir, "reimported")
    assert brand.colours["primary"] == "#5b2a6e"


def test_another_yml_name_is_written_with_a_note_on_the_name_tools_look_for(
    project_dir: Path,
) -> None:
    target = project_dir / "exports/trust.YAML"
    result = export(project_dir, target)
    assert result.exit_code == 0, result.output
    assert target.is_file() and (target.parent / "logo.svg").is_file()
    assert "note: Quarto and dnaoc-print look for _brand.yml: rename trust.YAML" in result.stderr


def test_a_folder_path_keeps_working(project_dir: Path) -> None:
    for out in (project_dir / "exports/new-folder", project_dir / "brands"):
        result = export(project_dir, out)
        assert result.exit_code == 0, result.output
        assert (out / "_brand.yml").is_file() and (out / "logo.svg").is_file()


@pytest.mark.parametrize("name", ["trust.pdf", "notes.txt", "existing-file"])
def test_anything_else_is_refused_with_the_right_form(project_dir: Path, name: str) -> None:
    out = project_dir / name
    if name == "existing-file":
        out.write_text("mine\n")
    result = export(project_dir, out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Invalid value for '-o' / '--out'" in result.output
    assert "not a folder or a .yml file" in result.output
    assert "-o brands/new-name/_brand.yml" in result.output
    assert not (project_dir / "build/brand-yml").exists()
    if name == "existing-file":
        assert out.read_text() == "mine\n"


def test_export_destination_decides_from_the_path_alone(tmp_path: Path) -> None:
    assert export_destination(tmp_path / "a/_brand.yml") == (tmp_path / "a", "_brand.yml")
    assert export_destination(tmp_path / "a/b.yaml") == (tmp_path / "a", "b.yaml")
    assert export_destination(tmp_path / "new") == (tmp_path / "new", "_brand.yml")
    (tmp_path / "odd.yml").mkdir()
    assert export_destination(tmp_path / "odd.yml") == (tmp_path / "odd.yml", "_brand.yml")
    with pytest.raises(ExportPathError, match="a '.json' file"):
        export_destination(tmp_path / "brand.json")


def test_an_export_onto_the_brands_own_files_is_refused_before_anything_is_copied(
    project_dir: Path,
) -> None:
    """Found by hand after the fuzzing: `-o .` in a project's own folder would copy the
    project's fonts/ onto themselves (a traceback-like 'are the same file' before)."""
    before = sorted(path.name for path in project_dir.iterdir())
    result = CliRunner().invoke(
        main, ["brand", "export", "dna-of-care", "-o", str(project_dir), "-C", str(project_dir)]
    )
    assert result.exit_code == 1, result.output
    assert f"will not export into {project_dir.resolve()}: " in result.output
    assert "would be copied onto itself" in result.output and "same file" not in result.output
    assert sorted(path.name for path in project_dir.iterdir()) == before
    assert not (project_dir / "_brand.yml").exists()
