"""Reading curated YAML with line numbers, so that every error can say where it is.

Hostile YAML is refused, never half-read: an alias may only stand as the
value of a merge key (``<<: *name``, the one use the data makes of aliases),
so an alias bomb ("billion laughs") cannot expand; nesting is limited to
:data:`MAX_NESTING` levels, so a deep document cannot exhaust the stack.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import yaml

from kg.errors import DataIssue, LoadError

__all__ = ["Located", "LocatedList", "MAX_NESTING", "read_yaml"]

#: deepest nesting of mappings and sequences a data file may have
MAX_NESTING = 32
_MERGE = "tag:yaml.org,2002:merge"


class Located(dict):
    """A mapping read from YAML that remembers its own line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The 1-based line of ``key`` in the file, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence read from YAML that remembers the 1-based line of each item."""

    item_lines: list[int]

    def line_of_item(self, index: int, default: int = 0) -> int:
        """The line of item ``index``, or ``default`` when unknown."""
        return self.item_lines[index] if index < len(self.item_lines) else default


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds :class:`Located` mappings and reports duplicate keys."""

    def __init__(self, stream: str, path: str) -> None:
        super().__init__(stream)
        self.path = path
        self.issues: list[DataIssue] = []
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:  # type: ignore[override]
        """Compose as PyYAML does, refusing aliases outside merge keys and nesting deeper than MAX_NESTING."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            merge = isinstance(parent, yaml.MappingNode) and isinstance(index, yaml.ScalarNode) \
                and index.tag == _MERGE
            if not merge:
                raise yaml.composer.ComposerError(
                    None, None, f"the alias *{event.anchor} is not allowed here: aliases may only be merged "
                                "into a mapping (<<: *name); write the value out", event.start_mark)
            return super().compose_node(parent, index)
        if self.check_event(yaml.MappingStartEvent, yaml.SequenceStartEvent):
            self._depth += 1
            if self._depth > MAX_NESTING:
                raise yaml.composer.ComposerError(None, None, f"the data nests deeper than {MAX_NESTING} levels",
                                                  self.peek_event().start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Located:  # type: ignore[override]
        explicit = {id(key) for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"}
        self.flatten_mapping(node)
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        merged: set[str] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                self.issues.append(DataIssue(self.path, key_node.start_mark.line + 1, "", str(key),
                                             "mapping keys must be plain strings"))
                continue
            key = str(key)
            if id(key_node) not in explicit:
                merged.add(key)
            elif key in merged:  # an explicit key overrides one merged in with <<
                merged.discard(key)
            elif key in mapping:
                self.issues.append(DataIssue(self.path, key_node.start_mark.line + 1, "", key,
                                             "duplicate key in the same mapping"))
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


    def construct_located_sequence(self, node: yaml.SequenceNode) -> LocatedList:
        items = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_located_sequence)


def read_yaml(path: Path) -> Any:
    """Parse ``path`` as YAML and return its data with :class:`Located` mappings.

    Dates written unquoted (``2019-02-13``) come back as ISO strings, so the
    caller sees what the curator typed.

    Raises
    ------
    kg.errors.LoadError
        If the file cannot be read, is not UTF-8, is not valid YAML or repeats a key.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError.single(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise LoadError.single(path, f"cannot read: {exc.strerror}") from exc
    loader = _Loader(text, str(path))
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise LoadError.single(path, f"invalid YAML: {exc.problem or exc}", line=line) from exc
    except yaml.YAMLError as exc:
        raise LoadError.single(path, f"invalid YAML: {exc}") from exc
    except RecursionError as exc:  # the nesting limit comes first; this is the last line of defence
        raise LoadError.single(path, "invalid YAML: the data nests too deeply to be read") from exc
    finally:
        loader.dispose()
    if loader.issues:
        raise LoadError(loader.issues)
    return _normalise(data)


def _normalise(value: Any) -> Any:
    if isinstance(value, Located):
        for key, item in value.items():
            value[key] = _normalise(item)
        return value
    if isinstance(value, LocatedList):
        for index, item in enumerate(value):
            value[index] = _normalise(item)
        return value
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value
