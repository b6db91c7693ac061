"""The one-call helpers: `cite`, `citation`, `bibliography`, and `render` for everything else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from citekit.csl import FORMATS, Result, process
from citekit.csl import Document as _EngineDocument

from . import registry
from .errors import LocaleNotFound
from .normalize import _model_classes, check_cluster_labels, check_items, check_label

__all__ = ["render", "cite", "citation", "bibliography", "Document", "Format"]

# The output formats (citekit.FORMATS), for type checkers and editors.
Format = Literal["text", "html", "markdown", "rtf", "latex"]


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise ValueError(f"unknown output format {format!r}; expected one of {', '.join(FORMATS)}")


def check_locale(style: Any, locale: str | None) -> None:
    """Raise `LocaleNotFound` (with the closest tags) for a locale no CSL locale file or
    style locale answers to: "german" → "did you mean de-DE?"; None is the style's own."""
    if locale is None:
        return
    import difflib
    import json

    from citekit.csl.locale import _locales_dir, _primary_dialects, normalize_tag, shipped_tags

    tag = normalize_tag(str(locale).strip()) or ""
    tags = shipped_tags()  # read once per process: cite() may be called in a loop with a locale
    own = {normalize_tag(loc.lang) for loc in getattr(style, "locales", ()) if getattr(loc, "lang", None)}
    if tag in tags or tag in own or (tag in _primary_dialects() and _primary_dialects()[tag] in tags):
        return
    try:
        names = json.loads((_locales_dir() / "locales.json").read_text(encoding="utf-8")).get("language-names", {})
    except (OSError, ValueError):
        names = {}
    wanted = str(locale).strip().lower()
    by_name = [t for t, words in names.items() if any(wanted == w.lower() or wanted in w.lower().split() for w in words)]
    lang = tag.split("-")[0].lower()
    same_language = sorted(t for t in tags if t.split("-")[0] == lang)
    close = difflib.get_close_matches(tag, sorted(tags), n=3, cutoff=0.6)
    primaries = [_primary_dialects().get(t.split("-")[0], t) for t in by_name]
    matches = list(dict.fromkeys([*primaries, *by_name, *same_language, *close]))
    raise LocaleNotFound(str(locale), [m for m in matches if m in tags][:4])


