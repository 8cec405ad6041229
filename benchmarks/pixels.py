"""Fingerprint the pixels of every shipped guide and handout, to prove a change to the
handout path prints exactly what it printed before.

    # record the reference from another revision's source (say, main), then compare:
    git archive main src | tar -x -C /tmp/main-src
    .venv/bin/python benchmarks/pixels.py /tmp/before.json --src /tmp/main-src/src
    .venv/bin/python benchmarks/pixels.py /tmp/after.json --compare /tmp/before.json

Each PDF is made with the CLI (`build --large-print`: every guide and handout, and each
in large print; then every shipped spec again as it is, on A5, on Letter, in landscape, as
a question sheet with a box for notes, with no notes and with campaign parameters on its
addresses; a few handouts from flags alone; the shipped CSV; 60 rows of the benchmark's
CSV), every page rendered at 100 dpi with pdfium, and the SHA-256 of its
pixels recorded. Not part of the tests: it makes about 120 PDFs. The project's files
(layouts/, content/) are this checkout's: to compare a change to a layout, record the
reference before making it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import copy_project, sessions_csv  # noqa: E402

VARIANTS = {
    "a5": ["--paper", "a5"],
    "letter": ["--paper", "letter"],
    "landscape": ["--orientation", "landscape"],
    "questions-box": ["--layout", "questions", "--notes", "box"],
    "no-notes": ["--notes", "none"],
    # Longer addresses: each breaks over two lines beside its code.
    "link-params": ["--link-params", "utm_source=handout&utm_medium=print"],
}
# Handouts no shipped spec makes: few stories on small paper (the widest code beside the
# narrowest words), and a single story in landscape.
FROM_FLAGS = {
    "a5-one-story": ["--story", "touch", "--paper", "a5"],
    "a5-two-stories": ["--story", "touch,stay", "--paper", "a5"],
    "half-letter-three-stories": ["--story", "touch,stay,critical-care", "--paper", "half-letter"],
    "landscape-single": ["--story", "stay", "--layout", "single", "--orientation", "landscape"],
    "letter-six-stories": [
        "--story",
        "touch,stay,critical-care,what-do-you-see,dis-integration,floristry-perhaps",
        "--paper",
        "letter",
    ],
}
SESSION = ["--title", "Session", "--date", "2026-12-01", "--question", "compassion:1,compassion:2"]


def make_handouts(project: Path, out: Path, src: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "0"}

    def cli(*arguments: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "dnaoc_print", *arguments],
            cwd=project,
            env=environment,
            check=False,  # a spec that cannot take a variant fails alone
            capture_output=True,
        )

    # Every shipped guide and handout, as `build` makes them, and in large print.
    cli("build", "--large-print", "--no-slides")
    shutil.copytree(project / "build", out / "build")
    specs = sorted((project / "content/handouts").glob("*.yaml"))
    for spec in specs:
        cli("handout", str(spec), "-o", str(out / "shipped" / f"{spec.stem}.pdf"))
        for name, flags in VARIANTS.items():
            cli("handout", str(spec), *flags, "-o", str(out / name / f"{spec.stem}.pdf"))
    for name, flags in FROM_FLAGS.items():
        cli("handout", *SESSION, *flags, "-o", str(out / "flags" / f"{name}.pdf"))
    compassion = str(project / "content/handouts/compassion.yaml")
    shipped_csv = project / "content/handouts/sessions-example.csv"
    cli("handout", compassion, "--from", str(shipped_csv), "-o", str(out / "shipped-csv"))
    sessions_csv(project / "sessions.csv", 60)
    cli("handout", compassion, "--from", str(project / "sessions.csv"), "-o", str(out / "csv"))


def fingerprints(out: Path) -> dict[str, list[str]]:
    import pypdfium2

    prints = {}
    for pdf_path in sorted(out.rglob("*.pdf")):
        document = pypdfium2.PdfDocument(pdf_path)
        pages = []
        for page in document:
            bitmap = page.render(scale=100 / 72)
            pages.append(hashlib.sha256(bytes(bitmap.buffer)).hexdigest())
        prints[pdf_path.relative_to(out).as_posix()] = pages
        document.close()
    return prints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", type=Path, help="where to write the fingerprints (JSON)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source to run")
    parser.add_argument("--compare", type=Path, help="fingerprints to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        make_handouts(project, scratch / "out", args.src.resolve())
        prints = fingerprints(scratch / "out")
    args.record.write_text(json.dumps(prints, indent=1))
    print(f"{len(prints)} PDFs, {sum(map(len, prints.values()))} pages -> {args.record}")
    if args.compare:
        before = json.loads(args.compare.read_text())
        changed = sorted(k for k in before.keys() | prints.keys() if before.get(k) != prints.get(k))
        for name in changed:
            print(f"  differs: {name}")
        print("pixel-identical" if not changed else f"{len(changed)} PDFs differ")
        sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
