"""A brand that is hard to get wrong: the four traps a comms person met making one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.brands.colours import contrast_ratio
from dnaoc_print.brands.contrast import CONTRAST_PAIRS, derive_colours
from dnaoc_print.brands.export import export_brand
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.checking import check_project as check
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.cli.main import main
from dnaoc_print.errors import ContentErrors

from pdf_inspect import PdfFacts

EXAMPLE = "brands/example-trust"


def a_brand(project_dir: Path, folder: str, edit=lambda text: text) -> Path:
    """A copy of the example brand under another folder name, its file edited."""
    destination = project_dir / "brands" / folder
    shutil.copytree(project_dir / EXAMPLE, destination)
    brand_file = destination / "brand.yaml"
    brand_file.write_text(edit(brand_file.read_text()))
    return destination


def cli(project_dir: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project_dir)])


# 1. Folder names: no loop between "not a brand name" and "did you mean".


def test_a_brand_folder_is_found_whatever_the_capitals(project_dir: Path, tmp_path: Path) -> None:
    a_brand(project_dir, "Acme-Trust")
    listed = cli(project_dir, "list", "brands").output
    assert "Acme-Trust" in listed and "cannot be used" not in listed
    for asked in ("acme-trust", "Acme-Trust", "ACME-TRUST"):
        brand, _ = load_brand(project_dir, asked)
        assert brand.folder.name == "Acme-Trust"
    assert check(project_dir, "acme-trust").errors == []
    report = make_handouts(
        project_dir,
        overrides={"title": "Capitals", "stories": ["stay"]},
        output=tmp_path / "capitals.pdf",
        brand="acme-trust",
    )
    assert not report.failed
    assert "Northdale Community Health" in PdfFacts.open(tmp_path / "capitals.pdf").text()


def test_a_folder_name_that_cannot_be_a_brand_name_is_refused_with_the_rename(
    project_dir: Path,
) -> None:
    a_brand(project_dir, "Acme Health")
    rename = "rename the folder to 'acme-health'"
    # list, check and build all say the same thing, whichever spelling is asked for.
    assert rename in cli(project_dir, "list", "brands").output
    assert any(rename in error for error in check(project_dir).errors)
    for asked in ("Acme Health", "acme-health"):
        with pytest.raises(ContentErrors) as caught:
            load_brand(project_dir, asked)
        assert rename in str(caught.value)
        assert "did you mean" not in str(caught.value)
        assert any(rename in error for error in check(project_dir, asked).errors)


def test_two_folders_differing_only_in_capitals_are_refused(project_dir: Path) -> None:
    a_brand(project_dir, "acme")
    a_brand(project_dir, "ACME")
    with pytest.raises(ContentErrors, match="differ only in capitals"):
        load_brand(project_dir, "acme")


# 2. One suggested colour per setting, sure to pass every pair it is used in.


@pytest.mark.parametrize(
    ("setting", "edit"),
    [
        ("text", lambda t: t.replace('text: "#212b32"', 'text: "#9a9a9a"')),
        ("primary", lambda t: t.replace('primary: "#5b2a6e"', 'primary: "#c9a3d6"')),
    ],
)
def test_one_suggestion_per_setting_that_passes_every_pair(
    project_dir: Path, setting: str, edit
) -> None:
    brand_file = project_dir / EXAMPLE / "brand.yaml"
    brand_file.write_text(edit(brand_file.read_text()))
    _, warnings = load_brand(project_dir, "example-trust")
    about_setting = [w for w in warnings if f"'colours.{setting}'" in w.message]
    assert len(warnings) == len(about_setting) == 1, [str(w) for w in warnings]
    [warning] = about_setting
    suggestion = re.search(r"#[0-9a-f]{6}", warning.hint)[0]
    given = {
        "primary": "#5b2a6e",
        "secondary": "#2f8f83",
        "accent": "#f2a900",
        "text": "#212b32",
        "background": "#ffffff",
    }
    colours = derive_colours({**given, setting: suggestion})
    for text, background in CONTRAST_PAIRS:
        assert contrast_ratio(colours[text], colours[background]) >= 4.5, (text, background)


# 3. Did you mean, for a file named in other capitals or with another extension.


@pytest.mark.parametrize(
    ("on_disk", "written"),
    [("Acme-Logo.PNG", "acme-logo.png"), ("acme-logo.svg", "acme-logo.png")],
)
def test_a_file_named_in_other_capitals_or_extension_gets_did_you_mean(
    project_dir: Path, on_disk: str, written: str
) -> None:
    folder = project_dir / EXAMPLE
    shutil.copy(folder / "logo.svg", folder / on_disk)
    brand_file = folder / "brand.yaml"
    brand_file.write_text(brand_file.read_text().replace("logo: logo.svg", f"logo: {written}"))
    with pytest.raises(ContentErrors) as caught:
        load_brand(project_dir, "example-trust")
    assert f"did you mean '{on_disk}'?" in str(caught.value)


# 4. --strict with --brand is about that brand only.


def test_strict_check_and_build_of_one_brand_ignore_another_brands_warnings(
    project_dir: Path, tmp_path: Path
) -> None:
    a_brand(project_dir, "unfinished", lambda t: t.replace('"#5b2a6e"', '"#c9a3d6"'))
    everything = cli(project_dir, "check", "--strict")
    assert everything.exit_code == 1 and "#c9a3d6" in everything.stderr
    one = cli(project_dir, "check", "--strict", "--brand", "dna-of-care")
    assert one.exit_code == 0, one.stderr
    assert "#c9a3d6" not in one.stderr
    unfinished = cli(project_dir, "check", "--strict", "--brand", "unfinished")
    assert unfinished.exit_code == 1 and "#c9a3d6" in unfinished.stderr
    report = make_handouts(
        project_dir,
        overrides={"title": "Strict", "stories": ["stay"]},
        output=tmp_path / "strict.pdf",
        brand="dna-of-care",
        strict=True,
    )
    assert not report.failed and report.notes == []


def test_check_with_brand_also_checks_a_brand_a_handout_spec_names(project_dir: Path) -> None:
    # build --brand dna-of-care would dress this handout in the unfinished brand.
    a_brand(project_dir, "unfinished", lambda t: t.replace('"#5b2a6e"', '"#c9a3d6"'))
    spec = project_dir / "content/handouts/compassion.yaml"
    spec.write_text(spec.read_text() + "brand: Unfinished\n")
    result = cli(project_dir, "check", "--strict", "--brand", "dna-of-care")
    assert result.exit_code == 1 and "#c9a3d6" in result.stderr


# 5. A pale colour is a warning, whatever else is wrong with the brand.


@pytest.mark.parametrize("brand_file", ["brand.yaml", "_brand.yml"])
def test_low_contrast_beside_a_missing_logo_is_a_warning_not_an_error(
    project_dir: Path, brand_file: str
) -> None:
    pale = a_brand(project_dir, "pale", lambda t: t.replace('"#5b2a6e"', '"#4fa3d1"'))
    if brand_file == "_brand.yml":
        shutil.rmtree(pale)
        export_brand(project_dir, "example-trust", project_dir / "brands/exported")
        shutil.move(project_dir / "brands/exported", pale)
        yml = pale / "_brand.yml"
        yml.write_text(yml.read_text().replace("'#5b2a6e'", "'#4fa3d1'"))
    text = (pale / brand_file).read_text()
    assert "logo.svg" in text
    (pale / brand_file).write_text(text.replace("logo.svg", "nowhere.svg"))
    result = cli(project_dir, "check", "--brand", "pale")
    lines = result.stderr.splitlines()
    about_pale = [
        line for line in lines if line.startswith(("error: ", "warning: ")) and "pale" in line
    ]
    assert len(about_pale) == 2, result.stderr
    [logo] = [line for line in about_pale if "nowhere.svg" in line]
    [contrast] = [line for line in about_pale if "#4fa3d1" in line]
    assert logo.startswith(f"error: brands/pale/{brand_file}")
    assert contrast.startswith(f"warning: brands/pale/{brand_file}")
    assert "1 brand (0 fine, 1 with errors)" in result.output
    # As a warning it is when the logo is found.
    (pale / brand_file).write_text(text)
    fixed = cli(project_dir, "check", "--brand", "pale").stderr
    assert f"warning: {contrast.removeprefix('warning: ')}" in fixed.splitlines()


@pytest.mark.parametrize("brand_file", ["brand.yaml", "_brand.yml"])
def test_low_contrast_is_still_warned_beside_another_colour_that_is_not_a_colour(
    project_dir: Path, brand_file: str
) -> None:
    """A pale text colour is warned about though the accent (tertiary) cannot be read:
    the pairs it is printed in need no accent."""
    pale = a_brand(project_dir, "pale")
    if brand_file == "_brand.yml":
        shutil.rmtree(pale)
        shutil.copytree(project_dir / "brands/example-brand-yml", pale)
    path = pale / brand_file
    text = path.read_text()
    if brand_file == "brand.yaml":
        text = text.replace('"#212b32"', '"#bbbbbb"').replace('"#f2a900"', '"#d9a13"')
        field, bad = "colours.text", "colours.accent"
    else:
        text = text.replace('ink: "#1f2a2e"', 'ink: "#bbbbbb"')
        text = text.replace("tertiary: sun ", 'tertiary: "#e8a1" ')
        field, bad = "color.foreground", "color.tertiary"
    assert "#bbbbbb" in text and ("#d9a13" in text or "#e8a1" in text)
    path.write_text(text)
    result = cli(project_dir, "check", "--brand", "pale")
    lines = [line for line in result.stderr.splitlines() if "pale" in line]
    [error] = [line for line in lines if line.startswith("error: ")]
    [warning] = [line for line in lines if line.startswith("warning: ")]
    assert error.startswith(f"error: brands/pale/{brand_file}, line ") and f"'{bad}'" in error
    assert warning.startswith(f"warning: brands/pale/{brand_file}, line ")
    assert f"'{field}' #bbbbbb on background #ffffff has contrast 1.92:1" in warning
    assert "1 brand (0 fine, 1 with errors)" in result.output
