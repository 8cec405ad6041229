"""The build engine: incremental, parallel, atomic, observable; check, list, new.

(`serve`, which replaced the HTML preview, is tested in test_serve*.py.)
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner
from dnaoc_print.build.work import Job, RunOptions

import dnaoc_print.atomic
from dnaoc_print.build.checking import check
from dnaoc_print.build.engine import build
from dnaoc_print.build.jobs import run_jobs
from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project

from pdf_inspect import PdfFacts


def test_nothing_changed_typesets_nothing(project_dir: Path) -> None:
    first = build(project_dir, workers=2)
    assert len(first.built) == 12 and not first.failed
    stamps = {p: p.stat().st_mtime_ns for p in (project_dir / "build").rglob("*.pdf")}
    again = build(project_dir)
    assert again.built == [] and len(again.up_to_date) == 12
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_changing_one_story_rebuilds_exactly_the_outputs_that_use_it(project_dir: Path) -> None:
    build(project_dir, workers=2)
    catalogue = project_dir / "content/stories.yaml"
    catalogue.write_text(
        catalogue.read_text().replace(
            "Meetings instead of action;", "Meeting after meeting instead of action;"
        )
    )
    project = load_project(project_dir)
    expected = {
        f"guide {g.slug}"
        for g in project.guides
        if any(s.id == "dis-integration" for s in g.stories)
    }
    expected |= {
        f"handout {h.name}"
        for h in project.handouts
        if any(s.id == "dis-integration" for s in h.stories)
    }
    assert expected  # the story is used somewhere, or this test proves nothing
    report = build(project_dir)
    assert {outcome.job_name for outcome in report.built} == expected
    assert len(report.up_to_date) == 12 - len(expected)


def test_a_layout_change_rebuilds_everything(project_dir: Path) -> None:
    build(project_dir, workers=2)
    css = project_dir / "layouts/common.css"
    css.write_text(css.read_text() + "\n/* a comment is a change too */\n")
    assert len(build(project_dir).built) == 12


def test_force_rebuilds_all_and_a_deleted_pdf_is_rebuilt(project_dir: Path) -> None:
    build(project_dir, workers=2)
    (project_dir / "build/guides/resilience.pdf").unlink()
    assert [o.job_name for o in build(project_dir).built] == ["guide resilience"]
    assert len(build(project_dir, force=True).built) == 12


def test_manifest_records_inputs_pages_size_and_hash(project_dir: Path) -> None:
    build(project_dir, workers=2)
    manifest = json.loads((project_dir / "build/manifest.json").read_text())
    entry = manifest["outputs"]["guides/compassion.pdf"]
    assert entry["pages"] == PdfFacts.open(project_dir / "build/guides/compassion.pdf").page_count
    assert entry["bytes"] == (project_dir / "build/guides/compassion.pdf").stat().st_size
    assert len(entry["sha256"]) == 64
    assert "content/guides/compassion.md" in entry["inputs"]
    assert "story:touch" in entry["inputs"] and "story:dis-integration" not in entry["inputs"]
    assert "layouts/common.css" in entry["inputs"]
    assert manifest["outputs"]["handouts/compassion.pdf"]["pages"] == 1


def test_a_failing_write_leaves_the_previous_pdf_intact(project_dir: Path, monkeypatch) -> None:
    build(project_dir, workers=2)
    target = project_dir / "build/guides/compassion.pdf"
    good = target.read_bytes()
    guide = project_dir / "content/guides/compassion.md"
    guide.write_text(guide.read_text().replace("Compassion starts", "Compassion begins"))

    real_replace = dnaoc_print.atomic.os.replace

    def disk_full(source, destination):
        if str(destination).endswith(".pdf"):
            raise OSError(28, "No space left on device")
        real_replace(source, destination)

    monkeypatch.setattr(dnaoc_print.atomic.os, "replace", disk_full)
    # Run here, not in a worker process, so the disk can be made to fail.
    from dnaoc_print.build.brand_set import Brands
    from dnaoc_print.build.jobs import run_work
    from dnaoc_print.build.planning import guide_job

    project = load_project(project_dir)
    planned = guide_job(
        project.guide("compassion"), project, Brands(project), None, project_dir / "build", "a4"
    )
    [failed] = run_work(planned.make(), RunOptions((project_dir,)))
    assert failed.job_name == "guide compassion" and failed.status == "failed"
    assert "cannot write" in failed.error and "No space left on device" in failed.error
    assert target.read_bytes() == good
    assert list((project_dir / "build").rglob("*.part")) == []


def test_one_failing_output_does_not_stop_the_others(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassion.yaml"
    spec.write_text(
        spec.read_text()
        .replace("notes: lines", "notes: lines\npaper: a5")
        .replace("content_warning: true", "content_warning: " + "A long warning. " * 60)
    )
    report = build(project_dir, workers=2)
    assert [o.job_name for o in report.failed] == ["handout compassion"]
    assert len(report.built) == 11
    result = CliRunner().invoke(main, ["build", "-C", str(project_dir), "--force"])
    assert result.exit_code == 1


def test_time_limit_stops_a_document(project_dir: Path) -> None:
    project = load_project(project_dir)
    from conftest import default_layouts

    layouts = default_layouts(project)
    jobs = [
        Job(f"guide {g.slug}", project_dir / "out" / f"{g.slug}.pdf", layouts.guide(g))
        for g in project.guides[:2]
    ]
    started = time.perf_counter()
    outcomes = run_jobs(jobs, RunOptions((project.root,), time_limit=0.05), workers=2)
    assert time.perf_counter() - started < 20
    assert all(o.status == "failed" and "stopped after 0.05 s" in o.error for o in outcomes)
    assert not (project_dir / "out").exists() or not list((project_dir / "out").iterdir())


def test_check_reports_several_errors_from_several_files(project_dir: Path) -> None:
    guide = project_dir / "content/guides/compassion.md"
    guide.write_text(guide.read_text().replace("  - stay\n", "  - sty\n"))
    spec = project_dir / "content/handouts/resilience.yaml"
    spec.write_text(spec.read_text().replace("date: 2026-12-01", "date: 2026-31-12"))
    brand = project_dir / "brands/example-trust/brand.yaml"
    brand.write_text(brand.read_text().replace('accent: "#f2a900"', 'accent: "#f2a9"'))
    report = check(project_dir)
    assert len(report.errors) == 3, report.errors
    assert any("content/guides/compassion.md, line" in e and "'sty'" in e for e in report.errors)
    assert any("content/handouts/resilience.yaml, line" in e for e in report.errors)
    assert any("brands/example-trust/brand.yaml, line" in e for e in report.errors)
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir)])
    assert result.exit_code == 1 and "3 errors" in result.output


def test_check_passes_on_the_shipped_project(project_dir: Path) -> None:
    # The example handouts hold no placeholder: a strict check passes as shipped.
    result = CliRunner().invoke(main, ["check", "-C", str(project_dir), "--strict"])
    assert result.exit_code == 0, result.output


def test_strict_fails_on_a_weasyprint_warning(project_dir: Path) -> None:
    extra = project_dir / "brands/example-trust/extra.css"
    extra.write_text(extra.read_text() + "\n.guide h2 { color: not-a-colour; }\n")
    relaxed = build(project_dir, brand="example-trust", workers=2)
    assert not relaxed.failed
    assert any("not-a-colour" in w for o in relaxed.built for w in o.warnings)
    strict = build(project_dir, brand="example-trust", strict=True, force=True, workers=2)
    assert strict.failed and all("--strict" in o.error for o in strict.failed)


def test_list_and_new(project_dir: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["list", "-C", str(project_dir)])
    assert listing.exit_code == 0
    for expected in (
        "compassionate-leadership",
        "floristry-perhaps",
        "single-story-stay",
        "example-trust",
    ):
        assert expected in listing.output
    made = runner.invoke(main, ["new", "guide", "Team meetings", "-C", str(project_dir)])
    assert made.exit_code == 0, made.output
    handout = runner.invoke(main, ["new", "handout", "ward-huddle", "-C", str(project_dir)])
    assert handout.exit_code == 0, handout.output
    again = runner.invoke(main, ["new", "guide", "team-meetings", "-C", str(project_dir)])
    assert again.exit_code == 1 and "already exists" in again.output
    report = build(project_dir, workers=2)
    assert not report.failed
    assert "Team meetings" in PdfFacts.open(project_dir / "build/guides/team-meetings.pdf").text()
    assert PdfFacts.open(project_dir / "build/handouts/ward-huddle.pdf").page_count == 1


def test_usage_error_exits_2_and_content_error_exits_1(project_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--jobs", "0"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2
    (project_dir / "content/stories.yaml").write_text("- id: [\n")
    assert runner.invoke(main, ["build", "-C", str(project_dir)]).exit_code == 1
