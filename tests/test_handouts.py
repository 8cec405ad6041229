"""Customisable one-page handouts: layouts, papers, flags, CSV batches, fitting, errors."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import segno
from click.testing import CliRunner

from dnaoc_print.build.handouts import make_handouts
from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import ContentErrors

from conftest import PROJECT_ROOT, BuiltProject
from pdf_inspect import PdfFacts, bundled_font_families, plain

PAGE_MM = {
    ("a4", "portrait"): (210, 297),
    ("a5", "portrait"): (148, 210),
    ("letter", "portrait"): (216, 279),
    ("a4", "landscape"): (297, 210),
}
# What each layout holds in these tests: small enough for A5 at its largest size.
LAYOUT_CONTENT = {
    "cards": {"stories": ["touch", "stay"], "questions": ["compassion:1", "resilience:6"]},
    "single": {"stories": ["critical-care"], "questions": ["compassion:3", "compassion:9"]},
    "questions": {
        "stories": ["stay"],
        "questions": ["resilience:1", "resilience:7", "Written out: what will you try?"],
    },
}
BUNDLED_FONTS = bundled_font_families(PROJECT_ROOT / "fonts")


def make_one(project_dir: Path, target: Path, **overrides) -> PdfFacts:
    report = make_handouts(project_dir, overrides=overrides, output=target)
    assert not report.failed, report.failed[0].error
    return PdfFacts.open(target)


def assert_story_links_agree(pdf: PdfFacts, urls: list[str]) -> None:
    """QR codes, link annotations and printed addresses all carry exactly ``urls``."""
    decoded = sorted(url for page in pdf.decoded_qr_codes(dpi=150) for url in page)
    assert decoded == sorted(urls)
    assert set(urls) <= set(pdf.link_uris())
    assert sorted(set(pdf.printed_urls())) == sorted(set(urls))


@pytest.mark.parametrize("layout", ["cards", "single", "questions"])
@pytest.mark.parametrize(
    ("paper", "orientation"),
    [("a4", "portrait"), ("a5", "portrait"), ("letter", "portrait"), ("a4", "landscape")],
)
def test_each_layout_on_each_paper(
    project_dir: Path,
    tmp_path: Path,
    built: BuiltProject,
    layout: str,
    paper: str,
    orientation: str,
) -> None:
    content = LAYOUT_CONTENT[layout]
    title = f"{layout.title()} on {paper.upper()}"
    pdf = make_one(
        project_dir,
        tmp_path / "h.pdf",
        title=title,
        layout=layout,
        paper=paper,
        orientation=orientation,
        stories=content["stories"],
        questions=content["questions"],
        # Said outright: by default a story's content note adds the standard warning,
        # which this content, sized for A5, has no room for.
        content_warning=False,
        **{"session.date": "2026-12-01", "session.venue": "Room 2"},
    )
    assert pdf.page_count == 1
    assert pdf.page_sizes_mm() == [PAGE_MM[(paper, orientation)]]
    assert pdf.characters_off_the_page() == ""
    assert "do not sell or change them" in pdf.text()
    stories = built.project.stories
    assert_story_links_agree(pdf, [stories[story].url for story in content["stories"]])
    assert pdf.embedded_font_families() <= BUNDLED_FONTS
    text = plain(pdf.text())
    assert title in text and "Tuesday 1 December 2026" in text and "Room 2" in text
    for story in content["stories"]:
        assert stories[story].title in text
    for question in content["questions"]:
        if ":" in question and not question.startswith("Written"):
            slug, number = question.split(":")
            question = built.project.guide(slug).questions[int(number) - 1].text
        assert plain(question) in text


def test_shipped_example_handouts(built: BuiltProject) -> None:
    names = {handout.name for handout in built.project.handouts}
    guide_slugs = {guide.slug for guide in built.project.guides}
    assert guide_slugs <= names
    layouts = {handout.layout for handout in built.project.handouts}
    assert layouts == {"cards", "single", "questions"}
    for handout in built.project.handouts:
        pdf = PdfFacts.open(built.out_dir / "handouts" / f"{handout.name}.pdf")
        assert pdf.page_count == 1, handout.name
        assert pdf.characters_off_the_page() == "", handout.name
        assert_story_links_agree(pdf, [story.url for story in handout.stories])
        if handout.name in guide_slugs:
            guide = built.project.guide(handout.name)
            assert handout.stories == guide.stories
            assert len(handout.questions) == 4


@pytest.mark.parametrize("name", ["compassion", "single-story-stay"])
def test_notes_reach_the_foot_of_the_page(built: BuiltProject, name: str) -> None:
    """Room left under a handout goes to its notes, ruled or boxed, down to the foot."""
    pdf = PdfFacts.open(built.out_dir / "handouts" / f"{name}.pdf")
    dpi = 100
    [pixels] = pdf.page_images(dpi=dpi)
    width = round(210 / 25.4 * dpi)

    def inked(x_mm: float, y_mm: float) -> bool:
        x, y = round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)
        return pixels[y * width + x] < 235

    # A4 handouts: content ends 22 mm above the foot of the page, 15 mm from the
    # right; the notes column is the right-hand 50 mm. Look at its lowest 12 mm
    # (the licence line below the content is not part of it).
    rows = [y / 4 for y in range(4 * 263, 4 * 275)]
    drawn = [y for y in rows if any(inked(x, y) for x in range(152, 190, 3))]
    assert drawn, "nothing drawn in the notes column near the foot of the page"
    # Ruled lines are 8 mm apart, so the last is at most 8 mm above the foot.
    assert max(drawn) > 275 - 8 - 1


A4_DPI = 100
A4_WIDTH_PX = round(210 / 25.4 * A4_DPI)
# An A4 handout's content box (paper-a4.css: margins 10 mm, 15 mm, 30 mm), in mm from
# the top left of the page; the licence credit sits under it, in the bottom margin.
A4_CONTENT = {"left": 15, "right": 195, "top": 10, "bottom": 267}


def tallest_blank_mm(pdf: PdfFacts, left_mm: float, right_mm: float, top_mm: float) -> float:
    """The tallest band of an A4 page, between these edges and from ``top_mm`` down to
    the foot of the content box, with nothing drawn in it."""
    [pixels] = pdf.page_images(dpi=A4_DPI)

    def px(mm: float) -> int:
        return round(mm / 25.4 * A4_DPI)

    tallest = run = 0
    for y in range(px(top_mm), px(A4_CONTENT["bottom"])):
        row = pixels[y * A4_WIDTH_PX + px(left_mm) : y * A4_WIDTH_PX + px(right_mm)]
        run = 0 if min(row) < 235 else run + 1
        tallest = max(tallest, run)
    return tallest / A4_DPI * 25.4


def character_boxes_mm(pdf: PdfFacts) -> list[tuple[str, float, float, float, float]]:
    """Each character drawn on the first page: (character, left, top, right, bottom) in
    mm from the top left of the page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf.path)
    try:
        page = document[0]
        height = page.get_size()[1]
        textpage = page.get_textpage()
        boxes = []
        for index in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(index)
            char = textpage.get_text_range(index, 1)
            if char.strip():
                mm = 25.4 / 72
                boxes.append(
                    (char, left * mm, (height - top) * mm, right * mm, (height - bottom) * mm)
                )
        return boxes
    finally:
        document.close()


