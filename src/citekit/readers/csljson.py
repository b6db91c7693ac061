"""CSL-JSON and CSL-YAML (the form pandoc users keep) to CSL-JSON items.

Both are already CSL; reading them means finding the items (a list, one object,
pandoc's `references:` metadata, a Markdown file's YAML front matter) and, for YAML,
turning pandoc's Markdown markup in titles into CSL rich text. The shortcuts people
write by hand (dates and names as text) are read by citekit's one door,
`citekit.normalize`, as for every format.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..csl import lazy
from ._common import Problem, collect
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["parse_csljson", "parse_cslyaml"]

# Variables that carry rich text in CSL-JSON, where pandoc writes Markdown.
_RICH_VARIABLES = {"title", "title-short", "container-title", "container-title-short",
                   "collection-title", "volume-title", "event-title", "original-title",
                   "reviewed-title", "part-title", "note", "abstract"}


def _items_from(data: Any, source: str | None, problems: list[Problem]) -> list[dict]:
    # The records as they are: names and dates written as text, unknown fields ... are
    # read by citekit's one door (citekit.normalize), as for every other format.
    if isinstance(data, dict):
        if isinstance(data.get("references"), list):
            data = data["references"]
        elif isinstance(data.get("items"), list):
            data = data["items"]
        else:
            data = [data]
    if not isinstance(data, list):
        problems.append(Problem("expected a CSL item, a list of items or `references:`",
                                None, None, source, skipped=True))
        return []
    return list(data)


# --------------------------------------------------------------------------- JSON


def parse_csljson(text: str, source: str | None = None, lines: list | None = None
                  ) -> tuple[list[dict], list[Problem]]:
    """Read CSL-JSON: a list of items, one item, or {"items": [...]}.

    `lines`, when given, receives the line where each item starts (for a top-level list).
    """
    problems: list[Problem] = []
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except RecursionError:
        return [], [Problem("JSON nested too deeply", None, None, source, skipped=True)]
    except ValueError as exc:
        msg = getattr(exc, "msg", None) or _unreadable(exc)
        if msg == "Extra data" and text.lstrip().startswith("{"):
            first, _, rest = text.lstrip().partition("\n")
            if looks_like_json_lines(first, rest):  # JSON Lines: one item a line
                return _collect_json_lines(text, source, lines)
        line = getattr(exc, "lineno", None)
        return [], [Problem(f"not valid JSON: {msg}", line, None, source, skipped=True)]
    if lines is not None and isinstance(data, list):
        lines.extend(_item_lines(text, len(data)))
    elif lines is not None and isinstance(data, dict) and not any(isinstance(data.get(k), list) for k in ("items", "references")):
        lines.append(text.count("\n", 0, len(text) - len(text.lstrip())) + 1)  # one item
    return _items_from(data, source, problems), problems


def _item_lines(text: str, count: int) -> list[int | None]:
    """The line where each element of a top-level JSON list starts (the text is valid JSON)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\r\n]*")
    pos = ws.match(text, 0).end() + 1  # after "["
    line, counted, out = 1, 0, []
    for _ in range(count):
        pos = ws.match(text, pos).end()
        line += text.count("\n", counted, pos)
        counted = pos
        out.append(line)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return out + [None] * (count - len(out))
        pos = ws.match(text, pos).end() + 1  # after "," or "]"
    return out


# --------------------------------------------------------------------------- YAML

# pandoc Markdown that can appear in CSL-YAML titles -> CSL rich text.
_MD_RULES_SOURCE = (
    (r"\[([^\[\]]+)\]\{\.nocase\}", r'<span class="nocase">\1</span>'),
    (r"\[([^\[\]]+)\]\{\.smallcaps\}", r'<span style="font-variant:small-caps;">\1</span>'),
    (r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*", r"<b>\1</b>"),
    (r"__(?=\S)([^_]+?)(?<=\S)__", r"<b>\1</b>"),
    (r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"<i>\1</i>"),
    (r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])", r"<i>\1</i>"),
    (r"\^(?=\S)([^^\s]+)\^", r"<sup>\1</sup>"),
    (r"(?<!~)~(?=\S)([^~\s]+)~(?!~)", r"<sub>\1</sub>"),
)
_MD_RULES: list | None = None  # compiled on first use: most inputs hold no Markdown


def markdown_to_rich(text: str) -> str:
    """The few Markdown forms pandoc users put in titles: emphasis, strong, nocase ..."""
    if not any(ch in text for ch in "*_[^~"):
        return text
    global _MD_RULES
    if _MD_RULES is None:
        _MD_RULES = [(re.compile(p), r) for p, r in _MD_RULES_SOURCE]
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _dates_as_text_loader():
    import yaml

    # YAML's own dates (2006-12-19 unquoted) stay text: the one date rule reads them, and an
    # impossible one (2001-13-01) is a reported problem, not a crash of the YAML library.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


