"""Messages in the terms the user typed: flags, spec lines, CSV rows and columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.cli.main import main

from pdf_inspect import PdfFacts


def handout(project: Path, *args: str):
    return CliRunner().invoke(main, ["handout", "-C", str(project), "--jobs", "1", *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--story", "stay", "--date", "someday"], "option --date: 'someday' is not a date"),
        (["--story", "stya"], "option --story: unknown story id 'stya'"),
        (
            ["--story", "stay", "--question", "compassion:99"],
            "option --question: guide 'compassion' has no question 99",
        ),
        (["--story", "stay", "--link-params", "a b"], "option --link-params: "),
        (
            ["--story", "stay,touch", "--layout", "single"],
            "option --story: the 'single' layout takes exactly 1 story, not 2",
        ),
        (["--story", "touch,dis-integration"], "option --title: the handout needs a title"),
        (
            ["--story", "stay", "--brand", "example-trusst"],
            "option --brand: no brand 'example-trusst'",
        ),
        (
            ["--layout", "questions", "--story", "stay"],
            "option --question: the 'questions' layout takes 1 to 8 questions, not 0",
        ),
    ],
    ids=["date", "story", "question", "link-params", "layout-count", "title", "brand", "none"],
)
def test_an_error_caused_by_a_flag_names_the_flag(
    project_dir: Path, args: list[str], message: str
) -> None:
    result = handout(project_dir, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert "command line, line" not in result.output and "add '" not in result.output
    assert "Traceback" not in result.output


def test_comma_lists_a_folder_for_out_and_a_default_title(
    project_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "handouts"
    folder.mkdir()
    # One story and no title: the story's title; -o names an existing folder.
    one = handout(project_dir, "--story", "stay", "--date", "1 Dec 2026", "-o", str(folder))
    assert one.exit_code == 0, one.output
    pdf = PdfFacts.open(folder / "stay.pdf")
    assert pdf.metadata["/Title"] == "Stay"
    assert "Tuesday 1 December 2026" in pdf.text()
    # Comma lists; questions from one guide give its title; .pdf is added; --out works.
    two = handout(
        project_dir,
        "--story",
        "touch,critical-care",
        "--question",
        "compassion:1,compassion:2",
        "--out",
        str(folder / "session"),
    )
    assert two.exit_code == 0, two.output
    pdf = PdfFacts.open(folder / "session.pdf")
    assert pdf.metadata["/Title"] == "Compassion"
    assert len(pdf.decoded_qr_codes()[0]) == 2
    text = " ".join(pdf.text().split())
    assert "Where do you see compassion in these stories" in text


def test_overflow_advice_speaks_in_flags(project_dir: Path, tmp_path: Path) -> None:
    long_question = "What would you say " + "and what would you do " * 12 + "next?"
    result = handout(
        project_dir,
        "--story",
        "touch,stay,critical-care,what-do-you-see,dis-integration,just-five-minutes-more",
        "--title",
        "Too much",
        "--paper",
        "a5",
        *[arg for _ in range(6) for arg in ("--question", long_question)],
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert result.exit_code == 1
    assert "does not fit on one page" in result.output
    assert "--notes none" in result.output and "--paper a4" in result.output
    assert "notes: none" not in result.output


def test_list_questions_of_a_guide(project_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["list", "questions", "compassion", "-C", str(project_dir)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("compassion:1 ") and "Where do you see compassion" in lines[0]
    assert lines[-1].startswith("compassion:10 ")
    wrong = runner.invoke(main, ["list", "questions", "compasion", "-C", str(project_dir)])
    assert wrong.exit_code == 1 and "did you mean 'compassion'?" in wrong.output


def test_the_project_is_found_from_a_subfolder_and_missed_outside_one(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir / "content/guides")
    inside = CliRunner().invoke(main, ["list", "guides"])
    assert inside.exit_code == 0 and "compassionate-leadership" in inside.output
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "not inside a dnaoc-print project" in result.output and "-C PROJECT" in result.output


def test_a_date_flag_that_names_no_day_says_so(project_dir: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["handout", "--story", "stay", "--date", "31/11/2026", "-C", str(project_dir)],
    )
    assert result.exit_code == 1
    assert "option --date: '31/11/2026' is not a date: there is no such day" in result.output


def test_a_list_read_as_one_id_says_how_to_lay_it_out(project_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["handout", "--story", "stay - touch", "--title", "T", "-C", str(project_dir)]
    )
    assert result.exit_code == 1
    assert "unknown story id 'stay - touch'" in result.output
    assert "put each story on a line of its own" in result.output, result.output


def test_overflow_advice_names_the_flag_that_leaves_out_the_standard_warning(
    project_dir: Path,
) -> None:
    stories = "touch,stay,just-five-minutes-more,critical-care,floristry-perhaps"
    result = CliRunner().invoke(
        main,
        [
            "handout",
            "--story",
            stories,
            "--title",
            "T",
            "--paper",
            "a5",
            "-o",
            str(project_dir / "x.pdf"),
        ]
        + ["-C", str(project_dir)],
    )
    assert result.exit_code == 1
    assert "does not fit on one page" in result.output
    # Stay has a content note, so the standard warning is printed unless asked not to be.
    assert "leave out the standard content warning (--no-content-warning)" in result.output


@pytest.mark.parametrize("rows", [False, True], ids=["spec", "spec-and-rows"])
def test_a_misspelt_spec_is_a_usage_error_that_suggests_the_near_one(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, rows: bool
) -> None:
    # As --from treats a CSV file that does not exist: click's usage error, exit 2.
    monkeypatch.chdir(project_dir)
    (project_dir / "rows.csv").write_text("name,title,stories\na,A,stay\n")
    spec = "content/handouts/compasion.yaml"
    result = CliRunner().invoke(main, ["handout", spec, *(["--from", "rows.csv"] if rows else [])])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '[SPEC]': File '{spec}' does not exist." in result.output
    assert "Did you mean 'content/handouts/compassion.yaml'?" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit


def test_a_spec_with_no_near_name_is_named_without_a_guess(project_dir: Path) -> None:
    missing = project_dir / "content/handouts/nothing-like-it.yaml"
    result = handout(project_dir, str(missing))
    assert result.exit_code == 2, result.output
    assert f"File '{missing}' does not exist." in result.output
    assert "Did you mean" not in result.output


def test_make_handouts_names_a_missing_spec(project_dir: Path) -> None:
    from dnaoc_print.build.handouts import make_handouts
    from dnaoc_print.errors import ContentErrors

    with pytest.raises(ContentErrors) as caught:
        make_handouts(project_dir, spec=project_dir / "content/handouts/resilence.yaml")
    assert str(caught.value.errors[0]) == (
        "content/handouts/resilence.yaml: no such handout spec\n"
        "  hint: did you mean 'content/handouts/resilience.yaml'?"
    )


def test_a_failed_row_is_listed_once_with_its_reason(project_dir: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name,title,stories\nbad-row,Bad,stya\n")
    result = handout(project_dir, "--from", str(rows), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert result.output.count("bad-row") == 1, result.output
    assert f"failed      handout bad-row: {rows}, line 2, column C (stories): unknown story id" in (
        result.output
    )


def test_a_brand_that_does_not_exist_is_blamed_where_it_was_named(project_dir: Path) -> None:
    """A spec's brand: line, a CSV Brand cell, --brand: each named, with the closest
    brand and how to list them (not 'brands/nobrand', a folder the user never wrote)."""
    spec = project_dir / "content/handouts/e4.yaml"
    spec.write_text("title: Brand test\nstories: [touch]\nbrand: example-trst\n")
    listing = "list every brand with: dnaoc-print list brands"

    from_spec = handout(project_dir, str(spec))
    assert from_spec.exit_code == 1, from_spec.output
    assert "content/handouts/e4.yaml, line 3: no brand 'example-trst'" in from_spec.output
    assert "did you mean 'example-trust'?" in from_spec.output
    assert listing in from_spec.output
    assert "brands/example-trst" not in from_spec.output

    checked = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert "content/handouts/e4.yaml, line 3: no brand 'example-trst'" in checked.output
    assert listing in checked.output
    # A build finds it too (with one guide and no other handout, to stay quick).
    for path in [*project_dir.glob("content/guides/*.md"), *spec.parent.glob("*.yaml")]:
        if path.name not in ("compassion.md", "e4.yaml"):
            path.unlink()
    built = CliRunner().invoke(main, ["build", "-C", str(project_dir), "--jobs", "1"])
    assert "handout e4: content/handouts/e4.yaml, line 3: no brand 'example-trst'" in built.output

    rows = project_dir / "rows.csv"
    rows.write_text("Name,Title,Stories,Brand\na,One,touch,nobrand\nb,Two,touch,\n")
    from_row = handout(project_dir, "--from", str(rows), "-o", str(project_dir / "out"))
    assert "rows.csv, line 2, column D (Brand): no brand 'nobrand'" in from_row.output
    assert "brands: dna-of-care" in from_row.output and listing in from_row.output
    assert (project_dir / "out/b.pdf").is_file()  # the other row is built

    flag = handout(project_dir, "--story", "touch", "--brand", "nobrand")
    assert "option --brand: no brand 'nobrand'" in flag.output
    assert listing in flag.output


LONG_QUESTION = "What would you say " + "and what would you do " * 12 + "next?"
SIX_STORIES = "touch,stay,critical-care,what-do-you-see,dis-integration,just-five-minutes-more"


def _advice(output: str) -> str:
    assert "does not fit on one page" in output, output
    return output.split("To fit: ", 1)[1].split("\n", 1)[0]


def test_fit_advice_names_each_setting_where_it_was_made(project_dir: Path) -> None:
    """A5 from --paper over a spec: the flag (editing the spec cannot help while the
    flag overrides it); the notes the spec left to the default: the spec's key."""
    spec = project_dir / "content/handouts/too-much.yaml"
    spec.write_text(
        f"title: Too much\nstories: [{SIX_STORIES}]\nquestions:\n" + f'  - "{LONG_QUESTION}"\n' * 6
    )
    result = handout(project_dir, str(spec), "--paper", "a5", "-o", str(project_dir / "x.pdf"))
    advice = _advice(result.output)
    assert "print on A4 (--paper a4)" in advice and "paper: a4" not in advice
    assert "leave out the notes (notes: none)" in advice and "--notes" not in advice