def first_line_top_mm(pdf: PdfFacts, text: str) -> tuple[float, float]:
    """Where the first line holding ``text`` starts: (left, top) in mm."""
    boxes = character_boxes_mm(pdf)
    chars = "".join(box[0] for box in boxes)
    start = chars.index(text.replace(" ", ""))
    return boxes[start][1], boxes[start][2]


def test_a_handout_with_little_on_it_uses_its_whole_page(project_dir: Path, tmp_path: Path) -> None:
    """The CSV of docs/batch/spreadsheet.md (its ward-7-huddle row: one story, one
    question): the notes move under the questions, across the page, ruled down to the
    foot: no tall blank is left beside a narrow notes column."""
    report = make_handouts(
        project_dir,
        rows_from=project_dir / "content/handouts/sessions-example.csv",
        output=tmp_path / "out",
    )
    assert not report.failed
    for name in ("ward-7-huddle", "night-team", "leadership-group"):
        pdf = PdfFacts.open(tmp_path / "out" / f"{name}.pdf")
        assert pdf.page_count == 1
        questions_left, questions_top = first_line_top_mm(pdf, "Questions to think about")
        notes_left, notes_top = first_line_top_mm(pdf, "Notes")
        # Under the questions, at the left margin, not beside them.
        assert notes_top > questions_top + 10, name
        assert abs(notes_left - questions_left) < 1, name
        # Where the questions column was (most of the width), nothing blank taller than
        # the gap between two ruled lines (8 mm) and the notes' heading above them.
        blank = tallest_blank_mm(pdf, A4_CONTENT["left"], 140, questions_top)
        assert blank < 16, (name, blank)
        assert pdf.characters_off_the_page() == ""


