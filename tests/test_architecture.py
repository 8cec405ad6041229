"""The package's shape: sub-packages by stage, imports going down the stages only.

The stages, in the order data flows through them (README, "How it works"):

    content -> brands -> render -> typeset -> pdf -> build -> web -> cli

with ``errors``, ``model`` and ``atomic`` at the top level, below every stage. A
module may import its own stage and any stage before it, never a later one, and no
import may close a cycle. Imports are read with ``ast``, those inside functions and
under ``TYPE_CHECKING`` included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import inspect
import os
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "dnaoc_print"
STAGES = ("content", "brands", "render", "typeset", "pdf", "build", "web", "cli")
# The top level: the one error model, the content model and atomic writes.
FOUNDATION = {"errors", "model", "atomic"}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
MAX_ORCHESTRATOR_LINES = 40


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, package: Path = PACKAGE) -> set[str]:
    """Every dnaoc_print module this file imports, wherever the import stands."""
    found: set[str] = set()
    known = {module_name(p, package) for p in package.rglob("*.py")}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from dnaoc_print.pdf import archive`` imports a module by name.
            named = {f"{node.module}.{alias.name}" for alias in node.names} & known
            found.update(named or {node.module})
    return {name for name in found if name in known}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    return {
        module_name(path, package): imported_modules(path, package) - {module_name(path, package)}
        for path in sorted(package.rglob("*.py"))
    }


def stage_of(module: str) -> int | None:
    """The stage's place in the flow (-1 for the top level; None for the package's
    own face, ``dnaoc_print`` and ``__main__``, which stand outside the stages)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "__main__":
        return None
    if parts[1] in FOUNDATION:
        return -1
    return STAGES.index(parts[1])


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imports in graph.items():
        own = stage_of(module)
        if own is None:
            continue
        for target in sorted(imports):
            stage = stage_of(target)
            if stage is not None and target != "dnaoc_print" and stage > own:
                problems.append(f"{module} imports {target}, a later stage")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the modules on it (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            part = []
            while True:
                member = stack.pop()
                part.append(member)
                if member == module:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_module_lives_in_a_stage() -> None:
    loose = [
        module_name(path)
        for path in PACKAGE.glob("*.py")
        if path.stem not in FOUNDATION | {"__init__", "__main__"}
    ]
    assert loose == []
    assert sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()) == sorted(
        STAGES
    )


def test_each_stage_says_what_it_owns_and_may_import() -> None:
    for stage in STAGES:
        docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert docstring and "May import" in docstring, stage


def test_imports_go_down_the_stages_only() -> None:
    assert upward_imports(import_graph()) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_no_module_is_over_300_lines() -> None:
    long = {
        module_name(path): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines() -> None:
    long = {
        f"{module_name(path)}.{node.name}": node.end_lineno - node.lineno + 1
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_the_orchestrators_read_like_a_table_of_contents() -> None:
    """``build`` and the handout command's batch function fit on a screen."""
    from dnaoc_print.build import engine, handouts

    for function in (engine.build, handouts.make_handouts):
        source = inspect.getsource(function)
        assert len(source.splitlines()) <= MAX_ORCHESTRATOR_LINES, function.__name__


def imports_weasyprint(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "weasyprint" for name in names):
            return True
    return False


def test_only_the_adapter_imports_weasyprint() -> None:
    importers = {module_name(path) for path in PACKAGE.rglob("*.py") if imports_weasyprint(path)}
    adapter = "dnaoc_print.typeset.weasyprint_adapter"
    assert importers and {name.rpartition(".")[0] for name in importers} == {adapter}


# The rules are shown to fail on packages built to break them.


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "dnaoc_print"
    for name, source in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    for stage in STAGES:
        (package / stage).mkdir(exist_ok=True)
        (package / stage / "__init__.py").touch()
    return package


@pytest.mark.parametrize(
    "source",
    [
        "from dnaoc_print.build.planning import plan\n",
        "def f():\n    from dnaoc_print.build import planning\n",
        "import dnaoc_print.build.planning\n",
    ],
)
def test_an_upward_import_is_found(tmp_path: Path, source: str) -> None:
    package = _package(tmp_path, {"content/loading.py": source, "build/planning.py": "plan = 1\n"})
    assert upward_imports(import_graph(package)) == [
        "dnaoc_print.content.loading imports dnaoc_print.build.planning, a later stage"
    ]


def test_a_cycle_is_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "build/jobs.py": "from dnaoc_print.build.pages import typeset\n",
            "build/pages.py": "def typeset():\n    from dnaoc_print.build.jobs import Job\n",
        },
    )
    assert cycles(import_graph(package)) == [["dnaoc_print.build.jobs", "dnaoc_print.build.pages"]]


def test_a_change_to_a_module_in_a_sub_package_rebuilds(tmp_path: Path) -> None:
    """The code fingerprint in the manifest sees every module of every sub-package."""
    import shutil
    import subprocess
    import sys

    from conftest import copy_project, keep_only

    source = tmp_path / "src"
    shutil.copytree(PACKAGE, source / "dnaoc_print", ignore=shutil.ignore_patterns("__pycache__"))
    project = keep_only(copy_project(tmp_path / "project"), (), ())
    # One handout, quick to typeset, that borrows nothing from a guide.
    (project / "content/handouts/quick.yaml").write_text(
        "title: Quick\nstories: [touch]\nquestions: [What helps you stay kind?]\n"
    )

    def build() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "dnaoc_print", "build", "-C", str(project), "-j", "1"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(source)},
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert build().startswith("1 built, 0 up to date")
    assert build().startswith("0 built, 1 up to date")
    module = source / "dnaoc_print/pdf/imposition.py"
    module.write_text(module.read_text() + "\n# a comment is a change too\n")
    assert build().startswith("1 built, 0 up to date")
