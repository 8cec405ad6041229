"""The documentation: the site builds strictly, its command reference covers every
command and option `--help` shows, the README stays a front door, nothing of the old
README is lost, and each reader finds their way (a facilitator meets no command line;
a comms person reaches "Change the logo" in two clicks from the front page)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from dnaoc_print.cli.main import main
from dnaoc_print.web.app import create_app
from dnaoc_print.web.preview import Workspace

from conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
# The theme prints a notice about its own future on every build.
QUIET = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BUILD_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/dnaoc-print build"
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
)


def mkdocs_build(config: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=QUIET,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built as CI would: `mkdocs build --strict`, into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def page_text(path: Path) -> str:
    """A built page's words, as a reader sees them (tags dropped, entities read)."""
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(text).split())


def article(path: Path) -> str:
    """A built page's own content: its <article>, without the site's navigation."""
    found = re.search(r"<article.*?</article>", path.read_text(encoding="utf-8"), re.S)
    assert found, path
    return found[0]


def test_the_site_builds_and_fetches_nothing_from_the_web(site) -> None:
    assert (site / "index.html").is_file()
    assert (site / "facilitators" / "make-a-handout.html").is_file()
    # Opened from the folder, no page fetches anything from the web (links are fine).
    fetched = re.compile(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.I)
    for page in site.rglob("*.html"):
        assert not fetched.search(page.read_text(encoding="utf-8")), page


