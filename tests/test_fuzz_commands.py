"""Every option of every command, given any string, number, path, nothing or a very
long value: a clean message with exit status 1 or 2, or success; never a traceback,
never a half-written file.

Run in-process through click's CliRunner, a few examples an option. `serve` and
`preview` are driven up to the point of starting a server (which is replaced by a
stand-in); `watch` builds once and stops.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnaoc_print.cli.main import main

from conftest import copy_project, keep_only

FEW = settings(
    # A few an option keeps the suite quick; FUZZ_EXAMPLES=50 for a longer hunt.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a user could type: no NUL (no shell can pass one) and no '/' in free text, so a
# value used as a path stays inside the test's folder; paths of every kind below.
typed = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
    max_size=30,
).filter(lambda text: text not in ("..", "."))
numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
paths = st.sampled_from(
    [
        "out/x.pdf",
        "nested/deeper/",
        "a-folder",
        "a-file.txt",
        "x.yml",
        "x.csv",
        "x.yaml",
        "project",
        "project/fonts",
        "project/content/handouts/fuzz.yaml",
        "/proc/no-such-place/x.pdf",
        "missing/rows.csv",
        "~",
        "-",
    ]
)
special = st.sampled_from(
    ["", " ", "\t", "x" * 300, "é" * 3000, "a=" + "b" * 3000, "0", "-1", "99999999", "((x))"]
)
values = st.one_of(special, typed, numbers, paths)

# Enough for each command to reach real work; the value under test comes after.
BASE = {
    "handout": ["--story", "stay", "--question", "What helps?", "-q", "-j", "1"],
    "build": ["-q", "-j", "1"],
    "check": [],
    "list": [],
    "brand export": ["dna-of-care"],
    "brand show": ["dna-of-care"],
    "watch": ["-j", "1"],
    "serve": [],
    "preview": [],
    "new": [],
    "docs": ["--no-open"],
}
# Positional arguments: where the value goes among the others.
ARGUMENT_CASES = [
    ["handout", "VALUE", "-q"],
    ["list", "VALUE"],
    ["list", "questions", "VALUE"],
    ["new", "VALUE", "fuzz-name"],
    ["new", "guide", "VALUE"],
    ["new", "handout", "VALUE"],
    ["new", "brand", "VALUE"],
    ["brand", "export", "VALUE", "-o", "exported"],
    ["brand", "show", "VALUE", "-o", "specimen.pdf"],
]


def commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def option_cases() -> list[list[str]]:
    """One case an option that takes a value, of every command."""
    cases = []
    for name, command in commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag:
                cases.append([*name.split(), *BASE[name], param.opts[0], "VALUE"])
    return cases


CASES = option_cases() + ARGUMENT_CASES


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder to run in, holding a small project: no guides, one handout."""
    folder = tmp_path_factory.mktemp("fuzz-commands")
    project = keep_only(copy_project(folder / "project"), ())
    (project / "content/handouts/fuzz.yaml").write_text(
        "title: Fuzz\nstories: [stay]\nquestions: [What helps?]\n"
    )
    (folder / "a-folder").mkdir()
    (folder / "a-file.txt").write_text("mine\n")
    return folder


@pytest.fixture(autouse=True)
def no_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` stops where it would start listening; `watch` builds once; `docs`
    handles its paths and builds nothing (MkDocs is not run)."""
    import dnaoc_print.build.watching
    import dnaoc_print.web.docs_site
    import dnaoc_print.web.server

    def start(root, settings):
        if not (root / "content").is_dir():
            from dnaoc_print.content.loading import load_project

            load_project(root)
        port = settings.port or 8000
        return SimpleNamespace(port=port, server_port=port)

    class NotBuilt(Exception):
        pass

    def mkdocs():
        return (lambda config: None), (lambda path, **options: None), NotBuilt

    monkeypatch.setattr(dnaoc_print.web.docs_site, "_mkdocs", mkdocs)

    monkeypatch.setattr(dnaoc_print.web.server, "start", start)
    monkeypatch.setattr(dnaoc_print.web.server, "serve_until_stopped", lambda server: None)
    monkeypatch.setattr(dnaoc_print.build.watching, "watch", lambda root, rebuild: rebuild())
    monkeypatch.setattr(click, "launch", lambda url: 0)


def half_written(folder: Path) -> list[str]:
    """Temporary files left behind, and PDFs that are not whole."""
    found = [str(path) for path in folder.rglob("*.part")]
    for pdf in folder.rglob("*.pdf"):
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            found.append(str(pdf))
    return found


def run(workdir: Path, args: list[str]):
    project = str(workdir / "project")
    if not any(arg in ("-C", "--project") for arg in args):
        args = [*args, "-C", project]
    before = Path.cwd()
    os.chdir(workdir)
    try:
        return CliRunner().invoke(main, args)
    finally:
        os.chdir(before)


def assert_clean(result, args: list[str], workdir: Path) -> None:
    shown = f"{args!r}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        shown,
        result.exc_info,
    )
    assert result.exit_code in (0, 1, 2), shown
    assert "Traceback" not in result.output, shown
    assert not half_written(workdir), (shown, half_written(workdir))


def test_every_option_of_every_command_is_covered() -> None:
    covered = {(case[0], case[1]) for case in CASES}
    for name, command in commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag:
                assert [*name.split(), *BASE[name], param.opts[0], "VALUE"] in CASES
    assert ("brand", "export") in covered and ("serve", "--port") in covered


@pytest.mark.parametrize("case", CASES, ids=lambda case: " ".join(case))
@FEW
@given(value=values)
def test_any_value_gives_a_clean_outcome(workdir: Path, case: list[str], value: str) -> None:
    args = [value if part == "VALUE" else part for part in case]
    result = run(workdir, args)
    assert_clean(result, args, workdir)
