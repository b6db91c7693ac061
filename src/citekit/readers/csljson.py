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

from ._common import Problem

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
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", str(exc))
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


def _dates_as_text_loader():
    import yaml

    # YAML's own dates (2006-12-19 unquoted) stay text: the one date rule reads them, and an
    # impossible one (2001-13-01) is a reported problem, not a crash of the YAML library.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


def _yaml_documents(text: str):
    import yaml

    loader = _dates_as_text_loader()
    # A Markdown file: only its front matter is YAML.
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("---"):
        m = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", stripped, re.S)
        if m:
            return [yaml.load(m.group(1), Loader=loader)]  # noqa: S506 (a SafeLoader)
    return [d for d in yaml.load_all(stripped, Loader=loader) if d is not None]  # noqa: S506


def _yaml_item_lines(text: str, count: int) -> list[int | None]:
    """The line where each item of the (one) YAML list of items starts: the `- ` lines of
    the smallest indent, when there are as many as items (else none are known)."""
    head = text.lstrip("\ufeff")
    end = len(head)
    if head.startswith("---"):  # a Markdown file: only the front matter is YAML
        m = re.search(r"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", head[3:])
        end = m.start() + 3 if m else end
    dashes = [(len(m.group(1)), head.count("\n", 0, m.start()) + 1)
              for m in re.finditer(r"^( *)- ", head[:end], re.M)]
    if not dashes:
        return []
    indent = min(i for i, _ in dashes)
    found = [line for i, line in dashes if i == indent]
    return found if len(found) == count else []


def parse_cslyaml(text: str, source: str | None = None, lines: list | None = None
                  ) -> tuple[list[dict], list[Problem]]:
    """Read CSL-YAML: a list of items, `references:` (pandoc), or Markdown front matter.

    `lines`, when given, receives the line where each item starts (when it can be told).
    """
    import yaml

    problems: list[Problem] = []
    try:
        docs = _yaml_documents(text)
    except RecursionError:
        return [], [Problem("YAML nested too deeply", None, None, source, skipped=True)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return [], [Problem(f"not valid YAML: {reason}", line, None, source, skipped=True)]
    except ValueError as exc:  # a value the YAML library cannot build
        return [], [Problem(f"not valid YAML: {exc}", None, None, source, skipped=True)]
    items: list[dict] = []
    for doc in docs:
        for item in _items_from(doc, source, problems):
            for key in _RICH_VARIABLES & (item.keys() if isinstance(item, dict) else set()):
                if isinstance(item[key], str):
                    item[key] = markdown_to_rich(item[key])
            items.append(item)
    if lines is not None and len(docs) == 1:
        lines.extend(_yaml_item_lines(text, len(items)))
    return items, problems
