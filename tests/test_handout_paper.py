"""Handouts designed for their paper (docs/handouts-on-paper.md).

Every shipped spec and the example CSV on every paper and orientation, and in large
print, built once (module fixtures, one batch each); the tests read the PDFs: which
fit and at which size, the session band's values whole on their lines, no
placeholder printed, large print's rules.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdfium2
import pytest

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.half_sheet import fits_half_sheet
from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.build.planning import handout_job
from dnaoc_print.build.print_outputs import PrintOptions, handout_print_jobs
from dnaoc_print.build.running import run_planned
from dnaoc_print.build.two_up import two_up_notes
from dnaoc_print.content.loading import load_project
from dnaoc_print.model import Handout

from conftest import PROJECT_ROOT, BuiltProject
from pdf_inspect import POINTS_PER_MM, PdfFacts

PAPERS = ("a4", "letter", "a5", "half-letter")
ORIENTATIONS = ("portrait", "landscape")
EXAMPLE_CSV = PROJECT_ROOT / "content/handouts/sessions-example.csv"
# The one reason a handout may fail on a paper (README "Handouts for your session").
DOES_NOT_FIT = "does not fit on one page: even at the smallest allowed size"
# The title's size at fit step 0 on A4 and Letter (layouts/handout.css, .handout).
TITLE_AT_STEP_0_PT = 20.0
# Large print (layouts/large-print.css): body text, and the least of anything.
LARGE_BODY_PT, LARGE_LEAST_PT = 16.0, 14.0


@dataclasses.dataclass
class Matrix:
    project_handouts: list[Handout]
    outcomes: dict[Path, object]
    out_dir: Path

    def target(self, name: str, paper: str, orientation: str = "portrait") -> Path:
        return self.out_dir / f"{name}-{paper}-{orientation}.pdf"

    def large(self, name: str) -> Path:
        return self.out_dir / f"{name}-a4-portrait-large-print.pdf"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    """Every shipped spec on every paper, both orientations, and in large print: one run."""
    project = load_project(PROJECT_ROOT)
    brands = Brands(project)
    out_dir = tmp_path_factory.mktemp("on-paper")
    planned = []
    for handout in project.handouts:
        for paper in PAPERS:
            for orientation in ORIENTATIONS:
                placed = dataclasses.replace(handout, paper=paper, orientation=orientation)
                target = out_dir / f"{handout.name}-{paper}-{orientation}.pdf"
                planned.append(handout_job(placed, brands, None, target))
                if paper == "a4" and orientation == "portrait":
                    options = PrintOptions(large_print=True)
                    planned += handout_print_jobs(placed, brands, None, target, options)
    outcomes = run_planned(planned, None, [PROJECT_ROOT], workers=2)
    return Matrix(project.handouts, {o.target: o for o in outcomes}, out_dir)


@dataclasses.dataclass
class ExampleCsv:
    # The README's two-up example, and the example's rows on every paper and orientation
    # (one CSV of them all, a paper and orientation column added: one run).
    two_up: object
    everywhere: object
    places: dict[int, tuple[str, str]]  # CSV line: (paper, orientation)


@pytest.fixture(scope="module")
def example_csv(tmp_path_factory: pytest.TempPathFactory) -> ExampleCsv:
    import csv

    out_dir = tmp_path_factory.mktemp("example-csv")
    two_up = make_handouts(
        PROJECT_ROOT,
        overrides={"paper": "a5"},
        rows_from=EXAMPLE_CSV,
        output=out_dir / "two-up",
        workers=2,
        two_up=True,
    )
    with EXAMPLE_CSV.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    table, places = out_dir / "everywhere.csv", {}
    with table.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, [*rows[0], "Paper", "Orientation"])
        writer.writeheader()
        for paper in PAPERS:
            for orientation in ORIENTATIONS:
                for row in rows:
                    places[len(places) + 2] = (paper, orientation)
                    name = f"{row['Name']}-{paper}-{orientation}"
                    writer.writerow(
                        {**row, "Name": name, "Paper": paper, "Orientation": orientation}
                    )
    everywhere = make_handouts(
        PROJECT_ROOT, rows_from=table, output=out_dir / "everywhere", workers=2
    )
    return ExampleCsv(two_up, everywhere, places)


def test_every_shipped_spec_builds_or_fails_for_the_one_documented_reason(
    matrix: Matrix,
) -> None:
    assert len(matrix.outcomes) == len(matrix.project_handouts) * (len(PAPERS) * 2 + 1)
    for target, outcome in matrix.outcomes.items():
        if outcome.status == "built":
            pages = PdfFacts.open(target).page_count
            assert pages == 1 or target.stem.endswith("large-print"), target.name
        else:
            # Named by its spec file.
            name = max(
                (h.name for h in matrix.project_handouts if target.stem.startswith(h.name + "-")),
                key=len,
            )
            spec = f"content/handouts/{name}.yaml: "
            assert outcome.error.startswith(spec + DOES_NOT_FIT), (target.name, outcome.error)
            assert re.search(r"\d+ mm too much\. To fit: ", outcome.error), outcome.error


def test_every_shipped_spec_fits_a4_and_letter_as_designed(matrix: Matrix) -> None:
    """At fit step 0 (its title at the designed size), in one layout."""
    for handout in matrix.project_handouts:
        for paper in ("a4", "letter"):
            target = matrix.target(handout.name, paper)
            assert matrix.outcomes[target].status == "built", matrix.outcomes[target].error
            sizes = PdfFacts.open(target).text_sizes()
            assert max(sizes) == TITLE_AT_STEP_0_PT, (target.name, max(sizes))
            # Body text at the designed 11 pt: nothing set smaller than 10 pt.
            assert min(sizes) >= 10.0


def test_two_up_advice_is_given_only_where_it_works(matrix: Matrix) -> None:
    """`--two-up` suggests `--paper a5` for a handout only if it fits A5 (and half-letter)."""
    [note] = two_up_notes(matrix.project_handouts, PrintOptions(two_up=True))
    advised = [h for h in matrix.project_handouts if fits_half_sheet(h)]
    assert advised, "the single-story example is small enough for half a sheet"
    named = note.split(". For ", 1)[1].split(":", 1)[0].split(", ")
    assert named == [h.name for h in advised]
    for handout in advised:
        for paper in ("a5", "half-letter"):
            outcome = matrix.outcomes[matrix.target(handout.name, paper)]
            assert outcome.status == "built", (handout.name, paper, outcome.error)


def test_the_readme_example_csv_builds_on_every_paper_and_its_two_up_sheets(
    example_csv: ExampleCsv,
) -> None:
    for outcome in example_csv.everywhere.failed:
        line = int(re.search(r"everywhere\.csv, line (\d+): ", outcome.error)[1])
        paper, orientation = example_csv.places[line]
        # Every row fits every paper in portrait; in landscape it may be too long.
        assert orientation == "landscape", (paper, outcome.error)
        assert f"line {line}: {DOES_NOT_FIT}" in outcome.error
    built = [o for o in example_csv.everywhere.outcomes if o.status == "built"]
    assert len(built) + len(example_csv.everywhere.failed) == len(example_csv.places)
    assert not example_csv.two_up.failed, [o.error for o in example_csv.two_up.failed]
    [sheets] = [o for o in example_csv.two_up.outcomes if "two-up" in o.job_name]
    assert sheets.status == "built"
    # Three handouts, two to a sheet: two A4 sheets.
    facts = PdfFacts.open(sheets.target)
    assert facts.page_count == 2 and sorted(facts.page_sizes_mm()[0]) == [210, 297]


def test_nothing_in_a_default_build_prints_a_placeholder(built: BuiltProject) -> None:
    pdfs = sorted(built.out_dir.rglob("*.pdf"))
    assert len(pdfs) >= 12
    for path in pdfs:
        assert "((" not in PdfFacts.open(path).text(), path.name


# -- The session band: a form whose values are never broken -----------------------------

BAND_ROWS = [
    {
        "name": "long-email",
        "stories": "stay",
        "session.venue": "Seminar room 2, Education Centre",
        "session.facilitator": "Alexandra Montgomery-Smith",
        "session.contact": "learning.and.development@example.nhs.uk",
        "session.time": "14:00 to 15:30",
    },
    {
        "name": "phone",
        "stories": "touch",
        "session.facilitator": "Sam Jones",
        "session.contact": "+44 (0)1234 567890",
        "session.venue": "Ward 7 staff room",
    },
    {
        "name": "no-time",
        "stories": "stay",
        "session.facilitator": "Sam Jones",
        "session.contact": "learning@example.nhs.uk",
        "session.time": "",
    },
]


@pytest.fixture(scope="module")
def band_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each of BAND_ROWS on every paper: one CSV, one run."""
    import csv

    folder = tmp_path_factory.mktemp("band")
    table = folder / "rows.csv"
    columns = ["name", "title", "paper", "session.date", *BAND_ROWS[0]]
    with table.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        for paper in PAPERS:
            for row in BAND_ROWS:
                name = f"{row['name']}-{paper}"
                fixed = {"title": "Band", "paper": paper, "session.date": "2026-12-01"}
                writer.writerow({**row, **fixed, "name": name})
    report = make_handouts(PROJECT_ROOT, rows_from=table, output=folder, workers=2)
    assert not report.failed, [o.error for o in report.failed]
    return {
        (row["name"], paper): folder / f"{row['name']}-{paper}.pdf"
        for paper in PAPERS
        for row in BAND_ROWS
    }


