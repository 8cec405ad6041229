"""A brand given as brand.yml (``_brand.yml``, Posit's format): read, noted, built."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zlib
from pathlib import Path

import pypdfium2
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from dnaoc_print.brands.colours import parse_hex
from dnaoc_print.brands.export import export_brand
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.planning import guide_job, handout_job
from dnaoc_print.build.running import run_planned
from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import ContentErrors

from conftest import copy_project
from pdf_inspect import PdfFacts

SANS = "brands/example-trust/fonts/source-sans-3-latin"
SERIF = "brands/example-trust/fonts/source-serif-4-latin"
LOGO_GREEN = "#28a745"
# The outline example of the brand.yml documentation (posit-dev.github.io/brand-yml/brand),
# with its Google fonts swapped for local files (a build never fetches anything) and its
# logos as files in the folder.
DOCUMENTATION_EXAMPLE = """\
meta:
  name: brand.yml
  link:
    home: https://posit-dev.github.io/brand-yml
    github: https://github.com/posit-dev/brand-yml

logo:
  images:
    icon-color: logos/icon/brand-yml-icon-color.png
    wide-color: logos/wide/brand-yml-wide-color.png
    tall-color: logos/wide/brand-yml-tall-color.png
  small: icon-color
  medium: wide-color
  large: tall-color

color:
  palette:
    orange: "#FF6F20"
    pink: "#FF3D7F"
    green: "#28A745"
    yellow: "#FFC107"
  primary: orange
  success: green
  warning: yellow
  danger: pink

typography:
  fonts:
    - family: Source Sans 3
      source: file
      files:
        - path: fonts/sans-regular.woff
        - path: fonts/sans-italic.woff
          style: italic
        - path: fonts/sans-bold.woff
          weight: bold
    - family: IBM Plex Mono
      source: google
    - family: Source Serif 4
      source: file
      files:
        - path: fonts/serif-bold.woff
          weight: 700
  base:
    family: Source Sans 3
    line-height: 1.6
  headings:
    family: Source Serif 4
    weight: normal
  link:
    color: purple
  monospace:
    family: IBM Plex Mono
    size: 1em

defaults:
  bootstrap:
    defaults:
      enable-rounded: false
  quarto:
    format:
      html:
        toc: true
