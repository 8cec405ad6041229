"""`dnaoc-print serve` in a real browser: Debian's chromium, driven by Playwright.

One server (the real command, on a free port) and one browser for the whole module,
on a copy of the project. Without chromium these tests skip, saying how to install
it; in CI (CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dnaoc_print.content.loading import load_project

from conftest import copy_project
from pdf_inspect import PdfFacts, plain

INSTALL_HINT = "install Debian's browser with: sudo apt-get install chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Typesetting the first handout starts the workers; later ones take well under a second.
PREVIEW_WAIT_MS = 30_000


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests; {INSTALL_HINT}")
    pytest.skip(f"{reason}; {INSTALL_HINT}")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _missing("no chromium on this machine")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """`dnaoc-print serve --port 0` on a copy of the project; yields (address, project)."""
    root = copy_project(tmp_path_factory.mktemp("served") / "project")
    log_path = root.parent / "server.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "dnaoc_print", "serve", "--port", "0", "-C", str(root)],
        stdout=subprocess.PIPE,
        stderr=log,  # a file, never a pipe nobody reads (a full pipe stops the server)
        text=True,
    )
    first_line = process.stdout.readline()
    if not first_line.startswith("Serving on "):
        process.kill()
        pytest.fail(f"serve did not start: {first_line}{log_path.read_text()}")
    address = first_line.split()[2].rstrip("/")
    yield address, root
    process.terminate()
    process.wait(timeout=30)
    process.stdout.close()
    log.close()


@pytest.fixture
def page(browser, server):
    from playwright.sync_api import expect

    # A page may wait for a guide to be typeset: on a busy machine, seconds.
    expect.set_options(timeout=PREVIEW_WAIT_MS)
    context = browser.new_context(
        accept_downloads=True, locale="en-GB", viewport={"width": 1280, "height": 1000}
    )
    page = context.new_page()
    page.set_default_timeout(PREVIEW_WAIT_MS)
    page.goto(server[0] + "/")
    yield page
    context.close()


def expect_state(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#fit-state")).to_contain_text(text, timeout=PREVIEW_WAIT_MS)


def fill_session(page) -> None:
    page.get_by_label("Guide", exact=True).select_option("compassion")
    page.get_by_label("Title", exact=True).fill("Compassion in our team")
    page.get_by_label("Date", exact=True).fill("2026-12-01")
    page.get_by_label("Time", exact=True).fill("14:00 to 15:30")
    page.get_by_label("Venue", exact=True).fill("Seminar room 2")
    page.get_by_label("Facilitator", exact=True).fill("Sam Jones")


def test_a_facilitator_makes_downloads_and_saves_a_handout(page, server, tmp_path) -> None:
    from playwright.sync_api import expect

    address, root = server
    fill_session(page)
    page.get_by_label("Touch", exact=True).check()
    page.get_by_label("Critical care", exact=True).check()
    question = "How does compassion between colleagues affect the care patients receive?"
    page.get_by_label(question, exact=True).check()
    expect_state(page, "Fits on one page.")
    expect(page.get_by_alt_text("The handout's page, as it will print")).to_be_visible()

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    pdf_path = tmp_path / "downloaded.pdf"
    downloading.value.save_as(pdf_path)
    pdf = PdfFacts.open(pdf_path)
    assert pdf.page_count == 1
    text = " ".join(pdf.text().split())
    for words in ("Compassion in our team", "Touch", "Critical care", question, "Sam Jones"):
        assert words in text, words
    stories = load_project(root).stories
    decoded = sorted(url for found in pdf.decoded_qr_codes(dpi=150) for url in found)
    assert decoded == sorted([stories["touch"].url, stories["critical-care"].url])

    with page.expect_download() as saving:
        page.get_by_role("button", name="Save these choices").click()
    spec = tmp_path / saving.value.suggested_filename
    saving.value.save_as(spec)
    assert spec.name == "compassion-in-our-team.yaml"
    made = tmp_path / "from-the-cli.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "dnaoc_print", "handout", str(spec), "-o", str(made)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert made.read_bytes() == pdf_path.read_bytes()


def test_the_form_can_be_completed_by_keyboard_alone(page, tmp_path) -> None:
    from playwright.sync_api import expect

    def tab_to(selector: str) -> None:
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === document.querySelector('{selector}')"):
                return
        raise AssertionError(f"Tab never reaches {selector}")

    tab_to("#guide")
    page.keyboard.press("ArrowDown")  # the first guide in the list
    tab_to("#story-stay")
    page.keyboard.press("Space")
    tab_to("#title")
    page.keyboard.type("Ward huddle")
    tab_to("#date")
    page.keyboard.type("01122026")  # day, month, year in the en-GB order
    if page.get_by_label("Date", exact=True).input_value() == "2026-01-12":
        # This chromium ignores the page's locale and takes month first.
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type("12012026")
    tab_to("#venue")
    page.keyboard.type("Ward 7")
    expect_state(page, "Fits on one page.")
    assert page.get_by_label("Date", exact=True).input_value() == "2026-12-01"
    tab_to("#download")
    # Leaving the last field may ask for the page again: Download waits for the answer.
    download = page.get_by_role("button", name="Download PDF")
    expect(download).not_to_have_attribute("aria-disabled", "true", timeout=PREVIEW_WAIT_MS)
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    downloading.value.save_as(tmp_path / "huddle.pdf")
    assert "Ward huddle" in PdfFacts.open(tmp_path / "huddle.pdf").text()


def test_the_page_shown_is_always_the_newest(page, server) -> None:
    import json

    from playwright.sync_api import expect

    fill_session(page)
    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    # Changes quicker than a page is typeset: answers to older ones must not win.
    for draft in range(1, 5):
        page.get_by_label("Title", exact=True).fill(f"Draft {draft}")
        page.wait_for_timeout(350)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#page-frame")).to_have_attribute("aria-busy", "false")
    expect_state(page, "Fits on one page.")
    form = page.evaluate(
        "new URLSearchParams(new FormData(document.getElementById('composer'))).toString()"
    )
    assert "title=Draft+4" in form
    answer = page.request.post(
        server[0] + "/api/preview",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    shown = page.get_by_alt_text("The handout's page, as it will print").get_attribute("src")
    assert shown == json.loads(answer.body())["image"]


def test_an_overlong_handout_says_too_long_and_is_not_downloaded(page) -> None:
    from playwright.sync_api import expect

    fill_session(page)
    page.get_by_label("Stay", exact=True).check()
    page.get_by_label("Layout", exact=True).select_option("questions")
    page.get_by_label("Paper", exact=True).select_option("a5")
    long = "What would you say to a colleague who " + "felt unheard and tired and alone " * 6
    page.get_by_label("Your own questions").fill("\n".join(f"{long}? ({n})" for n in range(8)))
    expect_state(page, "Too long by")
    expect(page.locator("#fit-state")).to_contain_text("mm: remove a story or a question.")
    # The page is still shown, and what runs past its end is shown after it, marked.
    expect(page.get_by_alt_text("The handout's page, as it will print")).to_be_visible()
    expect(page.locator("#overflow-label")).to_have_text(
        "Past the end of the page: this part would not print."
    )
    expect(page.get_by_alt_text("What runs past the end of the page").first).to_be_visible()
    # What to change, in the form's words.
    detail = page.locator("#fit-detail")
    for words in ("Room for notes: None", "Paper: A4"):
        expect(detail).to_contain_text(words)
    expect(detail).not_to_contain_text("paper: a4")
    download = page.get_by_role("button", name="Download PDF")
    expect(download).to_have_attribute("aria-disabled", "true")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    download.click(force=True)  # as a person can: it is not a disabled control
    page.wait_for_timeout(500)
    assert downloads == []
    expect(page.locator("#fit-state")).to_be_focused()


def test_a_saved_spec_loads_back_into_the_form(page, server) -> None:
    from playwright.sync_api import expect

    _, root = server
    load_spec(page, root / "content/handouts/compassion.yaml")
    expect(page.locator("#loaded-file")).to_have_text(
        "Opened your saved choices from “compassion.yaml”."
    )
    expect(page.get_by_label("Title", exact=True)).to_have_value("Compassion")
    expect(page.get_by_label("Touch", exact=True)).to_be_checked()
    expect_state(page, "Fits on one page.")


def test_requests_from_another_site_are_refused(server) -> None:
    address, _ = server
    attempts = [
        {"Origin": "http://evil.example"},
        {"Host": "evil.example"},
    ]
    for headers in attempts:
        request = urllib.request.Request(
            address + "/spec.yaml", data=b"title=x", headers=headers, method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403, headers
        refused.value.close()


def test_several_tabs_at_once_each_get_their_own_page(server) -> None:
    import json
    import threading
    import urllib.parse

    address, _ = server
    form = [("story", "touch"), ("layout", "cards"), ("paper", "a4"), ("warning", "none")]
    answers: dict[int, dict] = {}

    def ask(number: int) -> None:
        body = urllib.parse.urlencode([("title", f"Tab {number}"), *form]).encode()
        with urllib.request.urlopen(address + "/api/preview", data=body, timeout=60) as reply:
            answers[number] = json.loads(reply.read())

    tabs = [threading.Thread(target=ask, args=(number,)) for number in range(4)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert sorted(answers) == [0, 1, 2, 3]
    assert all(answer["state"] == "fits" for answer in answers.values())
    assert len({answer["image"] for answer in answers.values()}) == 4


def test_a_guides_pages_change_after_its_markdown_is_edited(page, server) -> None:
    from playwright.sync_api import expect

    address, root = server
    page.goto(address + "/pages")
    page.get_by_role("list", name="Guides").get_by_role("link", name="Resilience").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resilience")
    captions = page.locator("figcaption")
    count = captions.count()
    assert count > 4
    expect(captions.first).to_have_text(f"Page 1 of {count}")
    cover = page.get_by_alt_text(f"Page 1 of {count} of Resilience")
    before = page.request.get(address + cover.get_attribute("src")).body()

    guide = root / "content/guides/resilience.md"
    original = guide.read_text()
    guide.write_text(original.replace("title: Resilience", "title: Resilience at work", 1))
    try:
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Resilience at work", timeout=PREVIEW_WAIT_MS
        )
        cover = page.get_by_alt_text(re_page_one())
        after = page.request.get(address + cover.get_attribute("src")).body()
        assert after.startswith(b"\x89PNG") and after != before
    finally:
        guide.write_text(original)


def re_page_one():
    import re

    return re.compile(r"^Page 1 of \d+ of Resilience at work$")


def test_a_broken_guide_stops_only_its_own_page(page, server, tmp_path) -> None:
    """Failure isolation: one guide's broken front matter is shown on its page, with
    file and line; other guides still render, and the composer still makes handouts."""
    import re

    from playwright.sync_api import expect

    address, root = server
    guide = root / "content/guides/improvement-and-change.md"
    original = guide.read_text()
    guide.write_text(original.replace("order: 4", "order: fourth", 1))
    try:
        page.goto(address + "/pages")
        guides = page.get_by_role("list", name="Guides")
        guides.get_by_role("link", name="improvement-and-change").click()
        problem = page.get_by_role("alert")
        expect(problem).to_contain_text("This guide cannot be made")
        expect(problem).to_contain_text("content/guides/improvement-and-change.md, line 3")
        expect(page.locator("figure")).to_have_count(0)

        page.goto(address + "/pages")
        page.get_by_role("list", name="Guides").get_by_role(
            "link", name="Compassion", exact=True
        ).click()
        cover = page.get_by_alt_text(re.compile(r"^Page 1 of \d+ of Compassion$"))
        expect(cover).to_be_visible()
        assert page.request.get(address + cover.get_attribute("src")).body().startswith(b"\x89PNG")

        page.goto(address + "/")
        expect(page.locator("#content-problems")).to_contain_text(
            "content/guides/improvement-and-change.md, line 3"
        )
        fill_session(page)
        page.get_by_label("Touch", exact=True).check()
        expect_state(page, "Fits on one page.")
        with page.expect_download() as downloading:
            page.get_by_role("button", name="Download PDF").click()
        downloading.value.save_as(tmp_path / "still-made.pdf")
        pdf = PdfFacts.open(tmp_path / "still-made.pdf")
        assert pdf.page_count == 1 and "Compassion in our team" in pdf.text()
    finally:
        guide.write_text(original)


def test_a_fresh_form_is_calm_until_a_field_is_touched(page) -> None:
    from playwright.sync_api import expect

    # Choosing a guide first: no error anywhere, only what to do next.
    page.get_by_label("Guide", exact=True).select_option("compassion")
    expect(page.get_by_label("Title", exact=True)).to_have_attribute(
        "placeholder", "Defaults to: Compassion"
    )
    expect_state(page, "Choose stories to see your handout.")
    expect(page.locator("#general-errors")).to_be_hidden()
    expect(page.locator(".error:visible")).to_have_count(0)
    assert "missing field" not in page.content()

    # A story ticked and unticked again: Stories is touched, its problem is beside it,
    # in the form's words.
    touch = page.get_by_label("Touch", exact=True)
    touch.check()
    expect_state(page, "Fits on one page.")
    touch.uncheck()
    stories_error = page.locator("#stories-error")
    expect(stories_error).to_contain_text("Choose 1 to 6 stories")
    expect(page.locator("#general-errors")).to_be_hidden()
    expect(page.locator("#title-error")).to_be_empty()

    # Asking to download shows every field's problem.
    page.get_by_label("Guide", exact=True).select_option("")
    page.get_by_role("button", name="Download PDF").focus()  # aria-disabled: not "enabled"
    page.keyboard.press("Enter")
    expect(page.locator("#title-error")).to_contain_text("Give the handout a title")
    assert "add 'title" not in page.locator("#title-error").inner_text()


def test_with_no_title_the_handout_takes_its_storys(page, tmp_path) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Touch", exact=True).check()
    expect(page.get_by_label("Title", exact=True)).to_have_attribute(
        "placeholder", "Defaults to: Touch"
    )
    expect_state(page, "Fits on one page.")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    assert downloading.value.suggested_filename == "touch.pdf"
    downloading.value.save_as(tmp_path / "touch.pdf")
    pdf = PdfFacts.open(tmp_path / "touch.pdf")
    assert pdf.page_count == 1 and "Touch" in pdf.text()


def test_your_own_warning_shows_only_when_chosen_by_keyboard_too(page) -> None:
    from playwright.sync_api import expect

    own_words = page.get_by_label("Your own warning", exact=True)
    expect(page.get_by_label("The standard warning, always")).not_to_be_checked()
    expect(own_words).to_be_hidden()
    page.get_by_label("The standard warning, always").check()
    expect(own_words).to_be_hidden()
    # By keyboard: the radio group moves with the arrow keys; then Tab reaches the box.
    page.get_by_label("The standard warning, always").focus()
    page.keyboard.press("ArrowDown")  # No warning
    expect(own_words).to_be_hidden()
    page.keyboard.press("ArrowDown")  # In my own words
    expect(page.get_by_label("A warning in my own words")).to_be_checked()
    expect(own_words).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "warning_text"
    page.keyboard.type("Some of these stories are about death.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowUp")  # No warning again
    expect(own_words).to_be_hidden()


def load_spec(page, spec: Path) -> None:
    page.get_by_label("File of saved choices").set_input_files(spec)
    page.get_by_role("button", name="Open saved choices").click()


def test_find_a_story_shows_only_the_stories_it_finds(page) -> None:
    from playwright.sync_api import expect

    stories = page.locator("#story-list li.story")
    total = stories.count()
    page.get_by_label("Find a story by title or theme").fill("nurse")
    found = [
        item.get_attribute("data-id")
        for item in stories.all()
        if "nurse" in item.get_attribute("data-search")
    ]
    assert 0 < len(found) < total
    expect(page.locator("#story-list li.story:visible")).to_have_count(len(found))
    for story_id in found:
        expect(page.locator(f'#story-list li[data-id="{story_id}"]')).to_be_visible()
    page.get_by_label("Find a story by title or theme").fill("")
    expect(page.locator("#story-list li.story:visible")).to_have_count(total)


def test_a_spec_naming_an_unknown_story_keeps_and_shows_the_known_ones(page, tmp_path) -> None:
    from playwright.sync_api import expect

    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    spec = tmp_path / "huddle.yaml"
    spec.write_text("title: Huddle\nstories: [touch, nosuch-story]\n", encoding="utf-8")
    load_spec(page, spec)
    problems = page.locator("#load-problems")
    expect(problems).to_contain_text("unknown story id 'nosuch-story'")
    expect(problems).to_contain_text("Left out of the form: the story 'nosuch-story'")
    expect(problems).not_to_contain_text("content/stories.yaml")
    expect(page.get_by_label("Touch", exact=True)).to_be_checked()
    expect_state(page, "Fits on one page.")
    page.get_by_label("Stay", exact=True).check()
    expect(page.locator("#story-order li span")).to_have_text(["Touch", "Stay"])
    expect_state(page, "Fits on one page.")
    assert failures == []


def test_a_guide_broken_elsewhere_keeps_its_questions_in_the_form(page, server, tmp_path) -> None:
    from playwright.sync_api import expect

    _, root = server
    guide = root / "content/guides/compassion.md"
    original = guide.read_text()
    guide.write_text(original.replace("stories:\n  - touch\n", "stories:\n  - touchh\n", 1))
    try:
        questions = load_project(root, partial=True).questions["compassion"]
        spec = tmp_path / "compassion-earlier.yaml"
        spec.write_text(
            "title: Huddle\nstories: [touch]\nquestions: [compassion:3, compassion:4]\n",
            encoding="utf-8",
        )
        load_spec(page, spec)
        for number in (3, 4):
            expect(page.locator(f"#question-compassion-{number}")).to_be_checked()
        expect(page.get_by_label("Guide", exact=True)).to_have_value("compassion")
        expect_state(page, "Fits on one page.")
        with page.expect_download() as downloading:
            page.get_by_role("button", name="Download PDF").click()
        downloading.value.save_as(tmp_path / "huddle.pdf")
        text = plain(PdfFacts.open(tmp_path / "huddle.pdf").text())
        for number in (3, 4):
            assert plain(questions[number - 1].text) in text
    finally:
        guide.write_text(original)


def test_your_own_warning_left_empty_is_said_beside_it(page) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    page.get_by_label("A warning in my own words").check()
    expect(page.locator("#warning-error")).to_have_text(
        "Write your warning in the box, or choose another content warning."
    )
    expect(page.locator("#warning-error")).to_be_visible()
    expect(page.locator("#warning_text")).to_have_attribute("aria-invalid", "true")
    expect_state(page, "Fix the fields marked to see your page.")
    page.get_by_label("Your own warning", exact=True).fill("Some stories are sad.")
    expect_state(page, "Fits on one page.")
    expect(page.locator("#warning-error")).to_be_empty()


def test_a_spec_naming_an_unknown_brand_is_said_and_never_saved(page, tmp_path) -> None:
    from playwright.sync_api import expect

    spec = tmp_path / "brand-test.yaml"
    spec.write_text("title: Brand test\nstories: [touch]\nbrand: nobrand\n", encoding="utf-8")
    load_spec(page, spec)
    expect(page.locator("#load-problems")).to_contain_text(
        "Left out of the form: the brand 'nobrand'"
    )
    # The form's default brand, never the first one the list happens to hold.
    expect(page.get_by_label("Brand", exact=True)).to_have_value("dna-of-care")
    expect_state(page, "Fits on one page.")
    page.screenshot(path=str(tmp_path / "unknown-brand.png"), full_page=True)
    with page.expect_download() as saving:
        page.get_by_role("button", name="Save these choices").click()
    saving.value.save_as(tmp_path / "saved.yaml")
    saved = (tmp_path / "saved.yaml").read_text(encoding="utf-8")
    assert "nobrand" not in saved and "brand:" not in saved, saved


def test_find_a_story_by_a_theme_as_the_page_writes_it(page, tmp_path) -> None:
    from playwright.sync_api import expect

    finder = page.get_by_label("Find a story by title or theme")
    visible = page.locator("#story-list li.story:visible")
    total = page.locator("#story-list li.story").count()
    for words in (
        "Compassionate leadership",
        "improvement and change",
        "whole self",
        "  WHOLE   self ",
        "compassionate-leadership",
    ):
        finder.fill(words)
        expect(visible).not_to_have_count(0)
        assert visible.count() < total, words
        expect(page.locator("#story-filter-none")).to_be_empty()
    finder.fill("no such words anywhere")
    expect(visible).to_have_count(0)
    expect(page.locator("#story-filter-none")).to_have_text(
        "No story has those words in its title, storyteller or themes."
    )
    page.screenshot(path=str(tmp_path / "no-story-found.png"), full_page=True)
    finder.fill("")
    expect(visible).to_have_count(total)
    expect(page.locator("#story-filter-none")).to_be_empty()


def test_save_spec_saves_nothing_while_your_own_warning_is_empty(page, tmp_path) -> None:
    from playwright.sync_api import expect

    downloads: list = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_label("Touch", exact=True).check()
    page.get_by_label("A warning in my own words").check()
    expect_state(page, "Fix the fields marked to see your page.")
    page.get_by_role("button", name="Save these choices").click()
    expect(page.locator("#save-state")).to_have_text(
        "Nothing was saved: fix the fields marked, then save your choices again."
    )
    expect(page.locator("#warning-error")).to_be_visible()
    page.screenshot(path=str(tmp_path / "save-refused.png"))
    page.wait_for_timeout(500)
    assert downloads == []
    # Written, the spec saves it, and loads back as "my own words".
    page.get_by_label("Your own warning", exact=True).fill("Some stories are sad.")
    expect_state(page, "Fits on one page.")
    expect(page.locator("#save-state")).to_be_empty()
    with page.expect_download() as saving:
        page.get_by_role("button", name="Save these choices").click()
    saving.value.save_as(tmp_path / "own.yaml")
    assert "content_warning: Some stories are sad." in (tmp_path / "own.yaml").read_text()
    load_spec(page, tmp_path / "own.yaml")
    expect(page.get_by_label("A warning in my own words")).to_be_checked()
    expect(page.get_by_label("Your own warning", exact=True)).to_have_value("Some stories are sad.")


def test_a_loaded_specs_problems_are_in_the_forms_words(page, tmp_path) -> None:
    from playwright.sync_api import expect

    spec = tmp_path / "huddle.yaml"
    spec.write_text("title: Huddle\nlayout: single\nstories: [touch, stay]\n", encoding="utf-8")
    load_spec(page, spec)
    problems = page.locator("#load-problems")
    expect(problems).to_contain_text(
        "Choose one story for the layout “One story, large” (2 chosen now)"
    )
    expect(problems).not_to_contain_text("(cards, single, questions)")
    expect(page.locator("#stories-error")).to_contain_text("“One story, large”")
    page.screenshot(path=str(tmp_path / "count-problem.png"), full_page=True)


def test_while_a_page_is_made_it_says_updating_and_download_waits(page, server) -> None:
    import json

    from playwright.sync_api import expect

    fill_session(page)
    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    shown = page.get_by_alt_text("The handout's page, as it will print")
    before = shown.get_attribute("src")
    downloads: list = []
    page.on("download", lambda download: downloads.append(download))
    # The moment a field changes, before any answer: the page says so, the page shown
    # (the form as it was) stays, dimmed, and Download does nothing.
    page.get_by_label("Title", exact=True).fill("Compassion in our ward")
    state = page.evaluate(
        "[document.getElementById('fit-state').textContent,"
        " document.getElementById('download').getAttribute('aria-disabled'),"
        " document.getElementById('page-frame').classList.contains('stale'),"
        " !document.getElementById('page-image').hidden]"
    )
    assert state == ["Updating...", "true", True, True]
    page.get_by_role("button", name="Download PDF").click(force=True)
    expect_state(page, "Fits on one page.")
    assert downloads == []
    expect(page.locator("#page-frame")).not_to_have_class("page-frame stale")
    expect(page.get_by_role("button", name="Download PDF")).to_have_attribute(
        "aria-disabled", "false"
    )
    # The page shown now is the answer for the form as it is.
    form = page.evaluate(
        "new URLSearchParams(new FormData(document.getElementById('composer'))).toString()"
    )
    answer = page.request.post(
        server[0] + "/api/preview",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert shown.get_attribute("src") == json.loads(answer.body())["image"] != before


def test_the_date_is_written_out_and_a_past_date_is_said(page) -> None:
    from playwright.sync_api import expect

    date = page.get_by_label("Date", exact=True)
    date.fill("2026-12-01")
    expect(page.locator("#date-written")).to_have_text("Tuesday 1 December 2026")
    date.fill("2031-03-02")
    expect(page.locator("#date-written")).to_have_text("Sunday 2 March 2031")
    expect(page.locator("#date-past")).to_be_empty()
    date.fill("2020-02-29")
    expect(page.locator("#date-written")).to_have_text("Saturday 29 February 2020")
    expect(page.locator("#date-past")).to_have_text("This date has passed. Is it the right one?")
    # The server's answer to the change comes after: it leaves both words as they are.
    expect(page.locator("#page-frame")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#date-written")).to_have_text("Saturday 29 February 2020")
    expect(page.locator("#date-past")).to_have_text("This date has passed. Is it the right one?")


def _hold_previews(page) -> list:
    """From now on each preview is asked of the server as the page sends it, and its
    real answer held back, (route, answer), until the test gives it to the page."""
    held: list = []
    page.route("**/api/preview", lambda route: held.append((route, route.fetch())))
    return held


def _wait_for_held(page, held: list) -> None:
    for _ in range(PREVIEW_WAIT_MS // 50):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page sent no preview")


def test_an_answer_to_a_form_since_changed_is_never_shown_as_its_page(page) -> None:
    from playwright.sync_api import expect

    download = page.get_by_role("button", name="Download PDF")
    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    held = _hold_previews(page)
    page.get_by_label("Subtitle", exact=True).fill("For the ward team")
    _wait_for_held(page, held)
    # A change while that answer is on its way: the answer (Touch ticked, "Fits") comes
    # before the change is sent, and is not the form any more.
    page.get_by_label("Touch", exact=True).uncheck()
    route, answer = held.pop()
    route.fulfill(response=answer)
    page.unroute("**/api/preview")
    page.wait_for_timeout(100)
    expect(page.locator("#fit-state")).to_have_text("Updating...", timeout=1)
    expect(download).to_have_attribute("aria-disabled", "true", timeout=1)
    # Then the answer to the form as it is: no story ticked.
    expect_state(page, "Fix the fields marked to see your page.")
    expect(download).to_have_attribute("aria-disabled", "true")


def test_with_a_placeholder_left_in_download_waits_and_says_why(page) -> None:
    from playwright.sync_api import expect

    download = page.get_by_role("button", name="Download PDF")
    page.get_by_label("Touch", exact=True).check()
    page.get_by_label("Facilitator", exact=True).fill("((Your name here))")
    expect(page.locator("#facilitator-warning")).to_contain_text("placeholder")
    expect_state(page, "Fits on one page.")
    # The server refuses to download it: the button is not offered as ready.
    expect(download).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#fit-detail")).to_have_text(
        "Download waits until each placeholder marked in the form is replaced."
    )
    page.get_by_label("Facilitator", exact=True).fill("Sam Jones")
    expect(download).to_have_attribute("aria-disabled", "false")
    expect(page.locator("#fit-detail")).to_have_text("")


def test_an_edited_project_dims_the_page_until_its_new_answer(page, server) -> None:
    from playwright.sync_api import expect

    _, root = server
    download = page.get_by_role("button", name="Download PDF")
    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    expect(download).to_have_attribute("aria-disabled", "false")
    held = _hold_previews(page)
    layout = root / "layouts/handout.css"
    original = layout.read_text(encoding="utf-8")
    layout.write_text(original + "\n/* edited while the page is open */\n", encoding="utf-8")
    try:
        _wait_for_held(page, held)  # the page has seen the project change, and asks again
        expect(page.locator("#fit-state")).to_have_text("Updating...", timeout=1)
        expect(download).to_have_attribute("aria-disabled", "true", timeout=1)
        expect(page.locator("#page-frame")).to_have_class(re_stale())
        route, answer = held.pop()
        route.fulfill(response=answer)
        page.unroute("**/api/preview")
        expect_state(page, "Fits on one page.")
        expect(download).to_have_attribute("aria-disabled", "false")
    finally:
        layout.write_text(original, encoding="utf-8")


def re_stale():
    import re

    return re.compile(r"\bstale\b")


def test_back_to_the_composer_the_form_and_its_page_agree(page) -> None:
    """A browser coming back fills a form in again by the order of its fields, and the
    composer reorders stories and questions for the guide chosen: so it asks for a
    fresh form instead, and what is ticked is what the page says."""
    from playwright.sync_api import expect

    page.get_by_label("Guide", exact=True).select_option("compassion")
    page.get_by_label("Critical care", exact=True).check()
    expect_state(page, "Fits on one page.")
    page.get_by_role("button", name="Open saved choices").click()
    page.go_back()
    page.wait_for_load_state("networkidle")
    ticked = page.locator('input[name="story"]:checked')
    if ticked.count() == 0:
        expect_state(page, "Choose stories to see your handout.")
    else:
        expect(ticked).to_have_count(1)
        expect(page.get_by_label("Critical care", exact=True)).to_be_checked()
        expect_state(page, "Fits on one page.")


def test_an_error_page_from_the_server_is_said_as_its_error_not_as_silence(page) -> None:
    from playwright.sync_api import expect

    download = page.get_by_role("button", name="Download PDF")
    page.get_by_label("Touch", exact=True).check()
    expect_state(page, "Fits on one page.")
    # As a proxy or a crash would answer: an HTML error page, not the page's answer.
    page.route(
        "**/api/preview",
        lambda route: route.fulfill(status=500, content_type="text/html", body="<h1>Oops</h1>"),
    )
    page.get_by_label("Subtitle", exact=True).fill("For the ward team")
    expect_state(page, "The server could not make this page (error 500).")
    expect(download).to_have_attribute("aria-disabled", "true")
    page.unroute("**/api/preview")
    # No answer at all (the server stopped): said as silence.
    page.route("**/api/preview", lambda route: route.abort())
    page.get_by_label("Subtitle", exact=True).fill("For the night team")
    expect_state(page, "The server did not answer. Is dnaoc-print serve still running?")
    page.unroute("**/api/preview")
    page.get_by_label("Subtitle", exact=True).fill("For the whole ward")
    expect_state(page, "Fits on one page.")


def test_at_phone_width_your_page_is_one_tap_away(browser, server) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(PREVIEW_WAIT_MS)
        page.goto(server[0] + "/")
        # As shown (inner text): the words for a wide screen are hidden here.
        intro = page.locator(".intro").inner_text()
        assert "check your page below." in intro and "on the right" not in intro
        page.get_by_label("Touch", exact=True).check()
        expect_state(page, "Fits on one page.")
        # From deep in the form, the bar is on screen, and one tap shows the page.
        page.get_by_label("Contact", exact=True).scroll_into_view_if_needed()
        bar = page.get_by_role("link", name="See your page")
        expect(bar).to_be_in_viewport()
        expect(bar).to_contain_text("Fits on one page.")
        bar.click()
        expect(page.locator("#fit-state")).to_be_in_viewport()
        expect(page.get_by_alt_text("The handout's page, as it will print")).to_be_in_viewport()
    finally:
        context.close()


AXE_SCRIPT = Path(__file__).parent / "axe/node_modules/axe-core/axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    // Label in name is experimental in axe-core, so asked for by name.
    rules: { "label-content-name-mismatch": { enabled: true } },
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
}"""


