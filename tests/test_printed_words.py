"""Every printed word lives in content/ (or a brand file), never in layouts or code.

What the PDFs print comes from two kinds of file besides content: the Jinja layouts
(``layouts/*.html.j2``) and the modules that turn content into a document
(``PRINTING_MODULES``). The rules, read from their source:

- a layout's text (outside tags, ``<style>`` and Jinja) and its text-bearing
  attributes (``alt``, ``aria-label``, ``title``, ``placeholder``, and the PDF's
  author, description and keywords) hold no word at all: labels too come from
  ``words`` (content/shared/wording.yaml);
- no stylesheet in ``layouts/`` prints words through ``content:`` (the guides'
  "Page N of M" is set from the wording in guide.html.j2);
- a string literal inside a layout's Jinja, or in a printing module, holds no
  phrase of two or more words (three for a module, whose literals also name
  things), except in docstrings and in the messages of errors, which the command
  line shows and no PDF prints.

Out of scope: the command line (cli.py), the web composer's own pages, the brand
specimen (`brand show`: the tool's report on a brand for the comms team, like the
command line's; its words are in layouts/brand-specimen.html.j2 alone), scaffold.py
(its starting text is written into content/ as ((placeholders))), and typesetting.py,
which adds nothing to a page (its only phrase is a WeasyPrint log line it matches).
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from dnaoc_print.content.placeholders import find_placeholders

from conftest import PROJECT_ROOT

PRINTING_MODULES = (
    "render/templating",
    "content/specs",
    "render/qr",
    "render/markup",
    "pdf/splitting",
    "model",
    "content/wording",
)
TEXT_ATTRIBUTES = {"alt", "aria-label", "title", "placeholder"}
# Blocks that fill an attribute no one reads (a CSS class), not printed text.
CLASS_BLOCKS = {"body_class"}
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
# A word as prose writes it: letters, perhaps with punctuation around them.
PROSE_WORD = re.compile(r"^[(\"'\u2018\u201c]?[A-Za-z][A-Za-z'\u2019-]*[.,;:!?)\"'\u2019\u201d]*$")
# The layouts of guides and handouts, the documents handed to a room.
REPORTS = {"brand-specimen.html.j2"}
LAYOUTS = sorted(
    path for path in (PROJECT_ROOT / "layouts").glob("*.html.j2") if path.name not in REPORTS
)


class _TextFinder(HTMLParser):
    """Text nodes and text-bearing attribute values of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag in ("style", "script")
        self.found += [value for name, value in attrs if name in TEXT_ATTRIBUTES and value]
        # The PDF's author, description and keywords come from these.
        if tag == "meta" and dict(attrs).get("name") in ("author", "description", "keywords"):
            self.found += [value for name, value in attrs if name == "content" and value]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.found.append(data)


def prose_words(text: str) -> int:
    """How many of the text's space-separated pieces are words as prose writes them."""
    return sum(1 for piece in text.split() if PROSE_WORD.match(piece))


def layout_words(source: str) -> tuple[list[str], list[str]]:
    """(text with words in it, Jinja string literals of two words or more)."""
    data: list[str] = []
    literals: list[str] = []
    blocks: list[str] = []
    tokens = [token for token in jinja2.Environment().lex(source) if token[1] != "whitespace"]
    for index, (_, kind, value) in enumerate(tokens):
        if kind == "data":
            if not (blocks and blocks[-1] in CLASS_BLOCKS):
                data.append(value)
            continue
        if kind == "name" and tokens[index - 1][1] == "block_begin":
            if value == "block":
                blocks.append(tokens[index + 1][2])
            elif value == "endblock" and blocks:
                blocks.pop()
        if kind == "string" and prose_words(value.strip("\"'")) >= 2:
            literals.append(value)
        # Jinja stands for a value: a tag's name right after '<', else a gap.
        data.append("jinja" if re.search(r"</?$", "".join(data[-1:])) else " ")
    finder = _TextFinder()
    finder.feed("".join(data))
    texts = [" ".join(text.split()) for text in finder.found]
    return [text for text in texts if WORD.search(text)], literals


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda path: path.name)
def test_no_layout_prints_words_of_its_own(layout: Path) -> None:
    texts, literals = layout_words(layout.read_text(encoding="utf-8"))
    assert texts == [], f"{layout.name} prints words: put them in content/shared/wording.yaml"
    assert literals == [], f"{layout.name} prints words: put them in content/shared/wording.yaml"


# A quoted string with a letter in it, inside one `content:` declaration.
CSS_WORDS = re.compile(r"content:[^;}\"]*(?:\"[^\"]*\"[^;}\"]*)*?\"[^\"]*[A-Za-z][^\"]*\"")


@pytest.mark.parametrize(
    "stylesheet", sorted((PROJECT_ROOT / "layouts").glob("*.css")), ids=lambda path: path.name
)
def test_no_stylesheet_prints_words(stylesheet: Path) -> None:
    css = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(encoding="utf-8"), flags=re.DOTALL)
    # The escape \A (a forced line break) is a character, not a word.
    css = re.sub(r"\\[Aa](?![0-9A-Za-z])", "", css)
    assert CSS_WORDS.findall(css) == [], stylesheet.name
    assert CSS_WORDS.findall('@page { @bottom-right { content: "Page " counter(page); } }')
    assert CSS_WORDS.findall('a::before { content: "" counter(page) " of"; }')
    assert not CSS_WORDS.findall('a::before { content: ""; position: absolute; } b { top: 0 }')


def test_the_layout_rule_finds_words() -> None:
    source = (
        '<p class="lead">{{ x }} Scan the code</p><img alt="A code">'
        '<style>p { color: red }</style>{{ "two words" if a else b }}<dt>Date</dt>'
    )
    assert layout_words(source) == (["Scan the code", "A code", "Date"], ['"two words"'])


class _ModuleStrings(ast.NodeVisitor):
    """String literals of three words or more that are not docstrings or error messages."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def visit_Raise(self, node: ast.Raise) -> None:
        pass  # an error's message is for the command line

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        # Errors and the problems noted for the command line (``note``, ``Problem``).
        if name.endswith(("Error", "Errors", "fail", "Problem")) or name == "note":
            return
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not isinstance(node.value, ast.Constant):  # a bare string is a docstring
            self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and prose_words(node.value) >= 3:
            self.found.append((node.lineno, node.value))


def module_sentences(source: str) -> list[tuple[int, str]]:
    finder = _ModuleStrings()
    finder.visit(ast.parse(source))
    return finder.found


@pytest.mark.parametrize("module", PRINTING_MODULES)
def test_no_printing_module_holds_a_printed_sentence(module: str) -> None:
    path = PROJECT_ROOT / "src/dnaoc_print" / f"{module}.py"
    assert module_sentences(path.read_text(encoding="utf-8")) == [], path.name


def test_the_module_rule_finds_sentences() -> None:
    source = '''
"""A docstring is not printed."""
LABEL = "Questions to think about"
def f():
    raise ValueError("an error message is not printed")
'''
    assert module_sentences(source) == [(3, "Questions to think about")]


def test_the_shipped_content_holds_no_placeholder() -> None:
    """The example specs leave out what a user must write (their facilitator), rather
    than print a placeholder."""
    assert find_placeholders(PROJECT_ROOT) == []
