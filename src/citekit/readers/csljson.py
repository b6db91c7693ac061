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
        msg = getattr(exc, "msg", str(exc))
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


def _yaml_documents(text: str):
    import yaml

    # A Markdown file: only its front matter is YAML.
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("---"):
        m = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", stripped, re.S)
        if m:
            return [yaml.safe_load(m.group(1))]
    return [d for d in yaml.safe_load_all(stripped) if d is not None]


def parse_cslyaml(text: str, source: str | None = None) -> tuple[list[dict], list[Problem]]:
    """Read CSL-YAML: a list of items, `references:` (pandoc), or Markdown front matter."""
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
    items: list[dict] = []
    for doc in docs:
        for item in _items_from(doc, source, problems):
            for key in _RICH_VARIABLES & item.keys():
                if isinstance(item[key], str):
                    item[key] = markdown_to_rich(item[key])
            items.append(item)
    return items, problems