def install_axe_core() -> None:
    """axe-core, pinned in tests/axe/package-lock.json, from the npm registry: so the
    README's test command runs this test on a fresh machine that has npm."""
    npm = shutil.which("npm")
    if npm:
        subprocess.run(
            [npm, "ci", "--prefix", str(AXE_SCRIPT.parents[2]), "--no-audit", "--no-fund"],
            capture_output=True,
            timeout=300,
            check=False,
        )


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(AXE_RUN)


def test_axe_core_finds_no_serious_problem_in_any_state(browser, server) -> None:
    from playwright.sync_api import expect

    if not AXE_SCRIPT.is_file():
        install_axe_core()
    if not AXE_SCRIPT.is_file():
        _missing("axe-core is not installed (npm ci --prefix tests/axe)")
    # The page's own policy allows only its own scripts: axe-core is let in for the test.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(PREVIEW_WAIT_MS)
        page.goto(server[0] + "/")
        expect_state(page, "Choose stories to see your handout.")
        found = {"empty form": axe_violations(page)}

        fill_session(page)
        page.get_by_label("Touch", exact=True).check()
        page.get_by_label("Stay", exact=True).check()  # two: the order's Move buttons
        expect_state(page, "Fits on one page.")
        expect(page.get_by_role("button", name="Move up: Stay")).to_be_visible()
        found["filled form"] = axe_violations(page)

        page.get_by_label("Layout", exact=True).select_option("questions")
        page.get_by_label("Paper", exact=True).select_option("a5")
        page.get_by_label("Your own questions").fill(
            "\n".join(f"What would you say to a colleague who felt unheard? ({n})" * 4
                      for n in range(8))
        )  # fmt: skip
        expect_state(page, "Too long by")
        found["too long"] = axe_violations(page)

        page.get_by_label("Your own questions").fill("")
        page.get_by_label("A warning in my own words").check()
        expect_state(page, "Fix the fields marked to see your page.")
        found["error"] = axe_violations(page)
    finally:
        context.close()
    assert found == {"empty form": [], "filled form": [], "too long": [], "error": []}
