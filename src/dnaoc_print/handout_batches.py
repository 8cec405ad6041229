"""The ``handout`` command: handouts from a spec, from flags, or one per row of a CSV file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from dnaoc_print.build import Brands, BuildReport, default_out_dir, handout_job, run_planned
from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean, shown_path
from dnaoc_print.handout_specs import HandoutReader, apply_overrides, read_csv_rows, safe_name
from dnaoc_print.jobs import Outcome
from dnaoc_print.loading import load_project
from dnaoc_print.yaml_source import LineDict

COMMAND_LINE = Path("command line")


def make_handouts(
    root: Path,
    spec: Path | None = None,
    overrides: dict[str, object] | None = None,
    rows_from: Path | None = None,
    name_column: str | None = None,
    output: Path | None = None,
    brand: str | None = None,
    strict: bool = False,
    workers: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BuildReport:
    """Build handouts for the ``handout`` command: from a spec, flags, or a CSV file.

    Values are layered: the spec, then a CSV row (one handout per row), then the
    flags in ``overrides`` (dotted keys for nested fields, e.g. ``session.venue``).
    Every spec and row is checked before anything is typeset.
    """
    started = time.perf_counter()
    project = load_project(root)
    errors: list[ContentError] = []
    reader = HandoutReader(project.stories, project.guides, errors)
    base = LineDict.empty()
    name = None
    if spec is not None:
        spec = spec.resolve()
        shown = shown_path(spec, project.root)
        try:
            base = reader.read_file(spec, shown)
        except ContentError as error:
            raise ContentErrors([error]) from None
        name = safe_name(spec.stem, "handout")
    flags = {key: value for key, value in (overrides or {}).items() if value not in (None, ())}

    requests: list[tuple[LineDict, str, Path]] = []
    if rows_from is None:
        data = apply_overrides(base, flags, COMMAND_LINE, None)
        name = name or safe_name(str(data.get("title") or ""), "handout")
        folder = default_out_dir(project.root, brand) / "handouts"
        target = (output or folder / f"{name}.pdf").resolve()
        requests.append((data, name, target))
    else:
        requests = _rows_to_requests(
            project.root,
            base,
            flags,
            rows_from,
            name_column,
            name or "handout",
            output or default_out_dir(project.root, brand) / "handouts" / (name or "handout"),
            errors,
        )
    handouts = [
        (handout, target)
        for data, handout_name, target in requests
        if (handout := reader.handout(data, handout_name, spec_source(spec, project.root)))
    ]
    if errors:
        raise ContentErrors(errors)
    brands = Brands(project, strict)
    planned = [handout_job(handout, brands, brand, target) for handout, target in handouts]
    # Handouts made on request are always typeset; there is no manifest beside them.
    outcomes = run_planned(
        planned, None, [project.root], strict=strict, workers=workers, on_outcome=on_outcome
    )
    return BuildReport(outcomes, time.perf_counter() - started, brands.notes)


def spec_source(spec: Path | None, root: Path) -> Path:
    return shown_path(spec, root) if spec else COMMAND_LINE


def _rows_to_requests(
    root: Path,
    base: LineDict,
    flags: dict[str, object],
    rows_from: Path,
    name_column: str | None,
    default_name: str,
    folder: Path,
    errors: list[ContentError],
) -> list[tuple[LineDict, str, Path]]:
    """One request a CSV row, each with a safe, unique file name in the output folder."""
    shown = shown_path(rows_from, root)
    try:
        rows = read_csv_rows(rows_from, shown)
    except ContentError as error:
        raise ContentErrors([error]) from None
    folder = folder.resolve()
    column = name_column or ("name" if rows and "name" in rows[0][1] else None)
    if column and rows and column not in rows[0][1]:
        raise ContentErrors(
            [
                ContentError(
                    f"there is no column '{column}' to name the handouts by",
                    path=shown,
                    line=1,
                    hint=did_you_mean(column, rows[0][1]) or f"columns: {', '.join(rows[0][1])}",
                )
            ]
        )
    requests, used = [], set()
    for number, (line, cells) in enumerate(rows, 1):
        values = {key: value or None for key, value in cells.items() if key != column}
        data = apply_overrides(
            apply_overrides(base, values, shown, line), flags, COMMAND_LINE, None
        )
        name = safe_name(cells.get(column, "") if column else "", f"{default_name}-{number:03d}")
        unique, suffix = name, 2
        while unique in used:
            unique, suffix = f"{name}-{suffix}", suffix + 1
        used.add(unique)
        requests.append((data, unique, folder / f"{unique}.pdf"))
    if not rows:
        errors.append(ContentError("the CSV file has no rows", path=shown, line=2))
    return requests