def _items(items: Any, *, strict: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """The CSL-JSON items the engine formats, through citekit's one door (`citekit.normalize`),
    and the problems found (strict: the first one raises `ItemError`)."""
    if isinstance(items, (Mapping, *_model_classes())):
        items = [items]  # one item given where a list is expected
    elif not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
        raise TypeError(f"items is a list of CSL-JSON dicts or citekit models, not {type(items).__name__}")
    # lenient: what the models refuse is kept as given and reported (the engine prints what it
    # can, as citeproc-js does); strict: the first problem raises ItemError
    out, problems = check_items(items, strict=strict, missing_ids="position", keep=not strict)
    return out, [str(p) for p in problems]


def render(style: Any, items: Any, citations: list | None = None, *, locale: str | None = None,
           format: Format = "text") -> Result:
    """Format `items` with `style`: citations for the clusters in `citations`, and the bibliography.

    `style` is a name (`"apa"`, `"mla"`, an official id, URL, title or old id), a path to
    a `.csl` file, CSL XML text, or a parsed `Style`. `items` are CSL-JSON dicts or citekit
    models, read leniently by `citekit.normalize`: names and dates written as text are
    read, unknown fields kept, and whatever had to be repaired, kept as written or left
    out is reported in `Result.warnings` (an item that cannot be used is left out). Each
    cluster in `citations` is a list of cite dicts (`id`, `locator`, `label`, `prefix`,
    `suffix`, `suppress-author`, `author-only`) or a citeproc-js citation
    `{"citationItems": [...], "properties": {"noteIndex": n}}`; with `citations=None`
    only the bibliography is made. A citation object is formatted as citeproc-js formats
    the citations of a document (processCitationCluster: cites grouped by `collapse` or
    `cite-group-delimiter` also order by the names they print where the first sort key
    ties); a bare list as it formats a cluster on its own (makeCitationCluster).

        result = render("apa", [item], [[{"id": item["id"], "locator": "3"}]])
        result.citations, result.bibliography, result.warnings
    """
    _check_format(format)
    parsed = registry.resolve(style)
    check_locale(parsed, locale)
    data, problems = _items(items, strict=False)
    labels = check_cluster_labels(citations)
    if labels:  # a label CSL does not know is left out, and reported
        citations = _without_bad_labels(citations)
    result = process(parsed, data, citations, locale=locale, format=format)
    result.warnings[:0] = problems + labels
    return result


def _without_bad_labels(citations: Any) -> Any:
    def clean(cites: Any) -> Any:
        if not isinstance(cites, (list, tuple)):
            return cites
        return [{k: v for k, v in c.items() if k != "label"} if isinstance(c, Mapping) and check_label(c.get("label"))
                else c for c in cites]
    return [({**cl, "citationItems": clean(cl.get("citationItems"))} if isinstance(cl, Mapping) else clean(cl))
            for cl in citations]


def cite(item: Any, style: Any = "apa", format: Format = "text", locale: str | None = None) -> str:
    """The full reference for one item, as the style's bibliography prints it.

    `item` is a `Brief`, a `Reference` or a CSL-JSON dict (checked strictly by
    `citekit.normalize`: an `ItemError` names the item and field at fault). For a style
    without a bibliography, the citation is given instead.

        cite({"type": "book", "title": "Tales", "author": "Poe, Edgar Allan", "issued": 1845})
        # 'Poe, E. A. (1845). Tales.'
    """
    _check_format(format)
    parsed = registry.resolve(style)
    check_locale(parsed, locale)
    data = _items([item], strict=True)[0][0]
    return format_one(parsed, data, locale=locale, format=format)[0]


def citation(item: Any, style: Any = "apa", format: Format = "text", locale: str | None = None, *,
             locator: str | None = None, label: str | None = None, prefix: str | None = None,
             suffix: str | None = None) -> str:
    """The in-text citation for one item, or for a note style its first (full) note.

    `citation(brief, "apa")` → "(Zissis, 2006)"; `citation(brief, "chicago")` → the first
    footnote. `locator` and `label` ("page", "chapter", ...: the CSL locator labels;
    another raises ValueError listing them) point into the work.

        citation(brief, "apa", locator="3")   # '(Zissis, 2006, p. 3)'
    """
    _check_format(format)
    why = check_label(label)
    if why:
        raise ValueError(why)
    parsed = registry.resolve(style)
    check_locale(parsed, locale)
    data = _items([item], strict=True)[0][0]
    extra = {"locator": locator, "label": label, "prefix": prefix, "suffix": suffix}
    return format_one(parsed, data, citation={k: v for k, v in extra.items() if v is not None},
                      locale=locale, format=format)[0]


def format_one(parsed: Any, data: dict[str, Any], *, citation: dict[str, Any] | None = None,
               locale: str | None = None, format: Format = "text") -> tuple[str, list[str]]:
    """One checked CSL-JSON item with a parsed style: its reference (or, with `citation`,
    the cite's extra fields, its citation), and the engine's warnings. For `cite()`,
    `citation()` and the command."""
    if citation is None:
        result = process(parsed, [data], None, locale=locale, format=format)
        if result.bibliography:
            return result.bibliography[0].text.strip(), result.warnings  # no layout line breaks around one entry
        citation = {}
    # A note style's first note is the citation in note 1; in-text citations sit in no note.
    note_index = 1 if parsed.info.style_class == "note" else 0
    cluster = {"citationItems": [{"id": data["id"], **citation}], "properties": {"noteIndex": note_index}}
    result = process(parsed, [data], [cluster], locale=locale, format=format)
    return (result.citations[0] if result.citations else ""), result.warnings


def bibliography(items: Any, style: Any = "apa", format: Format = "text", locale: str | None = None) -> str:
    """The whole bibliography of `items` as one string (HTML: a `csl-bib-body` block).

    Items are checked like `cite`'s, then sorted and disambiguated by the style.

        bibliography([brief, article], style="ieee", format="html")
    """
    _check_format(format)
    parsed = registry.resolve(style)
    check_locale(parsed, locale)
    return process(parsed, _items(items, strict=True)[0], None, locale=locale, format=format).bibliography_block()


class Document(_EngineDocument):
    """A document edited one cluster at a time, for editors and word-processor plug-ins.

    `style` and `items` are taken as `render()` takes them (a name, path, XML or parsed
    style; CSL-JSON dicts or citekit models). Every edit (`insert_cluster`,
    `edit_cluster`, `remove_cluster`, `process_citation_cluster`, `add_items`, ...)
    returns the clusters citeproc-js re-renders (those whose text changed among them);
    the strings are always those `render()` gives for the same document.
    """

    def __init__(self, style: Any, items: Any = (), *, locale: str | None = None, format: Format = "text"):
        _check_format(format)
        parsed = registry.resolve(style)
        check_locale(parsed, locale)
        data, problems = _items(items, strict=False) if items else ([], [])
        super().__init__(parsed, data, locale=locale, format=format)
        self.problems: list[str] = problems  # what reading the items repaired or left out

    def add_items(self, items: Any) -> list:
        data, problems = _items(items, strict=False)
        self.problems.extend(problems)
        return super().add_items(data)

    def __repr__(self) -> str:
        return (f"Document({(self.style.info.id or self.style.info.title)!r}, {len(self._items)} items, "
                f"{len(self._clusters)} clusters, format={self.format!r})")

    @property
    def warnings(self) -> list:
        return [*self.problems, *super().warnings]

    def result(self) -> Result:
        result = super().result()
        result.warnings[:0] = self.problems
        return result

    def _normalize(self, cluster, cid=None) -> dict:
        # every edit passes here: a locator label CSL does not know is reported and left
        # out, as render() does with the same cluster
        labels = check_cluster_labels([cluster])
        if labels:
            self.problems.extend(labels)
            cluster = _without_bad_labels([cluster])[0]
        return super()._normalize(cluster, cid)

    def process_citation_cluster(self, citation, citations_pre=(), citations_post=(), items: Any = ()) -> list:
        data: list = []
        if items:
            data, problems = _items(items, strict=False)
            self.problems.extend(problems)
        return super().process_citation_cluster(citation, citations_pre, citations_post, data)