"""


def png(width: int, height: int, colour: str) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(parse_hex(colour)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def brand_yml_folder(project_dir: Path, text: str = DOCUMENTATION_EXAMPLE) -> Path:
    """brands/docs-example/ holding only a _brand.yml, its fonts and its logos."""
    folder = project_dir / "brands/docs-example"
    (folder / "fonts").mkdir(parents=True)
    for name, source in {
        "sans-regular": f"{SANS}-400-normal",
        "sans-italic": f"{SANS}-400-italic",
        "sans-bold": f"{SANS}-700-normal",
        "serif-bold": f"{SERIF}-700-normal",
    }.items():
        shutil.copy(project_dir / f"{source}.woff", folder / f"fonts/{name}.woff")
    for logo in ("icon/brand-yml-icon-color", "wide/brand-yml-wide-color"):
        (folder / f"logos/{logo}.png").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"logos/{logo}.png").write_bytes(png(100, 40, LOGO_GREEN))
    (folder / "_brand.yml").write_text(text)
    return folder


def pixels_near(path: Path, colour: str, page: int = 0, dpi: int = 60) -> int:
    document = pypdfium2.PdfDocument(path)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    target = parse_hex(colour)
    return sum(
        count
        for count, pixel in image.getcolors(maxcolors=1 << 24)
        if sum(abs(a - b) for a, b in zip(pixel, target, strict=True)) <= 24
    )


def build_some(
    root: Path,
    brand: str,
    out_dir: Path,
    guide: str | None = "resilience",
    handouts: int = 99,
    workers: int = 2,
) -> None:
    """One guide (unless None) and the handouts in ``brand``, as ``build --brand`` makes them."""
    project = load_project(root)
    brands = Brands(project)
    planned = []
    if guide is not None:
        planned.append(guide_job(project.guide(guide), project, brands, brand, out_dir, "a4"))
    planned += [
        handout_job(handout, brands, brand, out_dir / "handouts" / f"{handout.name}.pdf")
        for handout in project.handouts[:handouts]
    ]
    outcomes = run_planned(planned, None, [project.root], workers=workers)
    assert all(outcome.status == "built" for outcome in outcomes), [o.error for o in outcomes]


def test_a_brand_yml_folder_builds_in_its_colours_fonts_and_logo(
    project_dir: Path, tmp_path: Path
) -> None:
    brand_yml_folder(project_dir)
    out = tmp_path / "out"
    build_some(project_dir, "docs-example", out)
    guide = out / "guides/resilience.pdf"
    handouts = sorted((out / "handouts").glob("*.pdf"))
    assert len(handouts) == len(load_project(project_dir).handouts)
    orange = "#ff6f20"
    assert pixels_near(guide, orange) > 300  # the cover, in the primary colour
    assert pixels_near(guide, LOGO_GREEN) > 2000  # the medium logo fills its 50 x 20 mm slot
    for handout in handouts:
        assert pixels_near(handout, orange) > 1000, handout.name  # the band
        assert pixels_near(handout, LOGO_GREEN) > 500, handout.name
    for pdf in [guide, *handouts]:
        facts = PdfFacts.open(pdf)
        assert facts.embedded_font_families() == {"Source Sans 3", "Source Serif 4"}, pdf.name
        assert "brand.yml" in facts.text()  # meta.name, as the organisation


def test_every_field_left_out_is_noted_once_and_every_gap_filled_from_the_default(
    project_dir: Path,
) -> None:
    brand_yml_folder(project_dir)
    brand, warnings = load_brand(project_dir, "docs-example")
    notes = list(brand.notes)
    for field in (
        "'meta.link'",
        "'logo.small'",
        "'logo.large'",
        "'color.success'",
        "'color.warning'",
        "'color.danger'",
        "'typography.base.line-height'",
        "'typography.headings.weight'",
        "'typography.link'",
        "'typography.monospace'",
        "'defaults.bootstrap'",
        "'defaults.quarto'",
        "'color.palette'",
        "'IBM Plex Mono'",
        "no 'color.foreground'",
        "no 'color.background'",
        "no 'color.secondary'",
        "no 'color.tertiary'",
    ):
        assert sum(field in note for note in notes) == 1, (field, notes)
    assert len(notes) == 18, notes
    assert all(note.startswith("brands/docs-example/_brand.yml, line ") for note in notes)
    palette = next(note for note in notes if "'color.palette'" in note)
    assert "pink, green, yellow" in palette
    default, _ = load_brand(project_dir, "dna-of-care")
    for ours in ("text", "background", "secondary", "accent"):
        assert brand.colours[ours] == default.colours[ours]
    # Orange on white is below 4.5:1: a warning that names brand.yml's own field.
    [warning] = warnings
    assert str(warning).startswith("brands/docs-example/_brand.yml, line 22: 'color.primary'")
    # A build says them once, however often (and in whatever capitals) the brand is asked for.
    brands = Brands(load_project(project_dir))
    brands.brand("docs-example")
    brands.brand("Docs-Example")
    assert brands.brand_notes == notes
    # check shows the notes too; they are not warnings, so only the contrast counts.
    result = CliRunner().invoke(main, ["check", "--brand", "docs-example", "-C", str(project_dir)])
    assert result.exit_code == 0
    assert result.stderr.count("note: ") == 18
    contrast = [line for line in result.stderr.splitlines() if line.startswith("warning: brands/")]
    assert len(contrast) == 1 and "'color.primary'" in contrast[0]


def test_fonts_from_google_are_explained_and_the_default_used(project_dir: Path) -> None:
    text = DOCUMENTATION_EXAMPLE.replace(
        "family: Source Serif 4\n    weight", "family: Rubik\n    weight"
    )
    text = text.replace(
        "    - family: IBM Plex Mono\n",
        "    - family: Rubik\n      source: bunny\n    - family: IBM Plex Mono\n",
    )
    brand_yml_folder(project_dir, text)
    brand, warnings = load_brand(project_dir, "docs-example")
    [font_warning] = [w for w in warnings if "Rubik" in w.message]
    assert "comes from Bunny Fonts, and a build never fetches anything" in font_warning.message
    assert "download the font files" in font_warning.hint
    assert "brands/docs-example/fonts/" in font_warning.hint
    assert brand.heading_font == load_brand(project_dir, "dna-of-care")[0].heading_font


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("primary: orange", "primary: purple"), "line 22: 'color.primary' is 'purple'"),
        (('orange: "#FF6F20"', "orange: #FF6F20"), "line 22: 'color.primary' has no colour"),
        (("fonts/sans-bold.woff", "https://example.com/b.woff"), "is on the web"),
        (("fonts/sans-bold.woff", "fonts/Sans-Bold.woff"), "did you mean 'fonts/sans-bold.woff'?"),
        (("weight: bold", "weight: heavyish"), "font weight 'heavyish'"),
    ],
)
def test_mistakes_in_a_brand_yml_are_errors_with_their_line(
    project_dir: Path, edit: tuple[str, str], expected: str
) -> None:
    assert edit[0] in DOCUMENTATION_EXAMPLE
    brand_yml_folder(project_dir, DOCUMENTATION_EXAMPLE.replace(*edit))
    with pytest.raises(ContentErrors) as caught:
        load_brand(project_dir, "docs-example")
    assert expected in str(caught.value)


@pytest.mark.parametrize("name", ["dna-of-care", "example-trust"])
def test_a_brand_exported_and_read_back_builds_identical_pdfs(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Font subsets are stamped with the time they are made unless this is set (a
    # reproducibility gap outside brands); in this process, so the stamp reaches them.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    export = export_brand(project_dir, name, tmp_path / "export")
    assert export.brand_file == tmp_path / "export/_brand.yml"
    assert list((tmp_path / "export/fonts").glob("OFL*.txt"))  # font licences travel too
    shutil.copytree(tmp_path / "export", project_dir / "brands/exported")
    imported, warnings = load_brand(project_dir, "exported")
    assert warnings == [] and imported.notes == ()
    for brand in (name, "exported"):
        build_some(project_dir, brand, tmp_path / brand, handouts=1, workers=1)
    guide = Path("guides/resilience.pdf")
    original = without_id((tmp_path / name / guide).read_bytes())
    assert without_id((tmp_path / "exported" / guide).read_bytes()) == original
    # A handout, /ID and all (the README: "the same bytes for handouts").
    handout = Path("handouts") / f"{load_project(project_dir).handouts[0].name}.pdf"
    assert (tmp_path / "exported" / handout).read_bytes() == (
        tmp_path / name / handout
    ).read_bytes()


@pytest.mark.parametrize("large", [False, True], ids=["logo-4kb", "logo-over-100kb"])
def test_a_brand_with_a_png_logo_read_back_from_its_export_prints_the_same_handouts(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    # WeasyPrint names a raster image after its address: a logo given by its path would
    # get another name in the brand's other folder. Up to 100 KB it is given as its bytes
    # (the README: the same bytes for handouts); a larger one keeps its path, and the
    # handouts print the same but differ in that name.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = project_dir / "brands/example-trust"
    logo = png(100, 40, LOGO_GREEN)
    if large:  # the same green, stored uncompressed
        image = Image.open(io.BytesIO(png(300, 120, LOGO_GREEN)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=0)
        logo = buffer.getvalue()
    assert (len(logo) > 100_000) == large
    (folder / "logo.png").write_bytes(logo)
    brand_file = folder / "brand.yaml"
    brand_file.write_text(brand_file.read_text().replace("logo: logo.svg", "logo: logo.png"))
    export_brand(project_dir, "example-trust", project_dir / "brands/exported")
    assert load_brand(project_dir, "exported")[0].logo.name == "logo.png"
    for brand in ("example-trust", "exported"):
        build_some(project_dir, brand, tmp_path / brand, guide=None, handouts=1, workers=1)
    [handout] = (tmp_path / "example-trust/handouts").glob("*.pdf")
    assert pixels_near(handout, LOGO_GREEN) > 200  # the logo is printed
    exported = tmp_path / "exported/handouts" / handout.name
    if not large:
        assert exported.read_bytes() == handout.read_bytes()
    else:
        assert exported.read_bytes() != handout.read_bytes()
        assert page_pixels(exported) == page_pixels(handout)


def page_pixels(path: Path, dpi: int = 100) -> bytes:
    document = pypdfium2.PdfDocument(path)
    try:
        return document[0].render(scale=dpi / 72).to_pil().tobytes()
    finally:
        document.close()


@pytest.mark.parametrize("tint", [None, "#e3f1f8"])
def test_a_brand_and_its_export_suggest_the_same_colour_for_a_pale_one(
    project_dir: Path, tint: str | None
) -> None:
    # The export leaves the worked-out colours (tint, on_primary...) to be worked out
    # again, so that trying the suggested primary changes them in both brands alike;
    # one the brand gives itself (the tint, here) travels, and stays put in both.
    brand_file = project_dir / "brands/example-trust/brand.yaml"
    text = brand_file.read_text().replace('primary: "#5b2a6e"', 'primary: "#4fa3d1"')
    if tint:
        text = text.replace('  text: "#212b32"', f'  tint: "{tint}"\n  text: "#212b32"')
    brand_file.write_text(text)
    original, original_warnings = load_brand(project_dir, "example-trust")
    export = export_brand(project_dir, "example-trust", project_dir / "brands/exported")
    written = yaml.safe_load(export.brand_file.read_text())["defaults"]["dnaoc-print"]
    assert written.get("colours") == ({"tint": tint} if tint else None)
    exported, exported_warnings = load_brand(project_dir, "exported")
    assert exported.colours == original.colours

    def advice(warnings) -> list[tuple[str, str | None, str]]:
        return [
            (w.colour, w.suggestion, re.search(r"at least (\S+):1", w.hint)[1]) for w in warnings
        ]

    assert advice(exported_warnings) == advice(original_warnings)
    if tint is None:
        assert advice(original_warnings) == [("#4fa3d1", "#2a76a0", "4.51")]


def without_id(pdf: bytes) -> bytes:
    """A PDF with its /ID taken out: the ID is a fingerprint of the HTML typeset, which
    names the font files where they are (fonts/ for one brand, the brand's folder for
    the other). Every other byte must be the same."""
    pdf, count = re.subn(rb"/ID \[<[0-9a-f]+> ?<[0-9a-f]+>\]", b"", pdf)
    assert count == 1
    return pdf


FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 1000),
    st.text(max_size=20),
    st.sampled_from(["orange", "#abc", "fonts/sans-bold.woff", "bold", "latin", "google", "file"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
PLACES = (
    "meta",
    "meta.name",
    "meta.name.full",
    "logo",
    "logo.images",
    "logo.medium",
    "logo.medium.light",
    "color",
    "color.palette",
    "color.palette.orange",
    "color.primary",
    "color.foreground",
    "typography",
    "typography.fonts",
    "typography.base",
    "typography.headings",
    "typography.headings.family",
    "defaults",
    "defaults.dnaoc-print",
    "defaults.dnaoc-print.colours",
    "defaults.dnaoc-print.unicode-ranges",
    "defaults.dnaoc-print.css",
    "odd",
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fuzz") / "project")
    brand_yml_folder(project)
    return project


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(PLACES), values, max_size=3))
def test_any_brand_yml_loads_or_gives_located_errors(fuzzed: Path, changes) -> None:
    data = yaml.safe_load(DOCUMENTATION_EXAMPLE)
    for place, value in changes.items():
        *parents, last = place.split(".")
        holder = data
        for key in parents:
            if not isinstance(holder.get(key), dict):
                holder[key] = {}
            holder = holder[key]
        holder[last] = value
    (fuzzed / "brands/docs-example/_brand.yml").write_text(yaml.safe_dump(data))
    try:
        load_brand(fuzzed, "docs-example")
    except ContentErrors as errors:
        assert all("brands/docs-example/_brand.yml" in str(e) for e in errors.errors), errors
