"""The one-call helpers: `cite`, `citation`, `bibliography`, and `render` for everything else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from citekit.csl import FORMATS, Result, process
from citekit.csl import Document as _EngineDocument

from . import registry
from .models import Brief, Reference
from .normalize import check_items

__all__ = ["render", "cite", "citation", "bibliography", "Document"]


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}; expected one of {', '.join(FORMATS)}")


def _items(items: Any, *, strict: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """The CSL-JSON items the engine formats, through citekit's one door (`citekit.normalize`),
    and the problems found (strict: the first one raises `ItemError`)."""
    if isinstance(items, (Mapping, Reference, Brief)):
        items = [items]  # one item given where a list is expected
    elif not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
        raise TypeError(f"items is a list of CSL-JSON dicts or citekit models, not {type(items).__name__}")
    out, problems = check_items(items, strict=strict, missing_ids="position")
    return out, [str(p) for p in problems]


def render(style: Any, items: Any, citations: list | None = None, *, locale: str | None = None,
           format: str = "text") -> Result:
    """Format `items` with `style`: citations for the clusters in `citations`, and the bibliography.

    `style` is a name (`"apa"`, `"mla"`, an official id, URL, title or old id), a path to
    a `.csl` file, CSL XML text, or a parsed `Style`. `items` are CSL-JSON dicts or citekit
    models, read leniently by `citekit.normalize`: names and dates written as text are
    read, unknown fields kept, and whatever had to be repaired, kept as written or left
    out is reported in `Result.warnings` (an item that cannot be used is left out). Each
    cluster in `citations` is a list of cite dicts (`id`, `locator`, `label`, `prefix`,
    `suffix`, `suppress-author`, `author-only`) or a citeproc-js citation
    `{"citationItems": [...], "properties": {"noteIndex": n}}`; with `citations=None`
    only the bibliography is made.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    data, problems = _items(items, strict=False)
    result = process(parsed, data, citations, locale=locale, format=format)
    result.warnings[:0] = problems
    return result


def cite(item: Any, style: Any = "apa", format: str = "text", locale: str | None = None) -> str:
    """The full reference for one item, as the style's bibliography prints it.

    `item` is a `Brief`, a `Reference` or a CSL-JSON dict (validated: an `ItemError` names
    the field at fault). For a style without a bibliography, the citation is given instead.
    """
    _check_format(format)
    parsed = registry.resolve(style)
    data = _items([item], strict=True)[0][0]
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
    data = _items([item], strict=True)[0][0]
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
    return process(parsed, _items(items, strict=True)[0], None, locale=locale, format=format).bibliography_block()


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
        data, problems = _items(items, strict=False) if items else ([], [])
        super().__init__(registry.resolve(style), data, locale=locale, format=format)
        self.problems: list[str] = problems  # what reading the items repaired or left out

    def add_items(self, items: Any) -> list:
        data, problems = _items(items, strict=False)
        self.problems.extend(problems)
        return super().add_items(data)

    @property
    def warnings(self) -> list:
        return [*self.problems, *super().warnings]

    def result(self) -> Result:
        result = super().result()
        result.warnings[:0] = self.problems
        return result