def test_a_full_handout_keeps_its_notes_beside_the_questions(built: BuiltProject) -> None:
    pdf = PdfFacts.open(built.out_dir / "handouts" / "compassion.pdf")
    questions_left, questions_top = first_line_top_mm(pdf, "Questions to think about")
    notes_left, notes_top = first_line_top_mm(pdf, "Notes")
    assert abs(notes_top - questions_top) < 1
    assert notes_left > questions_left + 100


LONG_WORD = ("Compassionatecareisthecoreofwhatwedoandhowwelookaftereachother" * 4)[:200]


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": LONG_WORD},
        {
            "title": LONG_WORD,
            "subtitle": "x" * 120,
            "session.date": "2026-12-01",
        },
    ],
    ids=["title", "title-and-subtitle"],
)
def test_long_unbroken_words_wrap_inside_the_content_box(
    project_dir: Path, tmp_path: Path, overrides: dict[str, str]
) -> None:
    """A 200-character title without a space (and a subtitle as long) wraps: no
    character is drawn outside the page's content box, none is lost."""
    pdf = make_one(
        project_dir,
        tmp_path / "long.pdf",
        stories=["touch"],
        questions=["compassion:1"],
        **overrides,
    )
    assert pdf.page_count == 1
    outside = [
        box
        for box in character_boxes_mm(pdf)
        if box[1] < A4_CONTENT["left"] - 0.5
        or box[3] > A4_CONTENT["right"] + 0.5
        or box[2] < A4_CONTENT["top"] - 0.5
    ]
    assert outside == []
    # The credit is the only text under the content box.
    below = "".join(box[0] for box in character_boxes_mm(pdf) if box[2] > A4_CONTENT["bottom"])
    assert below.startswith("DNAofCareguidesforfacilitators"), below[:80]
    assert LONG_WORD in "".join(pdf.text().split())
    for field, value in overrides.items():
        if field != "session.date":  # printed as a long date
            assert value in "".join(pdf.text().split()), field


def test_shrinking_stays_within_limits(built: BuiltProject) -> None:
    """The fullest shipped handout (five stories) shrinks, but not below 10 pt or 24.8 mm codes."""
    handout = max(built.project.handouts, key=lambda h: len(h.stories) + len(h.questions))
    pdf = PdfFacts.open(built.out_dir / "handouts" / f"{handout.name}.pdf")
    sizes = pdf.text_sizes()
    # Nothing smaller: the licence line, field labels and printed addresses included.
    assert min(sizes) >= 10, sizes
    for url, modules_mm in pdf.qr_codes_with_size():
        modules = segno.make(url, error="m", boost_error=True, micro=False).symbol_size(border=0)[0]
        with_quiet_zone = modules_mm * (modules + 8) / modules
        # Measured from a 150 dpi rendering: within half a module of 24.8 mm.
        assert with_quiet_zone >= 24.5, (url, with_quiet_zone)


