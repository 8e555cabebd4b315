"""Line-marked YAML: one SafeLoader subclass shared by every YAML format Setu reads (maps, scenarios,
policy library and screening rules).

It keeps the start mark of each mapping, each key and each list item, so that a rejection can name the
file, the 1-based line and the field (``DataFormatError``). Safe: only plain YAML types are constructed.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from setu.errors import DataFormatError
from setu.sources.text import read_text

__all__ = ["KeyChecks", "LineLoader", "compose", "LineMapping", "LineSequence", "load_marked", "read_text"]


class LineMapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineSequence(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _LineMarks:
    """The constructor's part of :class:`LineLoader`, shared with :class:`FastLineLoader`."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineMapping:  # type: ignore[override]
        first: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            if key in first:
                error = yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice (first on line {first[key]}); keep one",
                    key_node.start_mark)
                error.duplicate_key = str(key)  # type: ignore[attr-defined]  # read by load_marked
                raise error
            first[key] = key_node.start_mark.line + 1
        mapping = LineMapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineSequence:  # type: ignore[override]
        sequence = LineSequence(super().construct_sequence(node, deep=True))
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        return sequence


class LineLoader(_LineMarks, yaml.SafeLoader):
    """SafeLoader that marks lines and refuses a key given twice in one mapping (plain YAML keeps the last
    one silently, so a typo'd copy of a block would override the first without a word)."""


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, LineLoader.construct_sequence)

#: libyaml's parser where PyYAML was built with it (about ten times faster than the pure-Python one)
FastSafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastLineLoader(_LineMarks, FastSafeLoader):  # type: ignore[misc,valid-type]
    """:class:`LineLoader`'s constructor on libyaml's parser: the same marks and checks, read faster. Used for
    text that parses; any failure is read again by :class:`LineLoader`, whose messages are the ones users see."""


FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, FastLineLoader.construct_mapping)
FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, FastLineLoader.construct_sequence)


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (for locating a field's line), through libyaml where there is one; a syntax
    error raises as PyYAML's own parser reports it."""
    if FastSafeLoader is not yaml.SafeLoader:
        try:
            return yaml.compose(text, Loader=FastSafeLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


#: how deeply a document may nest before it is refused (PyYAML recurses once per level)
MAX_DEPTH = 100


def load_marked(text: str, *, file: str, what: str = "YAML") -> Any:
    """Parse ``text`` with ``LineLoader``; any YAML error becomes a located ``DataFormatError``.

    ``yaml.reader.ReaderError`` (a control character such as ``\\x07``, found before parsing starts) is not a
    ``MarkedYAMLError``: it carries a character offset instead of a mark, so the line is counted here.
    """
    depth = _nesting(text)
    if depth is not None:
        raise DataFormatError(f"not valid {what}: nested more than {MAX_DEPTH} levels deep", file=file,
                              line=depth)
    if FastSafeLoader is not yaml.SafeLoader:
        try:
            return yaml.load(text, Loader=FastLineLoader)  # noqa: S506 - SafeLoader's constructor
        except (yaml.YAMLError, RecursionError):
            pass  # read again below, for the message and the line
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - SafeLoader subclass
    except RecursionError:
        raise DataFormatError(f"not valid {what}: nested too deeply", file=file) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1 if line else None
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise DataFormatError(
            f"not valid {what}: character U+{code:04X} at column {column} is not allowed "
            "(a control character); delete it",
            file=file,
            line=line,
        ) from None
    except yaml.MarkedYAMLError as error:
        if hasattr(error, "duplicate_key"):
            raise DataFormatError(str(error.problem), file=file, line=error.problem_mark.line + 1,
                                  field=error.duplicate_key) from None
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise DataFormatError(f"not valid {what}: {error.problem}; fix the syntax", file=file, line=line) from None
    except yaml.YAMLError as error:  # any other reader/parser failure still names the file
        raise DataFormatError(f"not valid {what}: {error}", file=file) from None


def _nesting(text: str) -> int | None:
    """The line where the document first nests deeper than ``MAX_DEPTH`` collections, else None.

    Read from the parser's events (no recursion), so that ``[[[[…]]]]`` a thousand deep is refused with its
    line before the constructor, which recurses per level, would overflow the stack.
    """
    loaders = [FastSafeLoader, yaml.SafeLoader] if FastSafeLoader is not yaml.SafeLoader else [yaml.SafeLoader]
    for loader in loaders:
        try:
            return _depth_beyond(text, loader)
        except yaml.YAMLError:
            continue
    return None  # the loader reports syntax errors with their place


def _depth_beyond(text: str, loader: type) -> int | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


class KeyChecks:
    """Checks every line-marked YAML reader shares. Subclasses provide ``fail(message, mapping, field)``,
    which builds the located error (file, line of the mapping or of the key, field)."""

    def fail(self, message: str, mapping: Any = None, field: str | None = None) -> DataFormatError:
        raise NotImplementedError

    def check_keys(self, mapping: LineMapping, allowed: set[str], what: str) -> None:
        """Reject unknown keys, suggesting the closest allowed one, so typos never pass silently."""
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(sorted(allowed))}"
                raise self.fail(f"unknown key {key!r} in {what}{hint}", mapping, str(key))

    def required(self, mapping: LineMapping, key: str, what: str) -> Any:
        value = mapping.get(key)
        if value is None or value == "":
            raise self.fail(f"{what} has no {key!r}; add `{key}: ...`", mapping)
        return value
