"""CSL-JSON and CSL-YAML (the form pandoc users keep) to CSL-JSON items.

Both are already CSL; reading them means finding the items (a list, one object,
pandoc's `references:` metadata, a Markdown file's YAML front matter), turning the
shortcuts people write by hand into CSL-JSON (dates as strings, names as strings,
YAML dates), and, for YAML, pandoc's Markdown markup in titles into CSL rich text.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from ..models import date_object
from ._common import Problem, date_or_literal, parse_name
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["parse_csljson", "parse_cslyaml", "normalize_item"]

# CSL 1.0.2 name and date variables (plus names citeproc-js accepts).
NAME_VARIABLES = {
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "executive-producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator",
    "translator",
}
DATE_VARIABLES = {"accessed", "available-date", "event-date", "issued", "original-date",
                  "submitted"}
# Variables that carry rich text in CSL-JSON, where pandoc writes Markdown.
_RICH_VARIABLES = {"title", "title-short", "container-title", "container-title-short",
                   "collection-title", "volume-title", "event-title", "original-title",
                   "reviewed-title", "part-title", "note", "abstract"}


# --------------------------------------------------------------------------- normalising


def _date(value: Any) -> Any:
    coerced = date_object(value, parse=date_or_literal)
    if coerced is not None or isinstance(value, str):
        return coerced
    if isinstance(value, dict):
        value = dict(value)
        # pandoc-citeproc's YAML shorthand {year: 2006, month: 12, day: 19}
        if "date-parts" not in value and "year" in value:
            parts = [value.pop(k) for k in ("year", "month", "day") if k in value]
            value["date-parts"] = [parts]
        return value
    return value


def _name(value: Any) -> Any:
    if isinstance(value, str):
        return parse_name(value)
    return value


def normalize_item(item: dict) -> dict:
    """Turn hand-written shortcuts into CSL-JSON; anything already CSL passes unchanged."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in DATE_VARIABLES:
            value = _date(value)
        elif key in NAME_VARIABLES:
            if isinstance(value, (str, dict)):
                value = [value]
            if isinstance(value, list):
                value = [n for n in (_name(v) for v in value) if n]
        elif isinstance(value, (_dt.date, _dt.datetime)):
            value = value.isoformat()
        if value is None:
            continue
        out[key] = value
    if "id" in out and not isinstance(out["id"], str):
        out["id"] = str(out["id"])
    return out


_SKIPPED = object()  # an item already reported as unreadable


def _items_from(data: Any, source: str | None, problems: list[Problem]) -> list[dict]:
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
    items = []
    for index, entry in enumerate(data):
        if entry is _SKIPPED:  # already reported
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(f"item {index + 1} is not an object", None, f"#{index + 1}",
                                    source, skipped=True))
            continue
        items.append(normalize_item(entry))
    return items


# --------------------------------------------------------------------------- JSON


def parse_csljson(text: str, source: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Read CSL-JSON: a list of items, one item, or {"items": [...]}."""
    problems: list[Problem] = []
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except RecursionError:
        return [], [Problem("JSON nested too deeply", None, None, source, skipped=True)]
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", None) or _unreadable(exc)
        return [], [Problem(f"not valid JSON: {msg}", line, None, source, skipped=True)]
    return _items_from(data, source, problems), problems


# --------------------------------------------------------------------------- YAML

# pandoc Markdown that can appear in CSL-YAML titles -> CSL rich text.
_MD_RULES = [
    (re.compile(r"\[([^\[\]]+)\]\{\.nocase\}"), r'<span class="nocase">\1</span>'),
    (re.compile(r"\[([^\[\]]+)\]\{\.smallcaps\}"), r'<span style="font-variant:small-caps;">\1</span>'),
    (re.compile(r"\*\*(?=\S)([^*]+?)(?<=\S)\*\*"), r"<b>\1</b>"),
    (re.compile(r"__(?=\S)([^_]+?)(?<=\S)__"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"<i>\1</i>"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"<i>\1</i>"),
    (re.compile(r"\^(?=\S)([^^\s]+)\^"), r"<sup>\1</sup>"),
    (re.compile(r"(?<!~)~(?=\S)([^~\s]+)~(?!~)"), r"<sub>\1</sub>"),
]


def markdown_to_rich(text: str) -> str:
    """The few Markdown forms pandoc users put in titles: emphasis, strong, nocase ..."""
    if not any(ch in text for ch in "*_[^~"):
        return text
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


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


def _construct(node) -> Any:
    import yaml

    loader = yaml.SafeLoader("")
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


def parse_cslyaml(text: str, source: str | None = None, *,
                  limits: Limits = DEFAULT_LIMITS) -> tuple[list[dict], list[Problem]]:
    """Read CSL-YAML: a list of items, `references:` (pandoc), or Markdown front matter.

    Each item is built on its own, so that one bad item (a number Python cannot read,
    an impossible date, aliases expanding past `limits.yaml_alias_nodes`) is reported
    and skipped while the others are read.
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
    budget = _AliasBudget(limits.yaml_alias_nodes)
    items: list[dict] = []
    for doc in docs:
        nodes = _item_nodes(doc)
        if nodes is None:  # a bare scalar: _items_from says what was expected
            try:
                data = _construct(doc)
            except (ValueError, TypeError, OverflowError, RecursionError, yaml.YAMLError) as exc:
                problems.append(Problem(f"not valid YAML: {_unreadable(exc)}",
                                        doc.start_mark.line + 1 + offset, None, source, skipped=True))
                continue
            if data is not None:
                items.extend(_items_from(data, source, problems))
            continue
        data = []
        for index, node in enumerate(nodes):
            line, key = node.start_mark.line + 1 + offset, f"#{index + 1}"
            if not budget.charge(node):
                problems.append(Problem(f"YAML aliases expand this item by more than {budget.limit:,} "
                                        "nodes and characters (limit yaml_alias_nodes)",
                                        line, key, source, skipped=True))
                data.append(_SKIPPED)
                continue
            try:
                data.append(_construct(node))
            except (ValueError, TypeError, OverflowError, RecursionError, yaml.YAMLError) as exc:
                problems.append(Problem(f"cannot be read: {_unreadable(exc)}", line, key, source,
                                        skipped=True))
                data.append(_SKIPPED)
        for item in _items_from(data, source, problems):
            for key in _RICH_VARIABLES & item.keys():
                if isinstance(item[key], str):
                    item[key] = markdown_to_rich(item[key])
            items.append(item)
    return items, problems
