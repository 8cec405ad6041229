"""Same inputs, same bytes: with or without SOURCE_DATE_EPOCH, with either font
subsetter, on every build; and the epoch reaches the workers that typeset."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from dnaoc_print.build.brand_set import Brands
from dnaoc_print.build.engine import build
from dnaoc_print.build.handout_typesetting import typeset_handouts
from dnaoc_print.build.planning import handout_job
from dnaoc_print.build.work import HandoutBatch
from dnaoc_print.build.workers import Pool
from dnaoc_print.content.loading import load_project
from dnaoc_print.typeset.weasyprint_adapter import SUBSETTERS, available_subsetters, subsetter

from conftest import keep_only
from pdf_inspect import PdfFacts

# fontTools counts font timestamps from 1904, Unix from 1970.
FONT_EPOCH_OFFSET = 2082844800


def font_stamps(pdf: bytes) -> set[int]:
    """The ``head.modified`` stamp of every font program embedded in a PDF."""
    stamps = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.resources.get("/Font", {}).values():
                for part in [font, *font.get("/DescendantFonts", [])]:
                    descriptor = part.get("/FontDescriptor")
                    if descriptor is None:
                        continue
                    for key in ("/FontFile2", "/FontFile3"):
                        if key in descriptor:
                            font_program = TTFont(io.BytesIO(descriptor[key].read_bytes()))
                            stamps.add(font_program["head"].modified)
    return stamps


@pytest.fixture
def one_guide(project_dir: Path) -> Path:
    """The project with one guide and one handout, so builds stay quick."""
    return keep_only(project_dir, ("compassion",), ("compassion",))


def copies_of_a_handout(root: Path, count: int) -> None:
    """More handouts of one document: how they are batched must not change bytes."""
    spec = root / "content/handouts/compassion.yaml"
    for number in range(2, count + 1):
        text = spec.read_text().replace("title: Compassion", f"title: Compassion {number}")
        (root / f"content/handouts/compassion-{number}.yaml").write_text(text)


def typeset_in_a_fresh_process(item: tuple[str, HandoutBatch, Path]) -> bytes:
    """Typeset a handout with this subsetter, as a worker does, with no epoch set:
    the process is new, so every font is decoded afresh."""
    name, batch, root = item
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    with subsetter(name):
        [pdf], _ = typeset_handouts(batch, [root])
    return pdf


@pytest.mark.parametrize("name", SUBSETTERS)
def test_each_font_subsetter_gives_the_same_bytes_a_second_later(
    one_guide: Path, name: str
) -> None:
    if name not in available_subsetters():
        pytest.skip(
            f"{name} subsetting is not available here: install libharfbuzz-subset0 "
            "(Debian, Ubuntu) to test it"
        )
    project = load_project(one_guide)
    [handout] = project.handouts
    job = handout_job(handout, Brands(project), None, one_guide / "out.pdf").make()
    item = (name, HandoutBatch(job.sheet.document, (job,)), project.root)
    pdfs = []
    for attempt in range(2):
        if attempt:
            time.sleep(1.1)  # font stamps count whole seconds
        with Pool(typeset_in_a_fresh_process, 1, time_limit=120) as pool:
            pool.submit(item)
            [(_, pdf)] = list(pool.results())
        assert isinstance(pdf, bytes), pdf
        pdfs.append(pdf)
    assert font_stamps(pdfs[0]) == {FONT_EPOCH_OFFSET}
    assert pdfs[0] == pdfs[1]


def test_two_forced_builds_a_second_apart_are_byte_identical(
    one_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    copies_of_a_handout(one_guide, 4)
    outputs = []
    for attempt in range(2):
        if attempt:
            time.sleep(1.1)
        # Serial first, then in parallel.
        report = build(one_guide, force=True, workers=1 + attempt)
        assert len(report.built) == 5, [o.error for o in report.failed]
        outputs.append({p.name: p.read_bytes() for p in (one_guide / "build").rglob("*.pdf")})
    assert outputs[0] == outputs[1]
    assert font_stamps(outputs[0]["compassion.pdf"]) == {FONT_EPOCH_OFFSET}
    # The handouts were typeset as one batch, written without a file identifier (only
    # to be split): each part is a file of its own, with its own identifier.
    identifiers = [
        file_identifier(path.read_bytes())
        for path in sorted((one_guide / "build/handouts").glob("*.pdf"))
    ]
    assert len(identifiers) == 4
    assert len({first for first, _ in identifiers}) == 4
    assert all(len(first) >= 16 and len(second) >= 16 for first, second in identifiers)


def file_identifier(pdf: bytes) -> tuple[bytes, ...]:
    """The two strings of a PDF's file identifier (ISO 32000-1, 14.4)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return tuple(bytes(part) for part in document.trailer.ID)


def test_changing_the_epoch_between_builds_changes_the_dates(
    one_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers come from a fork server started earlier, with the environment it
    had then: the epoch must reach them with the job, not through the environment."""
    seen = []
    for epoch, date in (("1764000000", "D:20251124160000Z"), ("1767225600", "D:20260101000000Z")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        report = build(one_guide, force=True, workers=1)
        assert not report.failed, [o.error for o in report.failed]
        pdf = one_guide / "build/guides/compassion.pdf"
        assert PdfFacts.open(pdf).metadata["/CreationDate"] == date
        assert font_stamps(pdf.read_bytes()) == {int(epoch) + FONT_EPOCH_OFFSET}
        seen.append(pdf.read_bytes())
    assert seen[0] != seen[1]
