"""The one-call helpers: `cite`, `citation`, `bibliography`, and `render` for everything else."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from citekit.csl import FORMATS, Result, process
from citekit.csl import Document as _EngineDocument

from . import registry
from .errors import ItemError
from .models import Brief, Reference, parse_item

__all__ = ["render", "cite", "citation", "bibliography", "Document"]


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}; expected one of {', '.join(FORMATS)}")


def _as_csl(item: Any, position: int, *, validate: bool) -> tuple[dict[str, Any], bool]:
    """The CSL-JSON of one item, and whether its id was made up (not given by the caller)."""
    if isinstance(item, (Reference, Brief)):
        data = item.to_csl()
        made_up = isinstance(item, Brief) and item.id is None
    elif isinstance(item, Mapping):
        data = parse_item(item, position).to_csl() if validate else dict(item)
        made_up = "type" not in item and item.get("id") in (None, "")  # a brief's derived id
    elif callable(getattr(item, "to_csl", None)):
        data, made_up = item.to_csl(), False
    else:
        raise ItemError(f"expected a CSL-JSON dict or a citekit model, got {type(item).__name__}",
                        position=position)
    if data.get("id") in (None, ""):
        # The engine keys everything by id; an item without one gets a stable positional id.
        data, made_up = {**data, "id": f"item-{position}"}, True
    return data, made_up


def _items(items: Any, *, validate: bool) -> list[dict[str, Any]]:
    if isinstance(items, (Mapping, Reference, Brief)):
        items = [items]  # one item given where a list is expected
    elif not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
        raise TypeError(f"items is a list of CSL-JSON dicts or citekit models, not {type(items).__name__}")
    out: list[dict[str, Any]] = []
    first_seen: dict[Any, int] = {}
    for position, item in enumerate(items, 1):
        data, made_up = _as_csl(item, position, validate=validate)
        if not isinstance(data["id"], (str, int, float)):
            # an id must be a key; untrusted data may put anything there (even itself)
            try:
                key = json.dumps(data["id"], sort_keys=True, default=str)
            except (ValueError, TypeError, RecursionError):
                key = f"item-{position}"
            data = {**data, "id": key}
        if data["id"] in first_seen:
            if made_up:  # two briefs by one author in one year: "zissis2006", "zissis2006-2"
                n = 2
                while f"{data['id']}-{n}" in first_seen:
                    n += 1
                data = {**data, "id": f"{data['id']}-{n}"}
            elif validate:
                raise ItemError(f"duplicate id (items {first_seen[data['id']]} and {position})",
                                item_id=data["id"])
        first_seen.setdefault(data["id"], position)
        out.append(data)
    return out


def render(style: Any, items: Any, citations: list | None = None, *, locale: str | None = None,
           format: str = "text") -> Result:
    """Format `items` with `style`: citations for the clusters in `citations`, and the bibliography.

    `style` is a name (`"apa"`, `"mla"`, an official id, URL, title or old id), a path to
    a `.csl` file, CSL XML text, or a parsed `Style`. `items` are CSL-JSON dicts (passed
    to the engine as they are; unknown fields are tolerated) or citekit models. Each
    cluster in `citations` is a list of cite dicts (`id`, `locator`, `label`, `prefix`,
    `suffix`, `suppress-author`, `author-only`) or a citeproc-js citation
    `{"citationItems": [...], "properties": {"noteIndex": n}}`; with `citations=None`
    only the bibliography is made.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    return process(parsed, _items(items, validate=False), citations, locale=locale, format=format)


def cite(item: Any, style: Any = "apa", format: str = "text", locale: str | None = None) -> str:
    """The full reference for one item, as the style's bibliography prints it.

    `item` is a `Brief`, a `Reference` or a CSL-JSON dict (validated: an `ItemError` names
    the field at fault). For a style without a bibliography, the citation is given instead.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    data, _ = _as_csl(item, 1, validate=True)
    result = process(parsed, [data], None, locale=locale, format=format)
    if result.bibliography:
        return result.bibliography[0].text.strip()  # no layout line breaks around one entry
    return _citation(parsed, data, {}, locale, format)


def citation(item: Any, style: Any = "apa", format: str = "text", locale: str | None = None, *,
             locator: str | None = None, label: str | None = None, prefix: str | None = None,
             suffix: str | None = None) -> str:
    """The in-text citation for one item, or for a note style its first (full) note.

    `citation(brief, "apa")` → "(Zissis, 2006)"; `citation(brief, "chicago")` → the first
    footnote. `locator` and `label` ("page", "chapter", ...) point into the work.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    data, _ = _as_csl(item, 1, validate=True)
    extra = {"locator": locator, "label": label, "prefix": prefix, "suffix": suffix}
    return _citation(parsed, data, {k: v for k, v in extra.items() if v is not None}, locale, format)


def _citation(parsed: Any, data: dict[str, Any], extra: dict[str, str], locale: str | None, format: str) -> str:
    # A note style's first note is the citation in note 1; in-text citations sit in no note.
    note_index = 1 if parsed.info.style_class == "note" else 0
    cluster = {"citationItems": [{"id": data["id"], **extra}], "properties": {"noteIndex": note_index}}
    result = process(parsed, [data], [cluster], locale=locale, format=format)
    return result.citations[0] if result.citations else ""


def bibliography(items: Any, style: Any = "apa", format: str = "text", locale: str | None = None) -> str:
    """The whole bibliography of `items` as one string (HTML: a `csl-bib-body` block).

    Items are validated like `cite`'s, then sorted and disambiguated by the style.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    return process(parsed, _items(items, validate=True), None, locale=locale, format=format).bibliography_block()


class Document(_EngineDocument):
    """A document edited one cluster at a time, for editors and word-processor plug-ins.

    `style` and `items` are taken as `render()` takes them (a name, path, XML or parsed
    style; CSL-JSON dicts or citekit models). Every edit (`insert_cluster`,
    `edit_cluster`, `remove_cluster`, `process_citation_cluster`, `add_items`, ...)
    returns the clusters whose text changed; the strings are always those `render()`
    gives for the same document.
    """

    def __init__(self, style: Any, items: Any = (), *, locale: str | None = None, format: str = "text"):
        _check_format(format)
        super().__init__(registry.resolve(style), _items(items, validate=False) if items else (),
                         locale=locale, format=format)

    def add_items(self, items: Any) -> list:
        return super().add_items(_items(items, validate=False))
