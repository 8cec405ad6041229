"""Spreadsheets as people save them: Excel's CSV exports, read and built."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dnaoc_print.build.handout_requests import CSV_FIELDS
from dnaoc_print.build.handouts import make_handouts, plan_handouts
from dnaoc_print.content.dates import parse_date
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.spreadsheets import read_sheet
from dnaoc_print.errors import ContentError, ContentErrors

from pdf_inspect import PdfFacts

SPEC = "content/handouts/compassion.yaml"


def sheet(tmp_path: Path, data: bytes, name_column: str | None = None):
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    return read_sheet(path, Path("rows.csv"), CSV_FIELDS, name_column)


# What Excel (UK, Windows) writes for "CSV UTF-8": a byte-order mark and CRLF; a
# European Excel separates with semicolons. Headers as a person types them.
EXCEL_EXPORT = (
    "\ufeffName;Title;Date;Time;Venue;Facilitator;Stories\r\n"
    "ward-7;Ward 7 huddle;01/12/2026;08:30 to 08:45;Ward 7 staff room;;stay\r\n"
    "night-team;Night team;2 Dec 2026;20:00;Room 2;Sam Jones;touch,critical-care\r\n"
).encode()


def test_an_excel_export_is_read_as_the_user_sees_it(tmp_path: Path) -> None:
    read = sheet(tmp_path, EXCEL_EXPORT)
    assert read.delimiter == ";"
    first, second = read.rows
    assert (first.line, first.name, second.line) == (2, "ward-7", 3)
    assert first.cells == {
        "title": "Ward 7 huddle",
        "session.date": "2026-12-01",
        "session.time": "08:30 to 08:45",
        "session.venue": "Ward 7 staff room",
        "session.facilitator": "",
        "stories": "stay",
    }
    assert second.cells["session.date"] == "2026-12-02"
    assert first.columns["session.venue"] == "E (Venue)"


def test_an_excel_export_builds_and_an_empty_cell_never_prints_a_placeholder(
    project_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "sessions.csv").write_bytes(EXCEL_EXPORT)
    # A user's copy of the spec, its facilitator still to be written.
    spec = project_dir / SPEC
    placeholder = "\nsession:\n  facilitator: ((Your name here))\n"
    text = spec.read_text().replace("\nsession:\n", placeholder)
    spec.write_text(text)
    report = make_handouts(
        project_dir,
        spec=spec,
        rows_from=tmp_path / "sessions.csv",
        output=tmp_path / "out",
        workers=1,
    )
    assert not report.failed, [o.error for o in report.failed]
    ward = PdfFacts.open(tmp_path / "out/ward-7.pdf").text()
    assert "Ward 7 huddle" in ward and "Ward 7 staff room" in ward
    assert "1 December 2026" in ward
    # The spec says "facilitator: ((Your name here))": an empty cell leaves the
    # facilitator out, so none is printed.
    assert "Your name here" not in ward and "Facilitator" not in ward
    night = PdfFacts.open(tmp_path / "out/night-team.pdf")
    assert "Sam Jones" in night.text() and "2 December 2026" in night.text()
    assert len(night.decoded_qr_codes()[0]) == 2


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"title\tstories\nA\tstay\n", "\t"),
        (b"sep=;\ntitle;stories\nA;stay\n", ";"),
        (b'title,stories\nA,"stay;touch"\n', ","),
    ],
    ids=["tab", "excel-sep-line", "comma"],
)
def test_the_separator_is_found(tmp_path: Path, data: bytes, delimiter: str) -> None:
    read = sheet(tmp_path, data)
    assert read.delimiter == delimiter and read.rows[0].cells["title"] == "A"


def test_windows_1252_is_read_correctly(tmp_path: Path) -> None:
    text = "title,venue\nCaf\u00e9 session \u2013 \u00a35 lunch,Nurses\u2019 room\n"
    read = sheet(tmp_path, text.encode("cp1252"))
    assert read.encoding == "windows-1252"
    assert read.rows[0].cells == {
        "title": "Caf\u00e9 session \u2013 \u00a35 lunch",
        "session.venue": "Nurses\u2019 room",
    }


def test_utf16_from_excel_unicode_text_is_read(tmp_path: Path) -> None:
    read = sheet(tmp_path, "Title\tVenue\r\nCaf\u00e9\tRoom 2\r\n".encode("utf-16"))
    assert read.rows[0].cells == {"title": "Caf\u00e9", "session.venue": "Room 2"}


def test_a_file_in_no_readable_encoding_is_refused_with_the_excel_steps(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        sheet(tmp_path, b"title\n\x81\x8d\x90\n")
    assert "CSV UTF-8 (Comma delimited)" in str(caught.value)
    assert "File > Save As" in str(caught.value)


def test_a_header_problem_is_reported_once_at_line_1_naming_the_column(tmp_path: Path) -> None:
    rows = "".join(f"x{n},stay,Room\n" for n in range(5))
    with pytest.raises(ContentErrors) as caught:
        sheet(tmp_path, ("Title,Stories,Venu\n" + rows).encode())
    [error] = caught.value.errors
    assert str(error).startswith("rows.csv, line 1, column C (Venu): 'Venu' is not a handout field")
    assert "did you mean 'venue'?" in str(error)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026-12-01", "2026-12-01"),
        ("01/12/2026", "2026-12-01"),
        ("1/12/2026", "2026-12-01"),
        ("1.12.2026", "2026-12-01"),
        ("1 Dec 2026", "2026-12-01"),
        ("1 December 2026", "2026-12-01"),
        ("Tuesday 1 December 2026", "2026-12-01"),
        ("1st Dec 2026", "2026-12-01"),
        ("01-Dec-26", "2026-12-01"),
        ("December 1, 2026", "2026-12-01"),
    ],
)
def test_dates_as_uk_spreadsheets_write_them(text: str, iso: str) -> None:
    assert parse_date(text) == (iso, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("12/25/2026", "dates are read day first"),
        ("31/02/2026", "there is no such day"),
        ("tomorrow", "'tomorrow' is not a date"),
    ],
)
def test_dates_that_are_not_dates(text: str, problem: str) -> None:
    _, (message, hint) = parse_date(text)
    assert problem in message and "2026-12-01" in hint


def test_a_column_with_month_first_dates_makes_the_others_ambiguous(tmp_path: Path) -> None:
    read = sheet(tmp_path, b"title,date\nA,12/25/2026\nB,03/04/2026\nC,25/12/2026\nD,4 Mar 2026\n")
    a, b, c, d = read.rows
    assert "day first" in str(a.problems[0])
    [ambiguous] = b.problems
    assert str(ambiguous).startswith("rows.csv, line 3, column B (date): '03/04/2026' is ambiguous")
    assert "3 April or 4 March" in str(ambiguous)
    assert (c.problems, c.cells["session.date"]) == ([], "2026-12-25")
    assert (d.problems, d.cells["session.date"]) == ([], "2026-03-04")


def test_stories_and_questions_take_semicolons_or_commas(project_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text(
        "title,stories,questions\n"
        'A,"stay, touch","compassion:1,compassion:2;What, if anything, would you change?"\n'
    )
    report = make_handouts(
        project_dir, rows_from=tmp_path / "rows.csv", output=tmp_path / "out", workers=1
    )
    assert not report.failed, [o.error for o in report.failed]
    text = PdfFacts.open(tmp_path / "out/handout-001.pdf").text()
    assert "Stay" in text and "Touch" in text
    assert "What, if anything, would you change?" in " ".join(text.split())
    guide = load_project(project_dir).guide("compassion")
    assert guide.questions[1].text.split()[-1] in text


def test_the_shipped_example_csv_builds_and_is_not_a_spec(
    project_dir: Path, tmp_path: Path
) -> None:
    example = project_dir / "content/handouts/sessions-example.csv"
    assert example.is_file()
    assert all(h.source.suffix == ".yaml" for h in load_project(project_dir).handouts)
    report = make_handouts(project_dir, rows_from=example, output=tmp_path / "out", workers=1)
    assert not report.failed, [o.error for o in report.failed]
    assert len(report.built) == 3


BAD_CELLS = {40: ("date", "32/12/2026"), 138: ("stories", "sty"), 170: ("date", "someday")}


def session_rows(count: int, bad: dict[int, tuple[str, str]]) -> str:
    """A CSV of ``count`` sessions; row n (line n + 1) has the bad cell ``bad[n]``."""
    rows = ["name,title,date,stories"]
    for n in range(1, count + 1):
        cells = {"date": f"{n % 28 + 1:02d}/12/2026", "stories": "stay"}
        if n in bad:
            cells[bad[n][0]] = bad[n][1]
        rows.append(f"s{n:03d},Session {n},{cells['date']},{cells['stories']}")
    return "\n".join(rows) + "\n"


def test_200_rows_with_3_bad_ones_plan_197_pdfs_and_3_located_messages(
    project_dir: Path, tmp_path: Path
) -> None:
    # Which rows are typeset and what each bad row says is settled before any
    # typesetting: planning alone shows it for all 200 rows.
    (tmp_path / "rows.csv").write_text(session_rows(200, BAD_CELLS))
    plan = plan_handouts(project_dir, rows_from=tmp_path / "rows.csv", output=tmp_path / "out")
    good = [f"s{n:03d}" for n in range(1, 201) if n not in BAD_CELLS]
    assert [item.target for item in plan.items] == [tmp_path / f"out/{n}.pdf" for n in good]
    assert [o.job_name for o in plan.failures] == ["handout s040", "handout s138", "handout s170"]
    errors = "\n".join(o.error for o in plan.failures)
    for failure, message in zip(
        plan.failures,
        (
            "rows.csv, line 41, column C (date): '32/12/2026' is not a date",
            "rows.csv, line 139, column D (stories): unknown story id 'sty'",
            "rows.csv, line 171, column C (date): 'someday' is not a date",
        ),
        strict=True,
    ):
        assert message in failure.error and errors.count(message) == 1, errors
    assert not (tmp_path / "out").exists()


def test_bad_rows_fail_alone_and_the_good_row_is_typeset(project_dir: Path, tmp_path: Path) -> None:
    # The same three bad cells, as the command reports them, beside one good row.
    bad = {2: BAD_CELLS[40], 3: BAD_CELLS[138], 4: BAD_CELLS[170]}
    (tmp_path / "rows.csv").write_text(session_rows(4, bad))
    result = subprocess.run(
        [sys.executable, "-m", "dnaoc_print", "handout", "--from", str(tmp_path / "rows.csv")]
        + ["-o", str(tmp_path / "out"), "--jobs", "2", "-q", "-C", str(project_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300,
    )
    assert result.returncode == 1
    assert [p.name for p in (tmp_path / "out").glob("*.pdf")] == ["s001.pdf"]
    text = PdfFacts.open(tmp_path / "out/s001.pdf").text()
    assert "Session 1" in text and "2 December 2026" in text
    assert "1 built, 0 up to date, 3 failed" in result.stdout
    for message in (
        "rows.csv, line 3, column C (date): '32/12/2026' is not a date",
        "rows.csv, line 4, column D (stories): unknown story id 'sty'",
        "rows.csv, line 5, column C (date): 'someday' is not a date",
    ):
        assert result.stderr.count(message) == 1, result.stderr
    assert "Traceback" not in result.stderr


BLANK_STORIES = (
    "Name,Title,Stories,Questions,Layout,Venue\n"
    "blank,Blank stories,,compassion:1,cards,\n"
    "short-row,Short row\n"
)


def test_an_empty_cell_with_no_spec_is_blamed_on_the_cell_not_a_flag(
    project_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "blank.csv").write_text(BLANK_STORIES)
    report = make_handouts(project_dir, rows_from=tmp_path / "blank.csv", output=tmp_path / "out")
    blank, short = report.failed
    csv_file = tmp_path / "blank.csv"
    assert blank.error.startswith(
        f"{csv_file}, line 2, column C (Stories): the 'cards' layout takes 1 to 6 stories, not 0"
    ), blank.error
    assert "hint: fill in the cell" in blank.error and "--story" not in blank.error
    # A row cut short has its last cells empty: the same message for the same mistake.
    assert short.error.startswith(f"{csv_file}, line 3, column C (Stories): "), short.error


def test_an_empty_cell_leaves_its_detail_out_and_an_absent_column_keeps_the_spec(
    project_dir: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("Name,Title,Venue,Stories\nno-venue,No venue,,\nown-venue,Own,Room 9,stay\n")
    report = make_handouts(
        project_dir, spec=project_dir / SPEC, rows_from=rows, output=tmp_path / "out", workers=1
    )
    # An empty Stories cell leaves the stories out: the layout needs some, said at the cell.
    [failed] = report.failed
    assert failed.error.startswith(
        f"{rows}, line 2, column D (Stories): the 'cards' layout takes 1 to 6 stories, not 0"
    ), failed.error
    rows.write_text("Name,Title,Venue\nno-venue,No venue,\n")
    report = make_handouts(
        project_dir, spec=project_dir / SPEC, rows_from=rows, output=tmp_path / "out", workers=1
    )
    assert not report.failed, [o.error for o in report.failed]
    pdf = PdfFacts.open(tmp_path / "out/no-venue.pdf")
    text = " ".join(pdf.text().split())
    # No Stories column: the spec's four stories; an empty Venue cell: no venue at all.
    assert len(pdf.decoded_qr_codes()[0]) == 4
    assert "No venue" in text and "Seminar room" not in text and "Venue" not in text
    assert "14:00 to 15:30" in text  # the spec's time: the file has no Time column


def test_a_row_too_long_for_its_page_is_named_by_its_line(
    project_dir: Path, tmp_path: Path
) -> None:
    long_question = "What would you say " + "and what would you do " * 12 + "next?"
    stories = "touch,stay,critical-care,what-do-you-see,dis-integration,just-five-minutes-more"
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,title,paper,stories,questions\n"
        f'Café session,Too much,a5,"{stories}","{"; ".join([long_question] * 6)}"\n'
    )
    report = make_handouts(project_dir, rows_from=rows, output=tmp_path / "out", workers=1)
    [failed] = report.failed
    # The accent is kept as a plain letter in the name, not dropped.
    assert failed.job_name == "handout cafe-session"
    assert failed.error.startswith(f"{rows}, line 2: does not fit on one page"), failed.error


def test_a_failure_every_row_shares_is_not_given_one_row_line(tmp_path: Path) -> None:
    from dnaoc_print.build.handouts import name_rows
    from dnaoc_print.build.work import Outcome
    from dnaoc_print.content.specs import RowPlace

    shared = "layouts/handout.html.j2, line 3: unknown tag 'endblok'"
    outcomes = [
        Outcome("handout a", tmp_path / "a.pdf", "failed", error=shared),
        Outcome("handout b", tmp_path / "b.pdf", "failed", error=shared),
        Outcome("handout c", tmp_path / "c.pdf", "failed", error="does not fit"),
        Outcome("handout d", tmp_path / "d.pdf"),
    ]
    places = {
        tmp_path / f"{name}.pdf": RowPlace(Path("rows.csv"), line, {})
        for line, name in enumerate("abcd", 2)
    }
    name_rows(outcomes, places)
    assert [o.error for o in outcomes] == [shared, shared, "rows.csv, line 4: does not fit", None]


def test_the_day_first_hint_says_it_once() -> None:
    _, (_, hint) = parse_date("12/25/2026")
    assert hint.count("write it") == 1 and "day first" in hint and "2026-12-01" in hint


@pytest.mark.parametrize(
    ("header", "row", "where"),
    [
        ("name,title,stories", 'no-title,,"touch,dis-integration"', ", column B (title)"),
        ("name,stories", 'no-title,"touch,dis-integration"', ""),
    ],
    ids=["empty-cell", "no-column"],
)
def test_a_row_with_no_title_is_blamed_on_the_row_not_the_title_flag(
    project_dir: Path, tmp_path: Path, header: str, row: str, where: str
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"{header}\n{row}\n")
    report = make_handouts(project_dir, rows_from=rows, output=tmp_path / "out")
    [failed] = report.failed
    assert failed.error.startswith(f"{rows}, line 2{where}: the handout needs a title")
    assert "--title" not in failed.error
