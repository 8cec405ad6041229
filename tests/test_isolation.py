"""One broken file never stops the rest: loading, build, check, watch, leftovers, progress."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project

STORIES = "content/stories.yaml"


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.fixture
def two_handouts(project_dir: Path) -> Path:
    """No guides, two handouts that borrow no questions: builds in a few seconds."""
    for path in (project_dir / "content/guides").glob("*.md"):
        path.unlink()
    for path in (project_dir / "content/handouts").glob("*.yaml"):
        path.unlink()
    for name, story in (("huddle", "stay"), ("meeting", "touch")):
        (project_dir / f"content/handouts/{name}.yaml").write_text(
            f"title: {name.title()}\nstories: [{story}]\nlayout: single\n"
        )
    return project_dir


def test_a_broken_story_stops_only_what_shows_it(project_dir: Path) -> None:
    edit(project_dir, STORIES, "- id: stay\n", "- id: stay\n  colour: blue\n")
    project = load_project(project_dir, partial=True)
    shows_stay = {g.slug for g in load_project_clean_guides(project_dir, "stay")}
    broken = {(item.kind, item.name) for item in project.broken}
    assert shows_stay and {("guide", slug) for slug in shows_stay} <= broken
    assert ("handout", "single-story-stay") in broken
    assert "stay" not in project.stories
    # Everything else loaded.
    assert {g.slug for g in project.guides} == {
        "compassion",
        "compassionate-leadership",
        "improvement-and-change",
        "resilience",
        "bringing-your-whole-self-to-work",
    } - shows_stay
    line = line_of(project_dir / STORIES, "colour: blue")
    [item] = [item for item in project.broken if item.name == "single-story-stay"]
    assert [str(e).split(":")[0] for e in item.errors] == [f"{STORIES}, line {line}"]
    # The problem is counted once, however many outputs it stops.
    assert len(project.problems) == 1


def load_project_clean_guides(root: Path, story: str):
    """The guides of the shipped project that show ``story``, read from a clean copy."""
    from conftest import PROJECT_ROOT

    return [g for g in load_project(PROJECT_ROOT).guides if story in {s.id for s in g.stories}]


def test_a_missing_shared_section_stops_every_guide_and_no_handout(project_dir: Path) -> None:
    (project_dir / "content/shared/power-of-stories.md").unlink()
    project = load_project(project_dir, partial=True)
    assert project.guides == ()
    assert len(project.handouts) == 7
    assert {item.kind for item in project.broken} == {"guide"} and len(project.broken) == 5


def test_borrowed_questions_depend_on_the_questions_only(project_dir: Path) -> None:
    guide = "content/guides/compassion.md"
    edit(project_dir, guide, "  - stay\n", "  - sty\n")
    project = load_project(project_dir, partial=True)
    assert "compassion" not in {g.slug for g in project.guides}
    # The compassion handout borrows the guide's questions, which are sound.
    assert "compassion" in {h.name for h in project.handouts}

    edit(project_dir, guide, "questions:\n", "questions:\n  - Note: a colon\n")
    project = load_project(project_dir, partial=True)
    [item] = [i for i in project.broken if (i.kind, i.name) == ("handout", "compassion")]
    assert any(
        str(e).startswith(f"{guide}, line") and "double quotes" in str(e) for e in item.errors
    )


def test_check_counts_add_up(project_dir: Path) -> None:
    edit(project_dir, "content/guides/compassion.md", "  - stay\n", "  - sty\n")
    edit(project_dir, "content/handouts/resilience.yaml", "notes: lines", "notes: lined")
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert result.exit_code == 1
    assert (
        "checked 5 guides (4 fine, 1 with errors), 7 handouts (6 fine, 1 with errors), "
        "3 brands (3 fine): 2 errors, 0 warnings" in result.output
    ), result.output
    assert result.output.count("error: ") == 2


def test_leftovers_of_a_renamed_handout_are_removed_and_nothing_else(
    two_handouts: Path,
) -> None:
    root = two_handouts
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "--jobs", "1"])
    assert first.exit_code == 0, first.output
    mine = root / "build/handouts/my-own.pdf"
    mine.write_bytes(b"%PDF-1.7 not made by dnaoc-print")
    (root / "content/handouts/huddle.yaml").rename(root / "content/handouts/ward-huddle.yaml")
    second = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "--jobs", "1"])
    assert second.exit_code == 0, second.output
    assert (
        "removed build/handouts/huddle.pdf: its source content/handouts/huddle.yaml is gone"
        in second.output
    )
    assert sorted(p.name for p in (root / "build/handouts").iterdir()) == [
        "meeting.pdf",
        "my-own.pdf",
        "ward-huddle.pdf",
    ]
    # Noise: by default what was up to date is not listed; -v lists it, -q lists nothing.
    assert "up to date  " not in second.output
    assert "1 built, 1 up to date, 0 failed" in second.output
    verbose = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "-v"])
    assert "up to date  " in verbose.output and "removed" not in verbose.output
    quiet = runner.invoke(
        main, ["build", "--no-slides", "-C", str(root), "--force", "-q", "--jobs", "1"]
    )
    assert quiet.output.splitlines()[-1].startswith("2 built, 0 up to date, 0 failed")
    assert len(quiet.output.splitlines()) == 1
    # A PDF changed since the build wrote it is kept, even when its source is gone.
    meeting = root / "build/handouts/meeting.pdf"
    meeting.write_bytes(meeting.read_bytes() + b"\n% annotated by hand\n")
    (root / "content/handouts/meeting.yaml").unlink()
    third = runner.invoke(main, ["build", "--no-slides", "-C", str(root)])
    assert "kept build/handouts/meeting.pdf" in third.output and meeting.is_file()


def test_watch_rebuilds_the_rest_when_a_file_is_broken(
    two_handouts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(two_handouts, "content/handouts/meeting.yaml", "layout: single", "layout: singel")
    import dnaoc_print.build.watching

    # One round of watching: the first rebuild, as `watch` does before any change.
    monkeypatch.setattr(dnaoc_print.build.watching, "watch", lambda root, rebuild: rebuild())
    result = CliRunner().invoke(main, ["watch", "-C", str(two_handouts), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "1 built, 0 up to date, 1 failed" in result.output
    assert "content/handouts/meeting.yaml, line 3: 'layout' must be one of" in result.output
    assert (two_handouts / "build/handouts/huddle.pdf").is_file()


def run_in_terminal(args: list[str], cwd: Path, timeout: float = 120) -> str:
    """Run the command line under a pseudo-terminal, as in a terminal window."""
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dnaoc_print", *args],
        cwd=cwd,
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "120"},
    )
    os.close(child_fd)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(main_fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(main_fd)
        process.wait(timeout=30)
    return output.decode("utf-8", "replace")


def test_a_progress_bar_on_a_terminal_and_plain_lines_otherwise(two_handouts: Path) -> None:
    shown = run_in_terminal(["build", "--no-slides", "--jobs", "1"], cwd=two_handouts)
    assert "building" in shown and "1/2" in shown and "2/2" in shown, shown
    assert "s elapsed" in shown and "handout " in shown, shown
    assert "2 built, 0 up to date, 0 failed" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "dnaoc_print", "build", "--no-slides", "--force", "--jobs", "1"],
        cwd=two_handouts,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=120,
    )
    assert "building" not in piped.stdout and "/2" not in piped.stdout
    assert piped.stdout.count("built       ") == 2


def test_a_half_edited_new_guide_does_not_stop_an_unrelated_handout(
    project_dir: Path, tmp_path: Path
) -> None:
    (project_dir / "content/guides/new-guide.md").write_text("---\ntitle: Half writ\n")
    result = CliRunner().invoke(
        main,
        ["handout", "-C", str(project_dir), "--story", "stay", "--title", "X"]
        + ["-o", str(tmp_path / "x.pdf"), "--jobs", "1"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.pdf").is_file()


def test_a_broken_guide_changes_no_other_guide(project_dir: Path) -> None:
    """The series list in every guide still names a broken guide, so the others stay
    up to date; only when its title cannot be read do they change, with a note."""
    root = project_dir
    for path in (root / "content/guides").glob("*.md"):
        if path.stem not in ("compassion", "resilience"):
            path.unlink()
    for path in (root / "content/handouts").glob("*.yaml"):
        path.unlink()
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "--jobs", "1"])
    assert first.exit_code == 0, first.output
    other = root / "build/guides/resilience.pdf"
    before = other.read_bytes()
    guide = "content/guides/compassion.md"
    question = "  - Where do you see compassion"
    # An unquoted ': ' in question 1: a mapping, and (twice) a line YAML cannot read.
    for broken in ("  - Where: do you see compassion", "  - Where: do you: see compassion"):
        edit(root, guide, question, broken)
        project = load_project(root, partial=True)
        assert [entry.title for entry in project.series] == ["Compassion", "Resilience"]
        second = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "-v"])
        assert second.exit_code == 1, second.output
        assert "up to date  " in second.output and "resilience.pdf" in second.output
        assert "0 built, 1 up to date, 1 failed" in second.output, second.output
        assert f"failed      guide compassion: {guide}, line " in second.output
        assert "series list" not in second.output
        assert other.read_bytes() == before
        edit(root, guide, broken, question)
    # With the title itself unreadable the list must change: the build says so.
    edit(root, guide, "title: Compassion", "title: [Compassion")
    third = runner.invoke(main, ["build", "--no-slides", "-C", str(root), "--jobs", "1"])
    assert third.exit_code == 1, third.output
    assert "1 built, 0 up to date, 1 failed" in third.output, third.output
    assert (
        f"warning: {guide}: the guides' series list leaves out this guide, as its title "
        "or order cannot be read" in third.output
    )
    assert other.read_bytes() != before
