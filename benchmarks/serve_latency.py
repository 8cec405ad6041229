"""How long `dnaoc-print serve` takes to show the page after a change to the form.

Not part of the test suite: run it by hand on a quiet machine.

    .venv/bin/python benchmarks/serve_latency.py [--changes 20]

It starts the real command on a copy of the shipped project, as a facilitator does,
and asks for the preview of a typical handout (the Compassion example: four
stories, four questions, notes, the standard content warning, A4) the way the
composer's script does: one POST to /api/preview with the whole form. Each change
alters the title, so nothing comes from the cache. A change's figure is the time
from sending the form to having the answer: the check, the typesetting in one of the
build's worker processes (workers.py; fit steps included), the page rendered to PNG,
and the answer sent. "First preview" is the first after serve gives its address. The browser's
300 ms debounce comes before it and is not counted.

It also asks for /api/version while a preview is being typeset, to show that the
server stays responsive (typesetting is in worker processes, not the request thread).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FOLDERS = ("content", "layouts", "fonts", "brands")
TYPICAL = [
    ("guide", "compassion"),
    ("date", "2026-12-01"),
    ("time", "14:00 to 15:30"),
    ("venue", "Seminar room 2, Education Centre"),
    ("facilitator", "Sam Jones"),
    ("story", "touch"),
    ("story", "stay"),
    ("story", "just-five-minutes-more"),
    ("story", "critical-care"),
    ("question", "compassion:1"),
    ("question", "compassion:2"),
    ("question", "compassion:6"),
    ("question", "compassion:10"),
    ("warning", "standard"),
    ("notes", "lines"),
    ("layout", "cards"),
    ("paper", "a4"),
    ("orientation", "portrait"),
    ("brand", "dna-of-care"),
]


def post(address: str, form: list[tuple[str, str]]) -> tuple[float, dict]:
    import json

    body = urllib.parse.urlencode(form).encode()
    started = time.perf_counter()
    with urllib.request.urlopen(address + "/api/preview", data=body, timeout=120) as response:
        answer = json.loads(response.read())
    return time.perf_counter() - started, answer


def get_seconds(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="changes to time")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        for folder in PROJECT_FOLDERS:
            shutil.copytree(ROOT / folder, project / folder)
        server = subprocess.Popen(
            [sys.executable, "-m", "dnaoc_print", "serve", "--port", "0", "-C", str(project)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            address = server.stdout.readline().split()[2].rstrip("/")
            # The first preview starts the workers and loads the fonts: timed apart.
            first, answer = post(address, [("title", "Warm up"), *TYPICAL])
            assert answer["state"] == "fits", answer
            seconds = []
            for number in range(arguments.changes):
                elapsed, answer = post(address, [("title", f"Session {number}"), *TYPICAL])
                assert answer["state"] == "fits", answer
                seconds.append(elapsed)

            # Responsiveness: /api/version while a preview is being typeset.
            during = []
            busy = threading.Thread(target=post, args=(address, [("title", "Busy"), *TYPICAL]))
            busy.start()
            time.sleep(0.05)
            while busy.is_alive():
                during.append(get_seconds(address + "/api/version"))
            busy.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    seconds.sort()
    print(f"preview after a change, typical handout ({arguments.changes} changes, 2 workers):")
    print(f"  median  {statistics.median(seconds) * 1000:6.0f} ms   (target: under 1000 ms)")
    print(f"  90th    {seconds[int(len(seconds) * 0.9) - 1] * 1000:6.0f} ms")
    print(f"  slowest {seconds[-1] * 1000:6.0f} ms")
    print(f"  first preview after serve gives its address: {first * 1000:.0f} ms")
    if during:
        print(
            f"/api/version while a preview typesets: {len(during)} answers, "
            f"slowest {max(during) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
