"""Make every picture the documentation uses (docs/images/), from the project itself.

    .venv/bin/python scripts/docs_pictures.py

Works on a copy of the project in a temporary folder: makes a handout or two and the
guides with the real command, renders their pages with pypdfium2, starts the composer
(`dnaoc-print serve`) and photographs it in Debian's chromium, driven by Playwright
(never a browser Playwright downloads), in British English (Debian's chromium-l10n).
Each PNG is reduced to a small palette so the repository stays small. Run it after
changing the layouts, a brand or the composer; look at the pictures; commit them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PROJECT_FOLDERS = ("content", "layouts", "brands", "fonts")
CHROMIUM = "/usr/bin/chromium"
# In British English, so the form shows a date day first (01/12/2026), as a facilitator
# in the UK sees it; chromium needs its language pack for that (Debian: chromium-l10n).
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=en-GB"]
BRITISH_PACK = Path("/usr/lib/chromium/locales/en-GB.pak")
# Pixels a PDF point is drawn at: a page of A4 about 500 pixels wide.
PAGE_SCALE = 0.85
WAIT_MS = 60_000
# A name in place of the example handouts' placeholder, so no picture shows brackets.
FACILITATOR = "Sam Jones"
# The handouts photographed: an output name, and the `handout` command's arguments.
HANDOUTS = {
    "handout": ["content/handouts/compassion.yaml"],
    "handout-example-trust": ["content/handouts/compassion.yaml", "--brand", "example-trust"],
    "session-a5": [
        "--story", "touch", "--story", "stay", "--question", "compassion:1",
        "--question", "compassion:3", "--title", "Compassion in our team",
        "--date", "2026-12-01", "--time", "14:00 to 15:30", "--venue", "Seminar room 2",
        "--paper", "a5", "--two-up",
    ],
}  # fmt: skip


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docs-pictures-") as folder:
        project = copy_project(Path(folder) / "project")
        out = Path(folder) / "out"
        page_pictures(project, out)
        composer_pictures(project)
    front_page_picture()
    for path in sorted(IMAGES.glob("*.png")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


def copy_project(destination: Path) -> Path:
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


def dnaoc_print(project: Path, *arguments: str) -> None:
    command = [sys.executable, "-m", "dnaoc_print", "-C", str(project), *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed:\n{result.stderr}")


def page_pictures(project: Path, out: Path) -> None:
    """A guide's story page, handouts as they print, a two-up sheet, a brand specimen."""
    for name, arguments in HANDOUTS.items():
        dnaoc_print(
            project, "handout", *arguments, "--facilitator", FACILITATOR, "-o", str(out / name)
        )
    save_page(out / "handout.pdf", 0, "handout")
    save_page(out / "handout-example-trust.pdf", 0, "handout-example-trust")
    save_page(out / "session-a5-two-up.pdf", 0, "handout-two-up", scale=0.6)
    dnaoc_print(project, "build", "-o", str(out / "build"), "-q")
    guide = out / "build" / "guides" / "compassion.pdf"
    save_page(guide, story_page(guide), "guide-page")
    dnaoc_print(project, "brand", "show", "example-trust", "-o", str(out / "specimen.pdf"))
    save_page(out / "specimen.pdf", 0, "brand-specimen")


def story_page(pdf_path: Path) -> int:
    """The first page holding two stories' printed addresses: the guide's story cards."""
    pdf = pypdfium2.PdfDocument(pdf_path)
    for number in range(len(pdf)):
        if pdf[number].get_textpage().get_text_range().count("patientvoices.org.uk/flv/") >= 2:
            return number
    sys.exit(f"{pdf_path.name}: no page holds a story's address")


def save_page(pdf_path: Path, number: int, name: str, scale=PAGE_SCALE) -> None:
    page = pypdfium2.PdfDocument(pdf_path)[number]
    save_png(page.render(scale=scale).to_pil(), name)


