"""The build engine: incremental, parallel, atomic, observable; check, list, new.

(`serve`, which replaced the HTML preview, is tested in test_serve*.py.)
"""

from __future__ import annotations

import json
import time
from hashlib import sha256
from pathlib import Path

from click.testing import CliRunner

import dnaoc_print.atomic
from dnaoc_print.build.checking import check_project as check
from dnaoc_print.build.engine import build
from dnaoc_print.build.jobs import run_jobs
from dnaoc_print.build.work import Job, RunOptions
from dnaoc_print.cli.main import main
from dnaoc_print.content.loading import load_project

from conftest import BuiltProject, keep_only
from pdf_inspect import PdfFacts


def test_nothing_changed_typesets_nothing(built: BuiltProject, built_project_dir: Path) -> None:
    # The session's first build made all twelve; its copy, moved to another folder,
    # is up to date (the manifest hashes contents, not paths), so nothing is typeset.
    assert len(built.report.built) == 12 and not built.report.failed
    stamps = {p: p.stat().st_mtime_ns for p in (built_project_dir / "build").rglob("*.pdf")}
    assert len(stamps) == 12
    again = build(built_project_dir)
    assert again.built == [] and len(again.up_to_date) == 12
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_changing_one_story_rebuilds_exactly_the_outputs_that_use_it(
    built_project_dir: Path,
) -> None:
    project_dir = built_project_dir
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


def test_a_layout_change_rebuilds_everything(built_project_dir: Path) -> None:
    # One guide and one handout (both kinds of output) make the point as well as twelve.
    project_dir = keep_only(built_project_dir, ("resilience",), ("resilience",))
    build(project_dir)  # the guides' series list is shorter now: the guide is typeset again
    both = {"guide resilience", "handout resilience"}
    assert {o.job_name for o in build(project_dir).up_to_date} == both
    css = project_dir / "layouts/common.css"
    css.write_text(css.read_text() + "\n/* a comment is a change too */\n")
    report = build(project_dir, workers=2)
    assert {o.job_name for o in report.built} == both and report.up_to_date == []


def test_force_rebuilds_all_and_a_deleted_pdf_is_rebuilt(built_project_dir: Path) -> None:
    (built_project_dir / "build/guides/resilience.pdf").unlink()
    report = build(built_project_dir)
    assert [o.job_name for o in report.built] == ["guide resilience"]
    assert len(report.up_to_date) == 11
    # --force on a smaller copy: everything it has is typeset again, though up to date.
    project_dir = keep_only(built_project_dir, ("resilience",), ("resilience",))
    build(project_dir)  # the guides' series list is shorter now: the guide is typeset again
    assert len(build(project_dir).up_to_date) == 2
    forced = build(project_dir, force=True, workers=2)
    assert {o.job_name for o in forced.built} == {"guide resilience", "handout resilience"}
    assert forced.up_to_date == []


def test_manifest_records_inputs_pages_size_and_hash(built: BuiltProject) -> None:
    project_dir = built.project.root
    manifest = json.loads((project_dir / "build/manifest.json").read_text())
    entry = manifest["outputs"]["guides/compassion.pdf"]
    pdf = project_dir / "build/guides/compassion.pdf"
    assert entry["pages"] == PdfFacts.open(pdf).page_count
    assert entry["bytes"] == pdf.stat().st_size
    assert entry["sha256"] == sha256(pdf.read_bytes()).hexdigest()
    assert "content/guides/compassion.md" in entry["inputs"]
    assert "story:touch" in entry["inputs"] and "story:dis-integration" not in entry["inputs"]
    assert "layouts/common.css" in entry["inputs"]
    assert manifest["outputs"]["handouts/compassion.pdf"]["pages"] == 1


def test_a_failing_write_leaves_the_previous_pdf_intact(
    built_project_dir: Path, monkeypatch
) -> None:
    project_dir = built_project_dir
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


def test_one_failing_output_does_not_stop_the_others(built_project_dir: Path) -> None:
    project_dir = built_project_dir
    spec = project_dir / "content/handouts/compassion.yaml"
    spec.write_text(
        spec.read_text()
        .replace("notes: lines", "notes: lines\npaper: a5")
        .replace("content_warning: true", "content_warning: " + "A long warning. " * 60)
    )
    # Two other outputs need typesetting in the same run as the one that fails.
    others = {"guide resilience", "handout resilience"}
    (project_dir / "build/guides/resilience.pdf").unlink()
    (project_dir / "build/handouts/resilience.pdf").unlink()
    report = build(project_dir, workers=2)
    [failed] = report.failed
    assert failed.job_name == "handout compassion"
    assert "does not fit on one page" in failed.error
    assert {o.job_name for o in report.built} == others and len(report.up_to_date) == 9
    assert (project_dir / "build/guides/resilience.pdf").is_file()
    # A failed output is not recorded as made: the next build tries it again.
    result = CliRunner().invoke(main, ["build", "--no-slides", "-C", str(project_dir)])
    assert result.exit_code == 1
    assert (
        "handout compassion: content/handouts/compassion.yaml: does not fit on one page"
    ) in result.output
    assert "0 built, 11 up to date, 1 failed" in result.output


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
    keep_only(project_dir, ("compassion",), ("compassion",))
    extra = project_dir / "brands/example-trust/extra.css"
    extra.write_text(extra.read_text() + "\n.guide h2 { color: not-a-colour; }\n")
    relaxed = build(project_dir, brand="example-trust", workers=2)
    assert not relaxed.failed
    assert any("not-a-colour" in w for o in relaxed.built for w in o.warnings)
    strict = build(project_dir, brand="example-trust", strict=True, force=True, workers=2)
    assert strict.failed and all("--strict" in o.error for o in strict.failed)


def test_list_and_new(built_project_dir: Path) -> None:
    project_dir = built_project_dir
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
    # Both new files are templates, their words to write marked ((like this)): a
    # default build fails exactly them. The new guide joins every guide's series list,
    # so the other guides are typeset again; the shipped handouts are up to date.
    first = build(project_dir, workers=2)
    new = {"guide team-meetings", "handout ward-huddle"}
    assert {o.job_name for o in first.failed} == new
    assert all("placeholder" in o.error for o in first.failed)
    project = load_project(project_dir)
    guides = {f"guide {guide.slug}" for guide in project.guides}
    assert {o.job_name for o in first.built} == guides - new
    shipped = {f"handout {h.name}" for h in project.handouts if h.name != "ward-huddle"}
    assert {o.job_name for o in first.up_to_date} == shipped
    # A proof of the templates prints their placeholders as they are.
    report = build(project_dir, workers=2, allow_placeholders=True)
    assert not report.failed and {o.job_name for o in report.built} == new
    assert "Team meetings" in PdfFacts.open(project_dir / "build/guides/team-meetings.pdf").text()
    assert PdfFacts.open(project_dir / "build/handouts/ward-huddle.pdf").page_count == 1


def test_usage_error_exits_2_and_content_error_exits_1(project_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--jobs", "0"]).exit_code == 2
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2
    (project_dir / "content/stories.yaml").write_text("- id: [\n")
    assert runner.invoke(main, ["build", "-C", str(project_dir)]).exit_code == 1