def test_too_much_content_fails_clearly_and_writes_nothing(
    project_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "full.pdf"
    target.write_bytes(b"the previous good handout")
    long_question = "What would you say " + "and what would you do " * 12 + "next?"
    report = make_handouts(
        project_dir,
        overrides={
            "title": "Too much",
            "paper": "a5",
            "stories": [
                "touch",
                "stay",
                "critical-care",
                "floristry-perhaps",
                "dis-integration",
                "what-do-you-see",
            ],
            "questions": [long_question] * 6,
        },
        output=target,
    )
    [outcome] = report.outcomes
    assert outcome.error is not None
    message = outcome.error
    assert re.search(r"it needs \d+ mm of the \d+ mm the page has, \d+ mm too much", message)
    assert "remove a story or a question" in message and "print on A4" in message
    assert target.read_bytes() == b"the previous good handout"
    assert list(tmp_path.glob("*.part")) == []


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_twenty_row_csv_gives_twenty_one_page_handouts(project_dir: Path, tmp_path: Path) -> None:
    stories = ["touch", "stay", "critical-care", "what-do-you-see", "dis-integration"]
    rows = [
        {
            "name": f"team-{n:02d}",
            "title": f"Session for team {n}",
            "session.date": f"2027-01-{n:02d}",
            "session.venue": f"Room {n}",
            "session.facilitator": f"Facilitator {n}",
            "stories": f"{stories[n % 5]};{stories[(n + 1) % 5]}",
        }
        for n in range(1, 21)
    ]
    write_csv(tmp_path / "sessions.csv", rows)
    spec = project_dir / "content/handouts/compassion.yaml"
    report = make_handouts(
        project_dir, spec=spec, rows_from=tmp_path / "sessions.csv", output=tmp_path / "out"
    )
    assert not report.failed
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"team-{n:02d}.pdf" for n in range(1, 21)
    ]
    catalogue = load_project(project_dir).stories
    for n, row in enumerate(rows, 1):
        path = tmp_path / "out" / f"team-{n:02d}.pdf"
        pdf = PdfFacts.open(path)
        assert pdf.page_count == 1
        text = pdf.text()
        assert row["title"] in text and row["session.venue"] in text
        assert row["session.facilitator"] in text
        # Typeset in one document with the others, but holding nothing of theirs.
        assert text.count("Session for team") == 1
        urls = sorted(catalogue[story].url for story in row["stories"].split(";"))
        decoded = sorted(url for page in pdf.decoded_qr_codes() for url in page)
        assert decoded == urls
        assert sorted(set(pdf.link_uris())) == urls
        # Its own title and description, in the document information and in XMP.
        assert pdf.metadata["/Title"] == row["title"] == pdf.xmp_title()
        assert pdf.metadata["/Subject"] == "A team session with DNA of Care digital stories"
        assert pdf.language == "en-GB"
        # Its own tags, sound, with a figure (and alternative text) for each of its codes.
        assert pdf.is_tagged() and pdf.structure_problems() == []
        alt_texts = pdf.structure_alt_texts()
        assert len(alt_texts) == 2 and all(t.startswith("QR code linking to") for t in alt_texts)
        assert pdf.embedded_font_families() <= BUNDLED_FONTS
        # Only its own images (its two QR codes), not every image of the batch.
        assert len(pdf.resources("/XObject")) == 2
        assert path.stat().st_size <= 60 * 1024


def test_a_handout_in_a_batch_looks_as_it_does_on_its_own(
    project_dir: Path, tmp_path: Path
) -> None:
    """Sharing a document with other handouts changes nothing on the page."""
    rows = [
        {"name": "first", "title": "A short one", "stories": "stay", "notes": "none"},
        {"name": "middle", "title": "The one we compare", "stories": "touch;critical-care"},
        {
            "name": "last",
            "title": "Another",
            "stories": "stay;touch;critical-care;floristry-perhaps",
        },
    ]
    write_csv(tmp_path / "rows.csv", rows)
    spec = project_dir / "content/handouts/compassion.yaml"
    batch = make_handouts(
        project_dir, spec=spec, rows_from=tmp_path / "rows.csv", output=tmp_path / "batch"
    )
    alone = make_handouts(
        project_dir,
        spec=spec,
        overrides={"title": "The one we compare", "stories": ("touch", "critical-care")},
        output=tmp_path / "alone.pdf",
    )
    assert not batch.failed and not alone.failed
    in_batch = PdfFacts.open(tmp_path / "batch" / "middle.pdf")
    on_its_own = PdfFacts.open(tmp_path / "alone.pdf")
    assert in_batch.text() == on_its_own.text()
    assert in_batch.page_images(dpi=60) == on_its_own.page_images(dpi=60)


