"""A team's composer under load: many facilitators at once against one server.

Not part of the test suite: run it by hand (it takes a few minutes on 2 cores).

    .venv/bin/python benchmarks/serve_load.py                 # 20 facilitators
    .venv/bin/python benchmarks/serve_load.py --facilitators 1  # a quiet run

It starts the real command (`dnaoc-print serve --workers 2`, waitress, on
127.0.0.1 only) on a copy of the shipped project. Each simulated facilitator makes
10 different changes to a form of their own, one after another as the composer's
script sends them (the 300 ms pause after typing, then the whole form to
/api/preview, the next change once the answer is in), then downloads the PDF. A
503 answer (every worker busy, the queue full) is asked again after its
Retry-After, as the page does; a change's figure is the time from its first
sending to its page, waits included: what the facilitator waits.

It checks every downloaded PDF carries its own facilitator's title and name and
nothing of anyone else's, counts answers other than 200 and 503 as errors, and
samples the memory of the server and its workers (resident set, from /proc) to
show it is flat across the run. Bounded: at most --facilitators x --changes
previews, and it stops at --time-limit seconds. Exit status 1 if any PDF is wrong
or any error was seen.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FOLDERS = ("content", "layouts", "fonts", "brands")
DEBOUNCE_SECONDS = 0.3
STORIES = ("touch", "stay", "just-five-minutes-more", "critical-care")
QUESTIONS = ("compassion:1", "compassion:2", "compassion:6", "compassion:10")


@dataclass
class Tally:
    """What every facilitator saw, gathered from their threads."""

    waits: list[float] = field(default_factory=list)
    busy: int = 0
    errors: list[str] = field(default_factory=list)
    wrong_pdfs: list[str] = field(default_factory=list)
    downloads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def form_of(person: int, change: int) -> list[tuple[str, str]]:
    """Facilitator ``person``'s form after ``change`` changes: each one different."""
    stories = STORIES[: 1 + change % len(STORIES)]
    questions = QUESTIONS[: change % 3]
    return [
        ("title", f"Session of facilitator {person:02d}"),
        ("facilitator", f"Facilitator {person:02d}"),
        ("venue", f"Room {change + 1}, site {person:02d}"),
        ("date", "2026-12-01"),
        ("time", "14:00 to 15:30"),
        ("guide", "compassion"),
        *(("story", story) for story in stories),
        *(("question", question) for question in questions),
        ("warning", "standard"),
        ("notes", "lines"),
        ("layout", "cards"),
        ("paper", "a4"),
        ("orientation", "portrait"),
        ("brand", "dna-of-care"),
    ]


def post(url: str, form: list[tuple[str, str]]) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode(form).encode()
    try:
        with urllib.request.urlopen(url, data=body, timeout=180) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, dict(refused.headers), refused.read()


def until_answered(url: str, form, tally: Tally, deadline: float) -> tuple[int, bytes]:
    """Ask until the answer is not "busy" (as the page does), counting the 503s."""
    while True:
        status, headers, body = post(url, form)
        if status != 503 or time.monotonic() > deadline:
            return status, body
        with tally.lock:
            tally.busy += 1
        time.sleep(float(headers.get("Retry-After", "2")))


def facilitator(address: str, person: int, changes: int, tally: Tally, deadline: float) -> None:
    for change in range(changes):
        if time.monotonic() > deadline:
            return
        time.sleep(DEBOUNCE_SECONDS)
        started = time.monotonic()
        status, body = until_answered(
            address + "/api/preview", form_of(person, change), tally, deadline
        )
        waited = time.monotonic() - started
        state = json.loads(body).get("state") if status == 200 else None
        with tally.lock:
            if status == 200 and state == "fits":
                tally.waits.append(waited)
            else:
                tally.errors.append(f"facilitator {person}, change {change}: {status} {state}")
    form = form_of(person, changes - 1)
    status, pdf = until_answered(address + "/handout.pdf", form, tally, deadline)
    problem = check_pdf(pdf, person) if status == 200 else f"download answered {status}"
    with tally.lock:
        tally.downloads += 1
        if problem:
            tally.wrong_pdfs.append(f"facilitator {person}: {problem}")


def check_pdf(pdf: bytes, person: int) -> str | None:
    """Whether a PDF is this facilitator's: their title and name, nobody else's."""
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    text = " ".join(text.split())
    if f"Session of facilitator {person:02d}" not in text:
        return "its own title is missing"
    if f"Facilitator {person:02d}" not in text:
        return "its own facilitator is missing"
    others = [n for n in range(100) if n != person and f"facilitator {n:02d}" in text.lower()]
    return f"it names facilitator(s) {others}" if others else None


def resident_kib(pid: int) -> int:
    """The resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def sample_memory(pid: int, samples: list[int], stop: threading.Event) -> None:
    while not stop.wait(0.5):
        samples.append(resident_kib(pid))


def start_server(project: Path, workers: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "dnaoc_print", "serve", "--port", "0"]
    command += ["--workers", str(workers), "-C", str(project)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    first_line = process.stdout.readline()
    if not first_line.startswith("Serving on http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"serve did not start: {first_line}")
    return process, first_line.split()[2].rstrip("/")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(tally: Tally, memory: list[int], seconds: float, people: int, changes: int) -> None:
    waits = tally.waits
    print(f"{people} facilitators x {changes} changes + 1 download each, in {seconds:.0f} s")
    if waits:
        print(
            f"preview wait: p50 {statistics.median(waits):.2f} s, "
            f"p95 {percentile(waits, 0.95):.2f} s, max {max(waits):.2f} s "
            f"({len(waits)} previews)"
        )
    print(f"503 (busy, asked again): {tally.busy}")
    print(f"errors other than 503: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    print(f"downloads: {tally.downloads}, wrong PDFs: {len(tally.wrong_pdfs)}")
    for wrong in tally.wrong_pdfs[:10]:
        print(f"  {wrong}")
    if len(memory) >= 8:
        quarter = len(memory) // 4
        first = statistics.mean(memory[:quarter]) / 1024
        last = statistics.mean(memory[-quarter:]) / 1024
        print(
            f"memory (server and workers): first quarter {first:.0f} MB, last quarter "
            f"{last:.0f} MB, peak {max(memory) / 1024:.0f} MB"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilitators", type=int, default=20, choices=range(1, 51))
    parser.add_argument("--changes", type=int, default=10, choices=range(1, 51))
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 9))
    parser.add_argument("--time-limit", type=float, default=900)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        for name in PROJECT_FOLDERS:
            shutil.copytree(ROOT / name, project / name)
        process, address = start_server(project, options.workers)
        memory: list[int] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(process.pid, memory, stop))
        tally = Tally()
        started = time.monotonic()
        deadline = started + options.time_limit
        try:
            sampler.start()
            people = [
                threading.Thread(
                    target=facilitator, args=(address, n, options.changes, tally, deadline)
                )
                for n in range(options.facilitators)
            ]
            for person in people:
                person.start()
            for person in people:
                person.join()
        finally:
            stop.set()
            sampler.join()
            process.terminate()
            process.wait(timeout=30)
        report(tally, memory, time.monotonic() - started, options.facilitators, options.changes)
    return 1 if tally.errors or tally.wrong_pdfs else 0


if __name__ == "__main__":
    sys.exit(main())