def save_png(image: Image.Image, name: str) -> None:
    """A palette PNG: text and QR codes stay sharp, the file stays small."""
    small = image.convert("RGB").quantize(colors=96, method=Image.Quantize.MEDIANCUT)
    small.save(IMAGES / f"{name}.png", optimize=True)


def composer_pictures(project: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    if not BRITISH_PACK.exists():
        sys.exit(
            "chromium has no British English language pack, so the form would show dates "
            "month first: install it with: sudo apt-get install chromium-l10n"
        )
    expect.set_options(timeout=WAIT_MS)
    server = subprocess.Popen(
        [sys.executable, "-m", "dnaoc_print", "serve", "--port", "0", "-C", str(project)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = server.stdout.readline()
        if not first_line.startswith("Serving on "):
            sys.exit(f"serve did not start: {first_line}")
        address = first_line.split()[2].rstrip("/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=BROWSER_ARGS,
                env={**os.environ, "LANG": "en_GB.UTF-8", "LANGUAGE": "en_GB"},
            )
            context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(WAIT_MS)
            photograph_composer(page, address)
            photograph_pages_view(page, address)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)


def photograph_composer(page, address: str) -> None:
    """The composer at each step of docs/facilitators/make-a-handout.md, then whole."""
    from playwright.sync_api import expect

    page.goto(address + "/")
    page.get_by_label("Guide", exact=True).select_option("compassion")
    shoot(page.locator("section[aria-labelledby=step-guide]"), "composer-guide")
    page.get_by_label("Touch", exact=True).check()
    page.get_by_label("Critical care", exact=True).check()
    shoot(page.locator("section[aria-labelledby=step-stories]"), "composer-stories")
    for number in (1, 3):
        page.locator(f"#question-compassion-{number}").check()
    shoot(page.locator("section[aria-labelledby=step-questions]"), "composer-questions")
    page.get_by_label("Title", exact=True).fill("Compassion in our team")
    page.get_by_label("Date", exact=True).fill("2026-12-01")
    page.get_by_label("Time", exact=True).fill("14:00 to 15:30")
    page.get_by_label("Venue", exact=True).fill("Seminar room 2")
    page.get_by_label("Facilitator", exact=True).fill(FACILITATOR)
    shoot(page.locator("section[aria-labelledby=step-session]"), "composer-session")
    expect(page.locator("#fit-state")).to_contain_text("Fits on one page.")
    expect(page.get_by_alt_text("The handout's page, as it will print")).to_be_visible()
    page.wait_for_timeout(500)
    shoot(page.locator("section[aria-labelledby=step-page]"), "composer-page")
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    save_png(Image.open(screenshot_file(page.screenshot())), "composer")


def photograph_pages_view(page, address: str) -> None:
    page.goto(address + "/pages/guide/compassion")
    page.locator("img").first.wait_for()
    page.wait_for_load_state("networkidle")
    save_png(Image.open(screenshot_file(page.screenshot())), "composer-pages")


def shoot(locator, name: str) -> None:
    # No focus ring on the field filled last: the picture shows the form at rest.
    locator.page.evaluate("document.activeElement && document.activeElement.blur()")
    locator.scroll_into_view_if_needed()
    save_png(Image.open(screenshot_file(locator.screenshot())), name)


def screenshot_file(png: bytes):
    import io

    return io.BytesIO(png)


def front_page_picture() -> None:
    """The docs' front page: a guide page, a handout and the composer side by side."""
    parts = [Image.open(IMAGES / f"{name}.png").convert("RGB") for name in
             ("guide-page", "handout", "composer")]  # fmt: skip
    height = 420
    scaled = [part.resize((part.width * height // part.height, height)) for part in parts]
    gap = 24
    width = sum(part.width for part in scaled) + gap * (len(scaled) - 1)
    sheet = Image.new("RGB", (width, height), "white")
    left = 0
    for part in scaled:
        sheet.paste(part, (left, 0))
        left += part.width + gap
    save_png(sheet, "three-outputs")


if __name__ == "__main__":
    main()