def test_one_handout_that_cannot_fit_fails_alone_in_its_batch(
    project_dir: Path, tmp_path: Path
) -> None:
    rows = [
        {"name": "fine", "title": "Fine", "stories": "stay", "content_warning": ""},
        {
            "name": "too-long",
            "title": "Too long",
            "stories": "stay",
            "content_warning": "Take care. " * 600,
        },
        {"name": "also-fine", "title": "Also fine", "stories": "touch", "content_warning": ""},
    ]
    write_csv(tmp_path / "rows.csv", rows)
    report = make_handouts(project_dir, rows_from=tmp_path / "rows.csv", output=tmp_path / "out")
    [failed] = report.failed
    assert failed.job_name == "handout too-long"
    assert "does not fit on one page" in failed.error
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["also-fine.pdf", "fine.pdf"]
    assert PdfFacts.open(tmp_path / "out" / "also-fine.pdf").page_count == 1


# test_a_handout_that_breaks_the_typesetter_fails_alone: now in test_workers.py (it
# breaks the typesetter in this process, which no longer typesets).


def test_csv_output_names_stay_inside_the_folder_and_never_clash(
    project_dir: Path, tmp_path: Path
) -> None:
    rows = [
        {"name": "../../escape", "title": "One", "stories": "stay"},
        {"name": "/etc/passwd", "title": "Two", "stories": "stay"},
        {"name": "Same Name", "title": "Three", "stories": "stay"},
        {"name": "same-name", "title": "Four", "stories": "stay"},
        {"name": "", "title": "Five", "stories": "stay"},
    ]
    write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "out"
    report = make_handouts(project_dir, rows_from=tmp_path / "rows.csv", output=out)
    assert not report.failed
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "escape.pdf",
        "etc-passwd.pdf",
        "handout-005.pdf",
        "same-name-2.pdf",
        "same-name.pdf",
    ]
    assert not (tmp_path / "escape.pdf").exists()


def test_link_params_are_the_same_in_code_link_and_print(project_dir: Path, tmp_path: Path) -> None:
    pdf = make_one(
        project_dir,
        tmp_path / "utm.pdf",
        title="Campaign",
        stories=["touch"],
        link_params="utm_source=handout&utm_medium=print",
    )
    expected = (
        "https://www.patientvoices.org.uk/flv/1006pv384.htm?utm_source=handout&utm_medium=print"
    )
    assert_story_links_agree(pdf, [expected])


def spec_errors(project_dir: Path, spec_text: str) -> list[str]:
    spec = project_dir / "content/handouts/bad.yaml"
    spec.write_text(spec_text)
    with pytest.raises(ContentErrors) as caught:
        make_handouts(project_dir, spec=spec)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("line", "bad", "expected"),
    [
        (3, "  - tuoch", "line 3: unknown story id 'tuoch'"),
        (5, "  - compassion:42", "line 5: guide 'compassion' has no question 42"),
        (7, "  date: 2026-02-30", "line 7: 'session.date' is not a date: '2026-02-30'"),
        (8, "paper: a3", "line 8: 'paper' must be one of a4, a5, letter, half-letter, not 'a3'"),
    ],
)
def test_bad_spec_names_file_line_and_field(
    project_dir: Path, line: int, bad: str, expected: str
) -> None:
    lines = [
        "title: Bad",
        "stories:",
        "  - stay",
        "questions:",
        "  - compassion:1",
        "session:",
        "  date: 2026-12-01",
        "paper: a4",
    ]
    lines[line - 1] = bad
    errors = spec_errors(project_dir, "\n".join(lines) + "\n")
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/handouts/bad.yaml, {expected}")


def test_csv_errors_name_the_csv_line_and_column(project_dir: Path, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "rows.csv",
        [
            {"title": "Fine", "stories": "stay", "session.date": "2026-12-01"},
            {"title": "Bad", "stories": "stya", "session.date": "2026-12-32"},
        ],
    )
    report = make_handouts(project_dir, rows_from=tmp_path / "rows.csv", output=tmp_path / "out")
    [failed] = report.failed
    assert "rows.csv, line 3, column B (stories): unknown story id 'stya'" in failed.error
    assert "rows.csv, line 3, column C (session.date): '2026-12-32' is not a date" in failed.error
    # The good row is built all the same.
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["handout-001.pdf"]