def test_no_email_phone_or_name_is_split_across_lines_in_the_band(band_pdfs: dict) -> None:
    for (name, paper), path in band_pdfs.items():
        row = next(r for r in BAND_ROWS if r["name"] == name)
        lines = [" ".join(line.split()) for line in PdfFacts.open(path).text().splitlines()]
        for key in ("session.contact", "session.facilitator", "session.venue"):
            if value := row.get(key):
                assert any(value in line for line in lines), (paper, name, value, lines[:12])


def test_an_empty_detail_is_left_out_of_the_band(band_pdfs: dict) -> None:
    text = PdfFacts.open(band_pdfs["no-time", "a4"]).text()
    assert "Time" not in text and "Date" in text and "Contact" in text


# -- Large print ------------------------------------------------------------------------


def plain_quotes(text: str) -> str:
    """Text with its spaces collapsed and typographic quotes made plain."""
    return " ".join(text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")).split())


def page_texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [plain_quotes(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def inked_share(path: Path, top_mm: float, bottom_mm: float, dpi: int = 30) -> list[float]:
    """For each page, how far down its content area something is printed (0 to 1)."""
    document = pypdfium2.PdfDocument(path)
    shares = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            pixels, mm = image.load(), POINTS_PER_MM * dpi / 72
            top, bottom = round(top_mm * mm), round(image.height - bottom_mm * mm)
            inked = [
                y
                for y in range(top, bottom)
                if any(pixels[x, y] < 245 for x in range(0, image.width, 2))
            ]
            shares.append((max(inked, default=top) - top) / (bottom - top))
    finally:
        document.close()
    return shares


def test_large_print_handouts_keep_each_question_whole_and_no_page_thin(matrix: Matrix) -> None:
    for handout in matrix.project_handouts:
        path = matrix.large(handout.name)
        outcome = matrix.outcomes[path]
        assert outcome.status == "built", outcome.error
        facts = PdfFacts.open(path)
        sizes = facts.text_sizes()
        # Page furniture (the credit, addresses) at 14 pt; everything else at 16 pt or more.
        assert all(
            size >= LARGE_BODY_PT - 0.05 or abs(size - LARGE_LEAST_PT) < 0.05 for size in sizes
        ), (handout.name, sorted(sizes))
        assert sum(n for size, n in sizes.items() if size >= LARGE_BODY_PT - 0.05) > 300
        texts = page_texts(path)
        for number, question in enumerate(handout.questions, 1):
            words = plain_quotes(re.sub(r"[*_`]", "", question.text))
            # All its words on one page, with its number (a question is never split).
            pages = [t for t in texts if words[:40] in t and words[-30:] in t]
            assert pages and re.search(rf"(^| ){number}( |$)", pages[0]), (handout.name, number)
        # Every page but the last at least half full; the last holds more than the
        # notes: never a page of only a list or one question.
        shares = inked_share(path, top_mm=10, bottom_mm=46)
        assert all(share >= 0.5 for share in shares[:-1]), (handout.name, shares)
        last = texts[-1]
        questions_on_last = sum(1 for q in handout.questions if q.text[:30] in last)
        assert questions_on_last != 1 or len(texts) == 1 or "Notes" in last, handout.name


def test_large_print_notes_take_the_last_pages_spare_height(matrix: Matrix) -> None:
    """The notes area is grown down to the foot of the last page (Job.grow_to_foot)."""
    path = matrix.large("compassion")
    [share] = inked_share(path, top_mm=10, bottom_mm=46)[-1:]
    assert share > 0.95, share