def _yaml_documents(text: str) -> tuple[list, int]:
    """The composed (not yet constructed) YAML documents, node graphs with aliases shared,
    and the number of lines before the YAML (a Markdown file's `---` line)."""
    import yaml

    # A Markdown file: only its front matter is YAML.
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("---"):
        m = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", stripped, re.S)
        if m:
            offset = stripped.count("\n", 0, m.start(1))
            try:
                node = yaml.compose(m.group(1), Loader=yaml.SafeLoader)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                if mark is not None:
                    mark.line += offset
                raise
            return ([node] if node is not None else []), offset
    return list(yaml.compose_all(stripped, Loader=yaml.SafeLoader)), 0


def _item_nodes(node) -> list | None:
    """The nodes of the items in a document (a list, `references:`/`items:`, one item); None if neither."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        for wanted in ("references", "items"):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == wanted \
                        and isinstance(value, yaml.SequenceNode):
                    return list(value.value)
        return [node]
    return None


class _AliasBudget:
    """What YAML aliases may add to the items read, in nodes and scalar characters (`yaml_alias_nodes`).

    PyYAML shares an anchored node between its aliases, so a 756-byte file can describe
    a tree of 9**9 nodes that is cheap to hold but not to print. The size of each item
    as it will be used (every alias expanded) is measured on the node graph with a walk
    that stops as soon as aliases have added more than the budget: the work is bounded
    by the file's size plus the limit, and a self-referring alias is caught the same way.
    (The nodes are held by the composed documents while the budget lives, so their ids
    are not reused.)
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.remaining = limit
        # Nodes met once already, in this item or an earlier one: a node shared between
        # items is free only the first time, so many items aliasing one big anchor are charged.
        self.seen: set[int] = set()

    def charge(self, node) -> bool:
        import yaml

        seen = self.seen
        total = distinct = 0
        stack = [node]
        while stack:
            current = stack.pop()
            weight = 1 + (len(current.value) if isinstance(current, yaml.ScalarNode) else 0)
            total += weight
            if id(current) not in seen:
                seen.add(id(current))
                distinct += weight
            if total - distinct > self.remaining:
                return False
            if isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
            elif isinstance(current, yaml.MappingNode):
                for key, value in current.value:
                    stack.append(key)
                    stack.append(value)
        self.remaining -= total - distinct
        return True


