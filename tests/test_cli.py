"""The command line, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print import __version__
from dnaoc_print.cli.main import main

from conftest import keep_only
from pdf_inspect import PdfFacts


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dnaoc_print", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300,
    )


def test_help_and_version() -> None:
    runner = CliRunner()
    assert "build" in runner.invoke(main, ["--help"]).output
    assert __version__ in runner.invoke(main, ["--version"]).output


def test_build_writes_every_guide_and_handout(project_dir: Path) -> None:
    result = run_cli("build", cwd=project_dir)
    assert result.returncode == 0, result.stderr
    guide = project_dir / "build/guides/compassionate-leadership.pdf"
    handout = project_dir / "build/handouts/compassionate-leadership.pdf"
    assert PdfFacts.open(guide).page_count > 1
    assert PdfFacts.open(handout).page_count == 1
    # Five guides, seven handouts, and each guide's slide pack (slides, notes, .pptx).
    assert "27 built, 0 up to date, 0 failed" in result.stdout
    assert (project_dir / "build/slides/compassionate-leadership.pptx").is_file()
    # Nothing half-written is left behind.
    assert not list(project_dir.glob("build/**/*.part"))


def test_out_option_changes_the_folder(project_dir: Path, tmp_path: Path) -> None:
    keep_only(project_dir, ("compassionate-leadership",))
    result = run_cli("build", "--no-slides", "--out", str(tmp_path / "elsewhere"), cwd=project_dir)
    assert result.returncode == 0, result.stderr
    assert PdfFacts.open(tmp_path / "elsewhere/guides/compassionate-leadership.pdf").page_count > 1
    assert (tmp_path / "elsewhere/manifest.json").is_file()
    assert not (project_dir / "build").exists()


def test_a_broken_guide_fails_alone_and_the_other_eleven_are_built(
    built_project_dir: Path,
) -> None:
    project_dir = built_project_dir
    # Ten outputs are up to date from the session's build; the broken guide's PDF and
    # its handout's are gone, so the handout is typeset in the same run as the failure.
    (project_dir / "build/guides/compassionate-leadership.pdf").unlink()
    (project_dir / "build/handouts/compassionate-leadership.pdf").unlink()
    guide = project_dir / "content/guides/compassionate-leadership.md"
    guide.write_text(guide.read_text().replace("  - stay\n", "  - sty\n"))
    result = run_cli("build", "--no-slides", "--jobs", "2", cwd=project_dir)
    assert result.returncode == 1
    assert "content/guides/compassionate-leadership.md, line" in result.stderr
    assert "unknown story id 'sty'" in result.stderr and "did you mean 'stay'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert "1 built, 10 up to date, 1 failed" in result.stdout
    pdfs = sorted(
        p.relative_to(project_dir / "build").as_posix() for p in project_dir.glob("build/**/*.pdf")
    )
    assert len(pdfs) == 11 and "guides/compassionate-leadership.pdf" not in pdfs
    # Its handout borrows only its questions, which are sound: it is built.
    assert "handouts/compassionate-leadership.pdf" in pdfs


def test_debug_shows_the_traceback(project_dir: Path) -> None:
    # A broken file fails only its outputs; a brand every output wears stops the build.
    result = run_cli("build", "--debug", "--brand", "no-such-brand", cwd=project_dir)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_handout_that_overflows_fails_and_keeps_the_previous_pdf(
    built_project_dir: Path,
) -> None:
    # The previous PDF is the session build's, copied with its manifest: up to date.
    project_dir = built_project_dir
    handout = project_dir / "build/handouts/compassionate-leadership.pdf"
    good = handout.read_bytes()
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    long_question = "  - What would you say " + "and what would you do " * 10 + "next?\n"
    spec.write_text(
        spec.read_text()
        .replace("notes: lines", "notes: lines\npaper: a5")
        .replace("questions:\n", "questions:\n" + long_question * 2)
    )
    result = run_cli("build", "--no-slides", cwd=project_dir)
    assert result.returncode == 1
    # Named by its file, and each change by its line there.
    lines = spec.read_text().splitlines()
    paper_line = lines.index("paper: a5") + 1
    questions_line = lines.index("questions:") + 1
    assert (
        "handout compassionate-leadership: content/handouts/compassionate-leadership.yaml: "
        "does not fit on one page"
    ) in result.stderr
    assert f"a question (questions, line {questions_line})" in result.stderr
    assert f"print on A4 (paper: a4, line {paper_line})" in result.stderr
    assert "mm too much" in result.stderr
    assert "0 built, 11 up to date, 1 failed" in result.stdout
    assert handout.read_bytes() == good
    assert not list(project_dir.glob("build/**/*.part"))


def test_the_project_may_be_named_before_the_command_as_with_git(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # restored after the test: -C changes the folder
    result = CliRunner().invoke(main, ["-C", str(project_dir), "list", "guides"])
    assert result.exit_code == 0, result.output
    assert "compassionate-leadership" in result.output
    os.chdir(elsewhere)
    outside = CliRunner().invoke(main, ["list", "guides"])
    assert outside.exit_code == 1 and "-C PROJECT" in outside.output
