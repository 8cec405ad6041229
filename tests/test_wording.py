"""The printed wording file, and placeholders that must never reach a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.engine import build
from dnaoc_print.build.planning import guide_job, handout_job
from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.placeholders import find_placeholders
from dnaoc_print.content.scaffold import new_file
from dnaoc_print.errors import ContentErrors
from dnaoc_print.render.templating import css_page_numbers

from conftest import BuiltProject, default_layouts, keep_only
from pdf_inspect import PdfFacts

WORDING = "content/shared/wording.yaml"


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_editing_the_wording_file_changes_the_printed_words(project_dir: Path) -> None:
    edit(project_dir, WORDING, "  notes: Notes", "  notes: Your thoughts")
    edit(project_dir, WORDING, "months: [January,", "months: [Janvier,")
    project = load_project(project_dir)
    handout = next(h for h in project.handouts if h.name == "compassion")
    sheet = default_layouts(project).handout(handout).html
    assert "<h2>Your thoughts</h2>" in sheet and "<h2>Notes</h2>" not in sheet
    edit(project_dir, "content/handouts/compassion.yaml", "2026-12-01", "2027-01-05")
    project = load_project(project_dir)
    handout = next(h for h in project.handouts if h.name == "compassion")
    assert "Tuesday 5 Janvier 2027" in default_layouts(project).handout(handout).html


def test_a_wrong_wording_file_names_each_line(project_dir: Path) -> None:
    edit(project_dir, WORDING, "  contents: Contents\n", "  content: Contents\n")
    edit(project_dir, WORDING, "weekdays: [Monday, ", "weekdays: [")
    with pytest.raises(ContentErrors) as raised:
        load_project(project_dir)
    messages = [str(error) for error in raised.value.errors]
    unknown = line_of(project_dir, WORDING, "  content: Contents")
    assert f"{WORDING}, line {unknown}: unknown field 'guide.content'" in messages[0]
    assert "did you mean 'contents'?" in messages[0]
    assert any("missing field 'guide.contents'" in message for message in messages)
    weekdays = line_of(project_dir, WORDING, "weekdays:")
    assert f"{WORDING}, line {weekdays}: 'weekdays' must list 7 names, not 6" in messages


def test_wording_is_data_never_code(project_dir: Path) -> None:
    edit(
        project_dir,
        WORDING,
        "  stories_heading: Stories for {title}",
        '  stories_heading: "{{ 7 * 7 }} <b>{title}</b> {title.__class__} {other}"',
    )
    project = load_project(project_dir)
    html = default_layouts(project).guide(project.guide("compassion")).html
    assert "{{ 7 * 7 }} &lt;b&gt;compassion&lt;/b&gt; {title.__class__} {other}" in html


def test_page_numbers_in_the_projects_words_and_safe_in_css() -> None:
    assert css_page_numbers("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    # Quotes, backslashes and '</style>' are escaped: wording cannot leave the string.
    escaped = 'counter(page) " \\22 \\3c \\2f style\\3e \\5c "'
    assert css_page_numbers('{page} "</style>\\') == escaped


def test_placeholders_are_found_with_their_lines_and_comments_are_not(project_dir: Path) -> None:
    guide = "content/guides/resilience.md"
    edit(project_dir, guide, "subtitle: Coping,", "# ((a comment))\nsubtitle: ((Coping)),")
    edit(project_dir, guide, "## Resilience\n", "## Resilience\n\n# ((A heading))\n")
    found = [str(error) for error in find_placeholders(project_dir)]
    subtitle = line_of(project_dir, guide, "subtitle:")
    heading = line_of(project_dir, guide, "# ((A heading))")
    in_guide = [message.split("\n")[0] for message in found if message.startswith(guide)]
    assert in_guide == [
        f"{guide}, line {subtitle}: placeholder '((Coping))' is still there",
        f"{guide}, line {heading}: placeholder '((A heading))' is still there",
    ]


FACILITATOR = "  facilitator: ((Your name here))\n"


def with_placeholder_facilitator(root: Path, spec: str = "compassion") -> int:
    """A user's copy of a shipped spec, its facilitator still to be written: its line."""
    edit(root, f"content/handouts/{spec}.yaml", "\nsession:\n", "\nsession:\n" + FACILITATOR)
    return line_of(root, f"content/handouts/{spec}.yaml", "facilitator: ((")


