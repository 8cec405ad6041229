"""Bad input gets a clear error, and nothing leaks.

A table of bad inputs, each with the message it must produce (no traceback); a
canary HTTP server that no build may reach; a secret file outside the project that
never appears in any PDF.
"""

from __future__ import annotations

import contextlib
import http.server
import re
import threading
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.cli.main import main

from pdf_inspect import PdfFacts

GUIDE = "content/guides/compassion.md"
SPEC = "content/handouts/compassion.yaml"
STORIES = "content/stories.yaml"
BRAND = "brands/example-trust/brand.yaml"


@pytest.fixture
def small_project(project_dir: Path) -> Path:
    """The project with one guide and one handout, so failing builds stay quick."""
    for path in (project_dir / "content/guides").glob("*.md"):
        if path.name != "compassion.md":
            path.unlink()
    for path in (project_dir / "content/handouts").glob("*.yaml"):
        if path.name != "compassion.yaml":
            path.unlink()
    spec = project_dir / SPEC
    spec.write_text(re.sub(r"  - compassion:(\d+)\n", "  - compassion:\\1\n", spec.read_text()))
    return project_dir


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


def write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


CSV_HEADER = "name,title,stories,session.date\n"

# (id, change to the project, command, message that must appear)
CASES = [
    (
        "yaml-syntax-front-matter",
        lambda r: edit(r, GUIDE, "order: 2", "order: [2"),
        ["check"],
        f"{GUIDE}, line 4: YAML error",
    ),
    (
        "yaml-syntax-spec",
        lambda r: edit(r, SPEC, "title: Compassion", "title: 'Compassion"),
        ["check"],
        f"{SPEC}, line",
    ),
    (
        "yaml-duplicate-key",
        lambda r: edit(r, SPEC, "notes: lines", "notes: lines\nnotes: box"),
        ["check"],
        "the key 'notes' appears twice",
    ),
    (
        "yaml-alias-bomb",
        lambda r: write(r, SPEC, "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"),
        ["check"],
        "aliases (*name) are not allowed",
    ),
    (
        "not-utf8",
        lambda r: write(r, GUIDE, "---\ntitle: Caf\xe9\n".encode("latin-1")),
        ["check"],
        f"{GUIDE}, line 2: file is not UTF-8 text",
    ),
    (
        "oversized",
        lambda r: write(r, STORIES, "# " + "x" * 1_100_000 + "\n"),
        ["check"],
        "more than the 1,000,000 allowed",
    ),
    (
        "no-front-matter",
        lambda r: write(r, GUIDE, "## Just a heading\n"),
        ["check"],
        "does not start with front matter",
    ),
    (
        "unclosed-front-matter",
        lambda r: write(r, GUIDE, "---\ntitle: X\n"),
        ["check"],
        "the front matter is never closed",
    ),
    (
        "guide-unknown-story",
        lambda r: edit(r, GUIDE, "  - stay\n", "  - stya\n"),
        ["check"],
        "unknown story id 'stya'",
    ),
    (
        "guide-unknown-field",
        lambda r: edit(r, GUIDE, "subtitle:", "subtitel:"),
        ["check"],
        "did you mean 'subtitle'?",
    ),
    (
        "guide-order-not-number",
        lambda r: edit(r, GUIDE, "order: 2", "order: second"),
        ["check"],
        "'order' must be a whole number",
    ),
    (
        "guide-missing-title",
        lambda r: edit(r, GUIDE, "title: Compassion\n", ""),
        ["check"],
        f"{GUIDE}, line 2: missing field 'title'",
    ),
    (
        "guide-questions-not-list",
        lambda r: edit(r, GUIDE, "questions:\n", "questions: many\nx:\n"),
        ["check"],
        "'questions' must be a list",
    ),
    (
        "question-with-colon",
        lambda r: edit(r, GUIDE, "  - Where do you see", "  - Note: where do you see"),
        ["check"],
        "text containing ': ' must be put in double quotes",
    ),
    (
        "spec-unknown-story",
        lambda r: edit(r, SPEC, "  - touch\n", "  - tuch\n"),
        ["check"],
        "did you mean 'touch'?",
    ),
    (
        "spec-bad-date",
        lambda r: edit(r, SPEC, "2026-12-01", "1 December"),
        ["check"],
        "'session.date' is not a date: '1 December'",
    ),
    (
        "spec-unknown-paper",
        lambda r: edit(r, SPEC, "notes: lines", "notes: lines\npaper: A3"),
        ["check"],
        "'paper' must be one of a4, a5, letter, half-letter, not 'a3'",
    ),
    (
        "spec-question-number",
        lambda r: edit(r, SPEC, "compassion:10", "compassion:11"),
        ["check"],
        "guide 'compassion' has no question 11",
    ),
    (
        "spec-question-guide",
        lambda r: edit(r, SPEC, "compassion:10", "compasion:10"),
        ["check"],
        "did you mean 'compassion'?",
    ),
    (
        "spec-layout-count",
        lambda r: edit(r, SPEC, "notes: lines", "notes: lines\nlayout: single"),
        ["check"],
        "the 'single' layout takes exactly 1 story, not 4",
    ),
    (
        "spec-link-params",
        lambda r: edit(r, SPEC, "notes: lines", "notes: lines\nlink_params: 'a b<c>'"),
        ["check"],
        "'link_params' is not a query string",
    ),
    (
        "spec-unknown-layout",
        lambda r: edit(r, SPEC, "notes: lines", "notes: lines\nlayout: grid"),
        ["check"],
        "'layout' must be one of cards, single, questions",
    ),
    (
        "spec-file-name",
        lambda r: write(r, "content/handouts/My Handout.yaml", "title: x\n"),
        ["check"],
        "handout file name 'My Handout.yaml' is not a slug",
    ),
    (
        "story-duplicate-id",
        lambda r: edit(r, STORIES, "- id: stay", "- id: touch"),
        ["check"],
        "story id 'touch' is used twice",
    ),
    (
        "story-bad-url",
        lambda r: edit(
            r, STORIES, "url: https://www.patientvoices.org.uk", "url: www.patientvoices.org.uk"
        ),
        ["check"],
        "is not a web address",
    ),
    (
        "story-id-not-slug",
        lambda r: edit(r, STORIES, "- id: stay", "- id: Stay Here"),
        ["check"],
        "story id 'Stay Here' is not a slug",
    ),
    (
        "guide-file-name",
        lambda r: write(r, "content/guides/New_Guide.md", "---\ntitle: x\n---\n"),
        ["check"],
        "guide file name 'New_Guide.md' is not a slug",
    ),
    (
        "brand-bad-colour",
        lambda r: edit(r, BRAND, 'primary: "#5b2a6e"', 'primary: "purple"'),
        ["check"],
        "'colours.primary' is not a colour: 'purple'",
    ),
    (
        "brand-missing-logo",
        lambda r: edit(r, BRAND, "logo: logo.svg", "logo: logo.png"),
        ["check"],
        "'logo' file 'logo.png' not found",
    ),
    (
        "brand-unknown-key",
        lambda r: edit(r, BRAND, "contact:", "contacts:"),
        ["check"],
        "did you mean 'contact'?",
    ),
    (
        "brand-unsafe-family",
        lambda r: edit(r, BRAND, "family: Source Sans 3", 'family: "Sans\\"; } body { x"'),
        ["check"],
        "has characters that are not allowed",
    ),
    (
        "brand-font-outside",
        lambda r: edit(
            r,
            BRAND,
            "path: fonts/source-sans-3-latin-400-normal.woff",
            "path: ../../../../etc/passwd",
        ),
        ["check"],
        "not found in brands/example-trust/ or fonts/",
    ),
    (
        "brand-unknown",
        lambda r: None,
        ["build", "--brand", "example-trusst"],
        "did you mean 'example-trust'?",
    ),
    (
        "csv-unknown-field",
        lambda r: write(r, "rows.csv", "name,titel\na,x\n"),
        ["handout", "{root}/" + SPEC, "--from", "{root}/rows.csv"],
        # A header problem is the whole file's: said once, at line 1, naming the column.
        "rows.csv, line 1, column B (titel): 'titel' is not a handout field",
    ),
    (
        "csv-name-column",
        lambda r: write(r, "rows.csv", CSV_HEADER + "a,T,stay,2026-12-01\n"),
        ["handout", "{root}/" + SPEC, "--from", "{root}/rows.csv", "--name-column", "file"],
        "there is no column 'file'",
    ),
    (
        "csv-bad-date",
        lambda r: write(r, "rows.csv", CSV_HEADER + "a,T,stay,2026-12-01\nb,T,stay,tomorrow\n"),
        ["handout", "{root}/" + SPEC, "--from", "{root}/rows.csv"],
        "rows.csv, line 3, column D (session.date): 'tomorrow' is not a date",
    ),
    (
        "markdown-image-outside",
        lambda r: edit(
            r, GUIDE, "## Compassion\n", "## Compassion\n\n![secret](../../../etc/hostname)\n"
        ),
        ["build", "--strict"],
        "image '../../../etc/hostname' is outside the project",
    ),
    (
        "markdown-image-network",
        lambda r: edit(r, GUIDE, "## Compassion\n", "## Compassion\n\n![x](logo.png)\n"),
        ["build"],
        "image 'logo.png': no such file beside content/guides/compassion.md",
    ),
    (
        "brand-css-network",
        lambda r: write(
            r, "brands/example-trust/extra.css", "@import url(http://127.0.0.1:9/x.css);\n"
        ),
        ["build", "--brand", "example-trust"],
        "refused to fetch 'http://127.0.0.1:9/x.css'",
    ),
    (
        "layout-syntax",
        lambda r: edit(r, "layouts/handout.html.j2", "{% endblock %}", "{% endblok %}"),
        ["build"],
        "layouts/handout.html.j2, line",
    ),
    (
        "layout-undefined",
        lambda r: edit(r, "layouts/guide.html.j2", "{{ guide.title }}", "{{ guide.titel }}"),
        ["build"],
        "has no attribute 'titel'",
    ),
]