def _construct(node, loader_class) -> Any:
    loader = loader_class("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _unreadable(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if "integer string conversion" in text:
        return "a number with more than 4,300 digits (write it as a string)"
    return " ".join(text.split()) or type(exc).__name__


def parse_cslyaml(text: str, source: str | None = None, lines: list | None = None, *,
                  limits: Limits = DEFAULT_LIMITS) -> tuple[list[dict], list[Problem]]:
    """Read CSL-YAML: a list of items, `references:` (pandoc), or Markdown front matter.

    `lines`, when given, receives the line where each item starts. Each item is built on
    its own, so that one bad item (a number Python cannot read, aliases expanding past
    `limits.yaml_alias_nodes`) is reported and skipped while the others are read.
    """
    import yaml

    problems: list[Problem] = []
    try:
        docs, offset = _yaml_documents(text)
    except RecursionError:
        return [], [Problem("YAML nested too deeply", None, None, source, skipped=True)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return [], [Problem(f"not valid YAML: {reason}", line, None, source, skipped=True)]
    loader_class = _dates_as_text_loader()
    budget = _AliasBudget(limits.yaml_alias_nodes)
    unbuildable = (ValueError, TypeError, OverflowError, RecursionError, yaml.YAMLError)
    items: list[Any] = []
    item_lines: list[int | None] = []
    for doc in docs:
        nodes = _item_nodes(doc)
        if nodes is None:  # a bare scalar: _items_from says what was expected
            try:
                data = _construct(doc, loader_class)
            except unbuildable as exc:
                problems.append(Problem(f"not valid YAML: {_unreadable(exc)}",
                                        doc.start_mark.line + 1 + offset, None, source, skipped=True))
                continue
            if data is not None:
                found = _items_from(data, source, problems)
                items.extend(found)
                item_lines.extend([None] * len(found))
            continue
        for index, node in enumerate(nodes):
            line, key = node.start_mark.line + 1 + offset, f"#{index + 1}"
            if not budget.charge(node):
                problems.append(Problem(f"YAML aliases expand this item by more than {budget.limit:,} "
                                        "nodes and characters (limit yaml_alias_nodes)",
                                        line, key, source, skipped=True))
                continue
            try:
                item = _construct(node, loader_class)
            except unbuildable as exc:
                problems.append(Problem(f"cannot be read: {_unreadable(exc)}", line, key, source,
                                        skipped=True))
                continue
            for name in _RICH_VARIABLES & (item.keys() if isinstance(item, dict) else set()):
                if isinstance(item[name], str):
                    item[name] = markdown_to_rich(item[name])
            items.append(item)
            item_lines.append(line)
    if lines is not None:
        lines.extend(item_lines)
    return items, problems


# --------------------------------------------------------------------------- streaming

_WS = " \t\r\n"
_STRUCTURE = lazy.pattern(globals(), "_STRUCTURE", r'[\[\]{},"]')
_STRING_REST = lazy.pattern(globals(), "_STRING_REST", r'(?:[^"\\]|\\.)*"', re.S)


def _load_json(text: str):
    """json.loads, with Python's own limits (deep nesting, huge numbers) as ValueErrors."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _json_problem(exc: Exception, line: int, source: str | None) -> Problem:
    if str(exc) == "JSON nested too deeply":
        return Problem("JSON nested too deeply", line, None, source, skipped=True)
    at = line + (getattr(exc, "lineno", 1) or 1) - 1
    msg = getattr(exc, "msg", None) or _unreadable(exc)
    return Problem(f"not valid JSON: {msg}", at, None, source, skipped=True)


def iter_json_array(lines, source: str | None = None):
    """Read a top-level JSON array from (position, line) pairs an element at a time:
    yields (element, line where it starts), and a `Problem` where the JSON is broken
    (the elements after it cannot be told apart, so reading stops there). Only the
    element being read is held, whatever the length of the array."""
    it = iter(lines)
    buf, line, done = "", 1, False

    def more() -> bool:
        nonlocal buf, done
        if done:
            return False
        got = []
        size = 0
        for _, text in it:
            got.append(text)
            size += len(text)
            if size >= 65536:
                break
        else:
            done = True
        buf += "".join(got)
        return bool(got)

    def skip_ws(i: int) -> int:
        nonlocal line
        while True:
            j = i
            while j < len(buf) and buf[j] in _WS:
                j += 1
            line += buf.count("\n", i, j)
            if j < len(buf) or not more():
                return j
            i = j

    more()
    if buf.startswith("\ufeff"):
        buf = buf[1:]
    i = skip_ws(0)
    if i >= len(buf) or buf[i] != "[":
        yield Problem("not valid JSON: expected an array", line, None, source, skipped=True)
        return
    i = skip_ws(i + 1)
    if i < len(buf) and buf[i] == "]":
        i = skip_ws(i + 1)
        if i < len(buf):
            yield Problem("not valid JSON: Extra data", line, None, source, skipped=True)
        return
    while True:
        # the element: up to the comma or bracket at depth 0 (strings skipped whole)
        start, j, depth = i, i, 0
        end = None
        while end is None:
            m = _STRUCTURE.search(buf, j)
            if m is None:
                if not more():
                    break
                continue
            c, j = m.group(), m.end()
            if c == '"':
                s = _STRING_REST.match(buf, j)
                while s is None or (s.end() == len(buf) and not done):
                    if not more():
                        break
                    s = _STRING_REST.match(buf, j)
                if s is None:
                    break
                j = s.end()
            elif c in "[{":
                depth += 1
            elif c in "]}" and depth:
                depth -= 1
            elif depth == 0:  # "," or "]" ends the element
                end = m.start()
        if end is None:
            yield Problem("not valid JSON: the array is not closed", line, None, source, skipped=True)
            return
        text = buf[start:end]
        try:
            value = _load_json(text)
        except ValueError as exc:
            yield _json_problem(exc, line, source)
            return
        yield value, line
        line += text.count("\n")
        closing = buf[end]
        buf, i = buf[end + 1:], 0
        i = skip_ws(0)
        if closing == "]":
            if i < len(buf):
                yield Problem("not valid JSON: Extra data", line, None, source, skipped=True)
            return
        if i < len(buf) and buf[i] == "]":
            yield Problem("not valid JSON: a comma before the closing bracket", line, None, source, skipped=True)
            return


def iter_json_lines(lines, source: str | None = None):
    """Read JSON Lines (one JSON value a line) from (position, line) pairs: yields
    (value, line number), and a `Problem` for a line that is not JSON (the next lines
    are still read)."""
    number = 0
    for _, text in lines:
        number += 1
        text = text.strip(_WS + "\ufeff")
        if not text:
            continue
        try:
            yield _load_json(text), number
        except ValueError as exc:
            yield _json_problem(exc, number, source)


def looks_like_json_lines(first: str, rest: str) -> bool:
    """Whether a text whose first non-blank line is `first` (followed by `rest`) is JSON
    Lines: that line is a JSON value on its own, and another follows."""
    try:
        _load_json(first)
    except ValueError:
        return False
    return bool(rest.strip())


def _collect_json_lines(text: str, source: str | None, lines: list | None) -> tuple[list, list[Problem]]:
    return collect(iter_json_lines(((0, line) for line in text.split("\n")), source), lines)