def test_fit_advice_for_a_csv_row_names_its_column_not_a_flag(project_dir: Path) -> None:
    """--paper would change every row: the row's own cell is what to change, and a
    setting the sheet has no column for is a column to add."""
    rows = project_dir / "rows.csv"
    rows.write_text(f'name,title,stories,Paper\nr1,Too much,"{SIX_STORIES}",a5\n')
    result = handout(project_dir, "--from", str(rows), "-o", str(project_dir / "out"))
    advice = _advice(result.output)
    assert "print on A4 (write a4 in column D (Paper))" in advice, advice
    assert "leave out the notes (add a 'notes' column holding none)" in advice
    assert "--" not in advice


def test_fit_advice_offers_no_remedy_that_cannot_be_made(project_dir: Path) -> None:
    question = "What would you say " + "and what would you do " * 120 + "next?"
    out = str(project_dir / "x.pdf")
    # Cards need one story: only the question can go.
    one_each = handout(
        project_dir, "--story", "touch", "--question", question, "--title", "T", "--paper", "a5"
    )
    advice = _advice(one_each.output)
    assert advice.startswith("remove a question; shorten the longest question"), advice
    assert "a story" not in advice
    # The questions layout needs its one question, and there is no story to remove.
    only = handout(
        project_dir, "--layout", "questions", "--question", question, "--title", "T",
        "--paper", "a5", "-o", out,
    )  # fmt: skip
    advice = _advice(only.output)
    assert "remove" not in advice and advice.startswith("shorten the longest question"), advice