@pytest.mark.parametrize(
    ("change", "command", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_input_gets_a_clear_error(small_project: Path, change, command, message) -> None:
    change(small_project)
    command = [part.replace("{root}", str(small_project)) for part in command]
    result = CliRunner().invoke(
        main,
        [*command, "-C", str(small_project), "--jobs", "1"]
        if command[0] == "build"
        else [*command, "-C", str(small_project)],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output


def test_the_table_covers_at_least_30_cases() -> None:
    assert len(CASES) >= 30


class _Canary(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Canary.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args) -> None:
        pass


def test_no_build_makes_a_network_request(small_project: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        edit(
            small_project,
            GUIDE,
            "## Compassion\n",
            f"## Compassion\n\n![a]({url}/image.png) [b]({url}/link)\n",
        )
        write(
            small_project,
            "brands/example-trust/extra.css",
            f"@import url({url}/import.css);\n.cover {{ background: url({url}/bg.png); }}\n"
            f"@font-face {{ font-family: X; src: url({url}/font.woff); }}\n",
        )
        result = CliRunner().invoke(
            main, ["build", "-C", str(small_project), "--brand", "example-trust", "--jobs", "1"]
        )
        assert result.exit_code == 1
        assert "refused to fetch" in result.output
        assert _Canary.requests == []
    finally:
        server.shutdown()
        server.server_close()


def pdf_bytes_expanded(path: Path) -> bytes:
    """The PDF's bytes followed by every stream it holds, decompressed."""
    data = path.read_bytes()
    expanded = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        with contextlib.suppress(zlib.error):
            expanded.append(zlib.decompress(match[1]))
    return b"\n".join(expanded)


def test_a_secret_outside_the_project_never_reaches_a_pdf(
    small_project: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-SECRET-7f3a9")
    (tmp_path / "secret.png").write_bytes(b"CANARY-SECRET-7f3a9")
    link = small_project / "layouts/innocent.css"
    link.symlink_to(secret)
    edit(
        small_project,
        GUIDE,
        "## Compassion\n",
        f"## Compassion\n\n![s]({secret}) ![t](../../secret.png) [u](file://{secret})\n",
    )
    edit(
        small_project,
        "layouts/base.html.j2",
        '<link rel="stylesheet" href="common.css">',
        '<link rel="stylesheet" href="common.css"><link rel="stylesheet" href="innocent.css">'
        f'<link rel="attachment" href="file://{secret}">',
    )
    CliRunner().invoke(main, ["build", "-C", str(small_project), "--jobs", "1"])
    for pdf in (small_project / "build").rglob("*.pdf"):
        assert b"CANARY-SECRET" not in pdf_bytes_expanded(pdf), pdf.name


@pytest.mark.parametrize(
    ("title", "stories", "expected"),
    [
        ('" "', "[stay]", "Stay"),  # blank: the one story's title
        ('""', "[stay, touch, critical-care]", "Compassion"),  # the guide showing them all
    ],
)
def test_a_blank_title_takes_the_default_title(
    project_dir: Path, title: str, stories: str, expected: str
) -> None:
    spec = project_dir / "content/handouts/blank-title.yaml"
    spec.write_text(f"title: {title}\nstories: {stories}\n")
    result = CliRunner().invoke(
        main,
        [
            "-C",
            str(project_dir),
            "handout",
            str(spec),
            "-o",
            str(project_dir / "out/blank-title.pdf"),
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = PdfFacts.open(project_dir / "out/blank-title.pdf")
    assert pdf.metadata["/Title"] == expected


def test_a_blank_title_with_no_default_says_the_handout_needs_one(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/blank-title.yaml"
    spec.write_text('title: " "\nstories: [stay, what-do-you-see]\n')
    result = CliRunner().invoke(main, ["-C", str(project_dir), "handout", str(spec)])
    assert result.exit_code == 1
    assert "blank-title.yaml" in result.output
    assert "the handout needs a title" in result.output or "missing field 'title'" in result.output