def test_check_warns_about_each_placeholder_and_strict_fails(project_dir: Path) -> None:
    line = with_placeholder_facilitator(project_dir)
    runner = CliRunner()
    relaxed = runner.invoke(main, ["check", "-C", str(project_dir)])
    assert relaxed.exit_code == 0, relaxed.output
    assert (
        f"warning: content/handouts/compassion.yaml, line {line}: "
        "placeholder '((Your name here))' is still there"
    ) in relaxed.output
    strict = runner.invoke(main, ["check", "-C", str(project_dir), "--strict"])
    assert strict.exit_code == 1 and "((Your name here))" in strict.output


def test_the_shipped_build_has_no_placeholder_to_warn_about(built: BuiltProject) -> None:
    assert not [note for note in built.report.notes if "((" in note]
    assert not built.report.failed


def test_a_build_prints_no_placeholder_unless_allowed(project_dir: Path) -> None:
    """What would print a placeholder fails, alone, named by file and line; the rest is
    built; --allow-placeholders prints it, for a proof."""
    keep_only(project_dir, ("compassion",), ("compassion",))
    (project_dir / "content/handouts/huddle.yaml").write_text(
        "title: Huddle\nstories: [stay]\nquestions: [What helps you stay?]\n"
    )
    line = with_placeholder_facilitator(project_dir)
    report = build(project_dir, workers=1)
    failed = {outcome.job_name: outcome.error for outcome in report.failed}
    assert list(failed) == ["handout compassion"]
    assert (
        f"content/handouts/compassion.yaml, line {line}: placeholder"
        in failed["handout compassion"]
    )
    assert (project_dir / "build/handouts/huddle.pdf").exists()
    assert (project_dir / "build/guides/compassion.pdf").exists()
    assert not (project_dir / "build/handouts/compassion.pdf").exists()
    proof = build(project_dir, workers=1, allow_placeholders=True)
    assert not proof.failed
    assert [note for note in proof.notes if "((Your name here))" in note]
    text = PdfFacts.open(project_dir / "build/handouts/compassion.pdf").text()
    assert "((Your name here))" in text


def test_scaffolds_mark_every_word_to_be_written(project_dir: Path) -> None:
    new_file(project_dir, "guide", "Team meetings")
    new_file(project_dir, "handout", "ward-huddle")
    project = load_project(project_dir)  # both load as they are
    assert project.guide("team-meetings").subtitle == "((A one-line description of the theme))"
    found = [str(error) for error in find_placeholders(project_dir)]
    in_guide = [message for message in found if "team-meetings.md" in message]
    in_handout = [message for message in found if "ward-huddle.yaml" in message]
    # Subtitle, summary, 8 questions, a reference, 4 paragraphs and the pull quote.
    assert len(in_guide) == 16
    assert [re.search(r"'\(\(.*\)\)'", message)[0] for message in in_handout] == [
        "'((14:00 to 15:30))'",
        "'((Where the session is))'",
        "'((Your name))'",
    ]


def test_every_document_depends_on_the_wording(project_dir: Path) -> None:
    def fingerprints() -> list[str]:
        project = load_project(project_dir)
        brands = Brands(project)
        out = project_dir / "build"
        jobs = [guide_job(g, project, brands, None, out, "a4") for g in project.guides]
        jobs += [handout_job(h, brands, None, out / f"{h.name}.pdf") for h in project.handouts]
        return [job.fingerprint for job in jobs]

    before = fingerprints()
    edit(project_dir, WORDING, "  notes: Notes", "  notes: Your thoughts")
    after = fingerprints()
    assert all(old != new for old, new in zip(before, after, strict=True))
