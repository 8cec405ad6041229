"""Safe YAML loading that remembers the line of every key and list item.

Content errors must name the line a user has to edit, so mappings and sequences
come back as ``dict``/``list`` subclasses carrying 1-based line numbers. Aliases
are refused outright: content never needs them, and they are the way in for
"billion laughs" expansion bombs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dnaoc_print.errors import ContentError

MAX_YAML_BYTES = 1_000_000


class LineDict(dict):
    """A mapping from YAML with ``line`` (its own) and ``key_lines`` (each key's).

    ``key_sources`` names another file for keys whose value came from elsewhere
    (a command-line flag, a CSV row), so errors point where the value was written;
    ``key_labels`` holds the name the user gave such a value: a flag (``--venue``) or
    a CSV column (``C (Venue)``), so errors speak in the user's terms.
    """

    line: int = 0
    key_lines: dict[str, int]
    key_sources: dict[str, Path]

    @classmethod
    def empty(cls, line: int = 1) -> LineDict:
        mapping = cls()
        mapping.line, mapping.key_lines, mapping.key_sources = line, {}, {}
        return mapping

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)

    def source_of(self, key: str) -> Path | None:
        return getattr(self, "key_sources", {}).get(key)

    def label_of(self, key: str) -> str | None:
        return getattr(self, "key_labels", {}).get(key)

    def put(
        self,
        key: str,
        value: Any,
        line: int | None,
        source: Path | None = None,
        label: str | None = None,
    ) -> None:
        """Set ``key`` as if it had been written on ``line`` of ``source``, where the
        user called it ``label`` (a flag or a CSV column), if it has another name."""
        self[key] = value
        self.key_lines[key] = line
        if source is not None:
            if not hasattr(self, "key_sources"):
                self.key_sources = {}
            self.key_sources[key] = source
        if not hasattr(self, "key_labels"):
            self.key_labels = {}
        if label is not None:
            self.key_labels[key] = label
        else:
            self.key_labels.pop(key, None)

    def remove(self, key: str) -> None:
        """Leave ``key`` out, as if it had never been written."""
        self.pop(key, None)
        for table in ("key_lines", "key_sources", "key_labels"):
            getattr(self, table, {}).pop(key, None)


class LineList(list):
    """A sequence from YAML with ``line`` (its own) and ``item_lines`` (each item's)."""

    line: int = 0
    item_lines: list[int]

    @classmethod
    def of(cls, items: list[Any], line: int | None) -> LineList:
        """A list whose items were all written on one line (a flag, a CSV cell)."""
        sequence = cls(items)
        sequence.line, sequence.item_lines = line, [line] * len(items)
        return sequence

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _LineConstructor:
    """Builds LineDicts and LineLists, recording lines from ``line_offset`` lines in."""

    line_offset = 0

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_yaml_map(self, node):
        data = LineDict.empty(self._line(node))
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in data:
                raise yaml.MarkedYAMLError(
                    problem=f"the key '{key}' appears twice", problem_mark=key_node.start_mark
                )
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = self._line(key_node)

    def construct_yaml_seq(self, node):
        data = LineList()
        data.line = self._line(node)
        data.item_lines = [self._line(child) for child in node.value]
        yield data
        data.extend(self.construct_sequence(node, deep=True))


class _LineLoader(_LineConstructor, yaml.SafeLoader):
    """The pure-Python loader: it can name the line of an alias, to refuse it."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not allowed in content",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# libyaml parses twenty times faster, which a rebuild with nothing to do notices. It
# is used for text without a character YAML refuses; should what it reads hold an
# alias (one node reached twice: see _shares_a_node), the text is read again by the
# Python loader, whose error names the alias's line.
_FastLineLoader = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLineLoader(_LineConstructor, yaml.CSafeLoader):  # type: ignore[no-redef]
        pass


for _loader in (_LineLoader, _FastLineLoader):
    if _loader is None:
        continue
    _loader.add_constructor("tag:yaml.org,2002:map", _loader.construct_yaml_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _loader.construct_yaml_seq)
    # Dates stay strings: content validation parses them and names the line when wrong.
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _loader_for(text: str):
    if _FastLineLoader is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return _LineLoader
    return _FastLineLoader


def _shares_a_node(root: yaml.Node) -> bool:
    """Whether a node is reached twice under ``root``: what an alias (``*name``) is
    once composed. Each node is visited once, so an expansion bomb is not expanded."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _read_document(loader, text: str) -> Any:
    """The one document in ``text``, read by ``loader``; by the Python loader instead
    where libyaml read an alias, or failed on text with an asterisk (an alias, or
    Markdown emphasis YAML cannot start a value with): its errors say what is wrong
    in YAML's terms ("aliases are not allowed", the character found), where libyaml's
    do not."""
    if _FastLineLoader is None or not isinstance(loader, _FastLineLoader):
        return loader.get_single_data()
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        if "*" not in text:
            raise
        node, read_again = None, True
    else:
        read_again = node is not None and _shares_a_node(node)
    if read_again:
        slow = _LineLoader(text)
        slow.line_offset = loader.line_offset
        try:
            return slow.get_single_data()
        finally:
            slow.dispose()
    return None if node is None else loader.construct_document(node)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text from ``path``; syntax errors become a ContentError with the line."""
    loader = None
    try:
        loader = _loader_for(text)(text)
        loader.line_offset = line_offset
        return _read_document(loader, text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = error.problem or error.context or "the YAML is not valid"
        raise ContentError(
            f"YAML error: {problem}",
            path=path,
            line=line,
            hint="check the indentation and quoting on that line",
        ) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1 + line_offset
        raise ContentError(
            f"the file holds a control character (code {error.character:#04x}) YAML cannot read",
            path=path,
            line=line,
            hint="delete the invisible character, or retype the line",
        ) from None
    except yaml.YAMLError as error:
        raise ContentError(f"YAML error: {error}", path=path) from None
    finally:
        if loader is not None:
            loader.dispose()


def check_size(path: Path, display: Path, limit: int, kind: str) -> None:
    """Refuse a file over ``limit`` bytes; ``kind`` says what such a file should be."""
    size = path.stat().st_size
    if size > limit:
        raise ContentError(
            f"file is {size:,} bytes, more than the {limit:,} allowed",
            path=display,
            hint=f"{kind}; is this the right file?",
        )


def read_text(path: Path, display: Path, limit: int = MAX_YAML_BYTES) -> str:
    """Read a UTF-8 text file, with a clear error for oversized or non-UTF-8 files."""
    check_size(path, display, limit, "content files are small text files")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ContentError(
            "file is not UTF-8 text", path=display, line=line, hint="save it as UTF-8"
        ) from None