def test_a_broken_link_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch) -> None:
    """The same sources with one broken link: `dnaoc-print docs` (strict, as
    mkdocs.yml says) refuses them, names the link, and leaves the site as it was."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs")
    page = tmp_path / "docs" / "teams" / "change-the-logo.md"
    page.write_text(page.read_text() + "\n[Gone](no-such-page.md)\n", encoding="utf-8")
    old_site = tmp_path / "build" / "site"
    old_site.mkdir(parents=True)
    (old_site / "index.html").write_text("the site as it was", encoding="utf-8")
    monkeypatch.setattr("dnaoc_print.web.docs_site.docs_root", lambda: tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    result = CliRunner().invoke(main, ["docs", "--no-open"])
    assert result.exit_code == 1
    assert "error: the documentation site did not build" in result.output
    assert "Traceback" not in result.output
    assert (old_site / "index.html").read_text(encoding="utf-8") == "the site as it was"
    assert [path.name for path in old_site.parent.iterdir()] == ["site"]


def test_docs_serve_serves_strictly_on_this_computer_only(monkeypatch) -> None:
    served = {}
    monkeypatch.setattr("mkdocs.commands.serve.serve", lambda **options: served.update(options))
    result = CliRunner().invoke(main, ["docs", "--serve", "--no-open", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served["dev_addr"] == "127.0.0.1:8123"
    assert served["strict"] is True and served["open_in_browser"] is False
    assert served["config_file"] == str(ROOT / "mkdocs.yml")


# -- the command reference ---------------------------------------------------------------


def help_tree(path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[str]]:
    """Every command `dnaoc-print --help` leads to, with the option names its own
    `--help` lists, read from the help text itself."""
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    sections = re.split(r"^(Options|Commands):\s*$", result.output, flags=re.M)
    parts = dict(zip(sections[1::2], sections[2::2], strict=True))
    options = re.findall(r"^  (-[^\s,]+(?:, -[^\s,]+)*)", parts.get("Options", ""), re.M)
    names = [name for listed in options for name in listed.split(", ")]
    # "--content-warning / --no-content-warning" lists both.
    names += re.findall(r" / (--[\w-]+)", parts.get("Options", ""))
    tree = {path: names}
    for command in re.findall(r"^  ([\w-]+)\s", parts.get("Commands", ""), re.M):
        tree.update(help_tree((*path, command)))
    return tree


def reference_sections(site: Path) -> dict[str, str]:
    """The built reference page's text, by its headings' ids."""
    page = (site / "reference" / "commands.html").read_text(encoding="utf-8")
    pieces = re.split(r'<h2 id="([^"]+)"[^>]*>', page)
    return {
        identifier: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
        for identifier, body in zip(pieces[1::2], pieces[2::2], strict=True)
    }


def test_every_command_and_option_in_help_is_in_the_reference(site) -> None:
    tree = help_tree()
    assert ("handout",) in tree and ("brand", "export") in tree and ("docs",) in tree
    sections = reference_sections(site)
    for path, options in tree.items():
        name = " ".join(("dnaoc-print", *path))
        identifier = name.replace(" ", "-")
        assert identifier in sections, f"no section for {name}"
        text = sections[identifier]
        assert text.startswith(name), text[:80]
        for option in options:
            assert re.search(rf"(^|[\s,`]){re.escape(option)}([\s,`/]|$)", text), (name, option)


def test_the_reference_says_each_options_help_as_the_program_does(site) -> None:
    sections = reference_sections(site)
    build = sections["dnaoc-print-build"]
    for param in main.commands["build"].params:
        if param.help:
            assert " ".join(param.help.split()) in build, param.name


# -- the README ----------------------------------------------------------------------------


def test_the_readme_is_a_front_door_with_both_commands_as_ci_reads_them() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 120
    for marker, command in (
        ("<!-- build-command -->", BUILD_COMMAND),
        ("<!-- test-command -->", TEST_COMMAND),
    ):
        at = lines.index(marker)
        # .ci/run reads the line two after the marker, exactly as written.
        assert lines[at + 1] == "```sh"
        assert lines[at + 2] == command
    ci = subprocess.run(
        ["awk", "/<!-- test-command -->/ { getline; getline; print; exit }", str(README)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ci.stdout.strip() == TEST_COMMAND
    assert ".venv/bin/dnaoc-print serve --open" in lines


def test_the_readmes_pictures_and_links_lead_somewhere() -> None:
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?:docs/)[^)#\s]+)", text)
    assert len(targets) >= 20
    for target in targets:
        assert (ROOT / target).is_file(), target
    for picture in ("guide-page.png", "handout.png", "composer.png"):
        assert f"docs/images/{picture}" in text


# -- nothing of the old README lost -------------------------------------------------------

# The old README's sections (883 lines, until this site), each mapped in readme-map.md.
OLD_SECTIONS = (
    "For facilitators: make a handout in your browser",
    "Quick start",
    "Pango",
    "Faster subsetting (optional)",
    "Commands (the table)",
    "Commands: exit status",
    "Commands: one broken file never stops the rest",
    "Commands: batch runs",
    "The project (the folder tree)",
    "The story catalogue",
    "A guide",
    "Every printed word is in `content/`",
    "Placeholders",
    "Accessible and reproducible PDFs",
    "Handouts for your session: what a handout holds",
    "Handouts for your session: one handout per row of a spreadsheet",
    "Handouts for your session: the three layouts",
    "Printing: booklets, two to a sheet, print shops, archives and large print",
    "Brands: your organisation's look",
    "Brands from brand.yml",
    "Performance",
    "Handouts: CPU time a handout",
    "Security: what the builder reads",
    "How it works",
)
# Sentences (and facts) from each old section that a reader must still find in docs/.
KEY_SENTENCES = (
    "Its recommended stories and its questions come first",
    "Fits on one page.",
    "Too long by N mm: remove a story or a question.",
    "WeasyPrint needs the Pango text library",
    "Either way the same inputs give the same bytes every time",
    "names another, before the command name as with git",
    "2 | a usage error",
    "An output fails only when a file it depends on is broken",
    "`build/manifest.json` records, for every output, its inputs' hashes",
    "a failed or interrupted build never leaves a half-written PDF",
    "Only stories whose address has been checked on the Patient Voices site may be added.",
    "A pull quote repeats a line of the guide's own text",
    "nothing else in it is ever evaluated",
    "YAML comment lines are never read for them.",
    "Body text is 12 pt on A4 (11 pt on A5) and nothing is printed under 10 pt",
    "No full PDF/UA validator can be installed from the registries this project uses",
    "Without `--title` the handout takes the title of its one story",
    "`12/25/2026` is refused (there is no month 25)",
    "A row with a problem fails alone, named by its line and column",
    "never below 10 pt text or 24.8 mm QR codes",
    "A handout typeset in a batch is pixel for pixel the one typeset alone",
    "fold the stack in half and staple along the fold",
    "For 30 people, print 15 copies of `<name>-two-up.pdf`",
    "its MediaBox, the sheet, is 12 mm larger on every side",
    "Archive copies are PDF/A-2a (ISO 19005-2, level a)",
    "A large-print handout may take **up to three pages** instead of one",
    "A brand's name is its folder's name, matched without regard to capitals",
    "WCAG AA's 4.5:1 you get a warning",
    "a PNG or JPEG logo larger than 100 KB is named inside each PDF",
    "A build never reaches the network, so fonts from `google` or `bunny`",
    "Reproduce with `.venv/bin/python benchmarks/run.py`",
    "The targets are not met reliably yet",
    "A trimmed user-agent stylesheet",
    "No build makes a request",
    "aliases (the way in for expansion bombs) are refused",
    "Only typesetting imports WeasyPrint.",
)


def all_docs_text() -> str:
    pages = sorted(DOCS.rglob("*.md"))
    return " ".join(" ".join(page.read_text(encoding="utf-8").split()) for page in pages)


def test_every_old_readme_section_is_mapped_to_pages_that_exist() -> None:
    map_page = DOCS / "contributing" / "readme-map.md"
    rows = [line for line in map_page.read_text(encoding="utf-8").splitlines() if line[:2] == "| "]
    mapped = {row.split(" | ")[0][2:]: row for row in rows[2:]}
    for section in OLD_SECTIONS:
        row = next((row for name, row in mapped.items() if name.startswith(section)), None)
        assert row is not None, f"old README section {section!r} is not in readme-map.md"
        for target in re.findall(r"\]\(([^)#]+)", row):
            assert (map_page.parent / target).resolve().is_file(), (section, target)


def test_key_sentences_of_the_old_readme_are_in_the_docs() -> None:
    text = all_docs_text()
    missing = [sentence for sentence in KEY_SENTENCES if sentence not in text]
    assert not missing


# -- readers find their way ---------------------------------------------------------------

# What would send a facilitator to a terminal.
COMMAND_LINE = re.compile(
    r"```|dnaoc-print (build|handout|serve|check|list|new|brand|watch|docs|preview)\b"
    r"|\bterminal\b|Ctrl-C|\.venv|\bpip\b|(^|\s)--?[a-z]",
    re.I | re.M,
)


def test_the_facilitators_pages_show_no_command_line(site) -> None:
    sources = sorted((DOCS / "facilitators").glob("*.md"))
    assert len(sources) >= 4
    for source in sources:
        found = COMMAND_LINE.search(source.read_text(encoding="utf-8"))
        assert found is None, f"{source.name}: {found[0]!r}"
        built = site / "facilitators" / source.with_suffix(".html").name
        assert "<pre" not in article(built), built.name
    # The pattern does catch what it looks for.
    assert COMMAND_LINE.search("Then run dnaoc-print serve --open in a terminal.")


def content_links(page: Path) -> dict[Path, str]:
    """The pages a page's own content links to, with each link's words."""
    links = re.findall(r'<a [^>]*href="([^"#:]+\.html)[^"]*"[^>]*>(.*?)</a>', article(page), re.S)
    return {(page.parent / href).resolve(): re.sub(r"<[^>]+>", "", words) for href, words in links}


def test_a_comms_person_finds_change_the_logo_in_two_clicks(site) -> None:
    front = (site / "index.html").resolve()
    target = (site / "teams" / "change-the-logo.html").resolve()
    reached = {front: []}
    for _click in range(2):
        for page, path in list(reached.items()):
            for linked, words in content_links(page).items():
                reached.setdefault(linked, [*path, words])
    assert target in reached, "Change the logo is more than two clicks from the front page"
    assert any("logo" in words.lower() for words in reached[target])
    assert "Change the logo" in page_text(target)


def test_the_front_page_has_a_door_for_each_reader(site) -> None:
    doors = {path.relative_to(site.resolve()).as_posix() for path in content_links(
        (site / "index.html").resolve())}  # fmt: skip
    for section in ("facilitators", "teams", "batch", "reference", "contributing"):
        assert f"{section}/index.html" in doors


# -- `dnaoc-print docs` and the composer's Help -------------------------------------------


def test_the_docs_command_builds_the_site(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["docs", "--no-open", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Built the documentation site: {out.resolve() / 'index.html'}" in result.output
    assert "dnaoc-print docs" in page_text(out / "reference" / "commands.html")
    # Nothing but the site is left beside it (no half-built folder).
    assert [path.name for path in tmp_path.iterdir()] == ["site"]


def test_without_the_docs_tools_the_docs_command_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "material", None)
    result = CliRunner().invoke(main, ["docs", "--no-open"])
    assert result.exit_code == 1
    assert "pip install -e '.[docs]'" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project(tmp_path_factory.mktemp("help") / "project")
    workspace = Workspace(root, workers=1)
    yield SimpleNamespace(client=create_app(workspace, {"localhost"}).test_client())
    workspace.close()


def test_the_composers_help_link_opens_the_facilitators_pages(served, site, monkeypatch) -> None:
    monkeypatch.setattr("dnaoc_print.web.help_pages.built_site", lambda: site)
    composer = served.client.get("/")
    link = re.search(r'<a href="(/help/[^"]+)"[^>]*>Help', composer.text)
    assert link and link[1] == "/help/facilitators/make-a-handout.html"
    assert "unsafe-inline" not in composer.headers["Content-Security-Policy"]
    with served.client.get(link[1]) as helped:
        assert helped.status_code == 200
        assert "Make a handout" in helped.text and "Download PDF" in helped.text
        assert "'unsafe-inline'" in helped.headers["Content-Security-Policy"]
    pages = served.client.get("/pages")
    assert 'href="/help/facilitators/look-at-the-guides.html"' in pages.text
    for address, status in (
        ("/help/", 200),
        ("/help/facilitators/", 200),
        ("/help/images/composer.png", 200),
        ("/help/no-such-page.html", 404),
        ("/help/../pyproject.toml", 404),
    ):
        with served.client.get(address) as answer:
            assert answer.status_code == status, address
    with served.client.get("/help/images/composer.png") as picture:
        assert picture.mimetype == "image/png"


def test_help_says_so_where_the_site_is_not_built(served, monkeypatch) -> None:
    monkeypatch.setattr("dnaoc_print.web.help_pages.built_site", lambda: None)
    answer = served.client.get("/help/facilitators/make-a-handout.html")
    assert answer.status_code == 200
    assert "The help pages have not been built on this computer yet." in answer.text


@pytest.fixture
def help_server(site, tmp_path, monkeypatch):
    """The composer's app on a free port, its /help/ showing the site built above."""
    import threading

    from werkzeug.serving import make_server

    monkeypatch.setattr("dnaoc_print.web.help_pages.built_site", lambda: site)
    workspace = Workspace(copy_project(tmp_path / "project"), workers=1)
    app = create_app(workspace)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["ALLOWED_HOSTS"] = {f"127.0.0.1:{server.server_port}"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    workspace.close()


def test_the_help_pages_work_in_a_browser_under_the_servers_policy(help_server) -> None:
    """The theme's scripts run under /help/'s own policy: no refusal in the console, the
    navigation drawn, and search finds "Change the logo"."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests: sudo apt-get install chromium")
        pytest.skip("no chromium on this machine: sudo apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("console", lambda message: message.type == "error" and problems.append(message))
        page.goto(help_server + "/")
        with page.context.expect_page() as opening:
            page.get_by_role("link", name="Help").click()
        helped = opening.value
        helped.on("console", lambda message: message.type == "error" and problems.append(message))
        expect(helped).to_have_title(re.compile("^Make a handout"))
        expect(helped.get_by_role("heading", name="1. Guide")).to_be_visible()
        # The search index is built in a web worker, and a query typed before it is ready
        # is lost: open the search, wait until it says it is ready, then type.
        helped.keyboard.press("/")
        results = helped.locator(".md-search-result")
        expect(results).to_contain_text("Type to start searching", timeout=60_000)
        helped.locator("input[data-md-component='search-query']").press_sequentially("logo")
        expect(results).to_contain_text("Change the logo", timeout=30_000)
        browser.close()
    assert not [message.text for message in problems]