def test_flags_override_the_spec(project_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "handout",
            "content/handouts/compassion.yaml",
            "-C",
            str(project_dir),
            "--venue",
            "The Quiet Room",
            "--title",
            "Overridden",
            "-o",
            str(tmp_path / "o.pdf"),
        ],
    )
    assert result.exit_code == 0, result.output
    text = PdfFacts.open(tmp_path / "o.pdf").text()
    assert "Overridden" in text and "The Quiet Room" in text
    assert "Seminar room 2" not in text


def test_one_command_without_a_spec(project_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "handout",
            "-C",
            str(project_dir),
            "--story",
            "touch",
            "--story",
            "stay",
            "--question",
            "compassionate-leadership:3",
            "--title",
            "Tuesday session",
            "--date",
            "2026-12-01",
            "--paper",
            "a5",
            "-o",
            str(tmp_path / "session.pdf"),
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = PdfFacts.open(tmp_path / "session.pdf")
    assert pdf.page_sizes_mm() == [(148, 210)]
    assert "Tuesday session" in pdf.text()


def test_unknown_flag_value_is_a_usage_error(project_dir: Path) -> None:
    result = CliRunner().invoke(main, ["handout", "-C", str(project_dir), "--paper", "a3"])
    assert result.exit_code == 2
    # Named as the user typed it, with every paper the flag takes and where to read more.
    assert (
        "Error: Invalid value for '--paper': 'a3' is not one of "
        "'a4', 'a5', 'letter', 'half-letter'." in result.output
    ), result.output
    assert "handout --help' for help." in result.output and "Traceback" not in result.output
    # A usage error stops before anything is read or typeset.
    assert not (project_dir / "build").exists()


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Café session", "cafe-session"),
        ("Ysgol Gymraeg – Côr", "ysgol-gymraeg-cor"),
        ("Straße", "strasse"),
        ("../../Über", "uber"),
        ("会议", "handout"),
    ],
)
def test_file_names_keep_accented_letters_as_plain_ones(value: str, name: str) -> None:
    from dnaoc_print.content.specs import safe_name

    assert safe_name(value, "handout") == name


# The right edge of each paper's content box (mm): its width less the right margin of
# its @page handout rule (paper-a4.css, paper-a5.css, paper-half-letter.css).
CONTENT_RIGHT_MM = {"a4": A4_CONTENT["right"], "a5": 148 - 10, "half-letter": 139.7 - 9}


@pytest.mark.parametrize("paper", ["a4", "a5", "half-letter"])
def test_the_session_details_wrap_inside_the_band(
    project_dir: Path, tmp_path: Path, paper: str
) -> None:
    """All five details, long ones among them (an email address has no space), stay
    inside the band: on A5 the facilitator was cut off at its edge, and a contact
    printed off the page."""
    pdf = make_one(
        project_dir,
        tmp_path / f"{paper}.pdf",
        paper=paper,
        stories=["stay"],
        notes="none",
        content_warning=False,
        **{
            "title": "Compassion",
            "session.date": "2026-12-01",
            "session.time": "14:00 to 15:30",
            "session.venue": "The Education Centre, Seminar room 2, second floor, west wing",
            "session.facilitator": "Dr Alexandra Montgomery-Featherstonehaugh, Consultant Nurse",
            "session.contact": "learning.and.development@example.nhs.uk",
        },
    )
    # (pdfium marks a line broken inside a word with U+FFFE, drawn nowhere.)
    drawn = [box for box in character_boxes_mm(pdf) if box[0].strip() and box[0] != "\ufffe"]
    assert [box for box in drawn if box[3] > CONTENT_RIGHT_MM[paper] + 0.5] == []
    # Wrapped, the details are read in rows across the columns: every piece is there.
    text = "".join(pdf.text().split())
    for piece in ("Alexandra", "Featherstone", "Consultant", "westwing", "example.nhs.uk"):
        assert piece in text, piece
