"""Citations in Markdown documents, the way pandoc's `--citeproc` resolves them.

The processor reads the front matter and the citations (see `syntax`), asks the engine
for every cluster in document order (one run, so numbering, positions such as ibid,
disambiguation and collapsing are the engine's), then writes the document back:
citations replaced by their text, or for note styles by footnotes; the bibliography in
the `::: {#refs}` div or at the end. Nothing is converted but the citations: the rest
of the Markdown is left as written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import syntax

DEFAULT_STYLE = "chicago-author-date"  # pandoc's default style
TARGETS = ("markdown", "html", "plain")
_NOTE_PUNCT = ".,;:!?"

# Front-matter keys that are about citations: read here, and not written back.
CITATION_KEYS = ("bibliography", "references", "csl", "citation-style", "lang", "nocite", "link-citations",
                 "link-bibliography", "reference-section-title", "suppress-bibliography",
                 "notes-after-punctuation", "citation-abbreviations")


@dataclass(frozen=True)
class PlacedCitation:
    """One citation as placed: `author` stays in the sentence (author-in-text citations),
    `text` goes in the sentence or, when `note` is set, in that footnote."""

    keys: tuple
    author: str
    text: str
    note: int | None  # the footnote number a note style's citation becomes
    in_note: bool  # it sits in a footnote of the document's own


@dataclass
class RenderedDocument:
    """What `render_markdown` returns: `text` is the document; the rest is for callers
    that want the pieces (`citations` in document order, as placed in the text or in
    their note; `bibliography` as (id, text) entries; `warnings`)."""

    text: str
    citations: list[str] = field(default_factory=list)
    bibliography: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    style: Any = None
    placed: list = field(default_factory=list)  # a PlacedCitation per citation, in document order

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- front matter

_FRONT_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict, str, str]:
    """(metadata, the front matter's own text, the body). A YAML block at the very start
    is the front matter, as in pandoc; text without one has empty metadata."""
    m = _FRONT_RE.match(text)
    if not m:
        return {}, "", text
    import yaml

    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise ValueError(f"the YAML front matter is not valid{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        return {}, "", text  # `---` that opens no mapping: a horizontal rule, not metadata
    return data, m.group(0), text[m.end():]


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def _meta_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------- references

def _as_items(references: Any, base: Path | None, warnings: list[str]) -> list[dict]:
    """CSL-JSON dicts from what a caller passes: paths, items, models, or a list of them."""
    if references is None:
        return []
    if isinstance(references, (str, Path)) or not isinstance(references, Iterable) or isinstance(references, Mapping):
        references = [references]
    items: list[dict] = []
    for ref in references:
        if isinstance(ref, (str, Path)):
            items.extend(_read_file(ref, base, warnings))
        elif isinstance(ref, Mapping):
            items.append(dict(ref))
        elif callable(getattr(ref, "to_csl", None)):
            items.append(ref.to_csl())
        else:
            raise TypeError(f"a reference is a CSL-JSON dict, a citekit model or a file path, "
                            f"not {type(ref).__name__}")
    return items


def _read_file(name: str | Path, base: Path | None, warnings: list[str]) -> list[dict]:
    from citekit.readers import load

    path = Path(name).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    result = load(path)  # a Path: a file (a str would be read as text); unreadable: ReaderError
    warnings.extend(str(p) for p in result.problems)
    return list(result.items)


def _inline_references(value: Any, warnings: list[str]) -> list[dict]:
    if not value:
        return []
    if not isinstance(value, list):
        warnings.append("front matter: `references` is a list of CSL items; ignored")
        return []
    out = []
    for n, item in enumerate(value, 1):
        if isinstance(item, dict) and item.get("id") not in (None, ""):
            out.append(_plain_yaml(item))
        else:
            warnings.append(f"front matter: reference {n} has no id; ignored")
    return out


def _plain_yaml(value: Any) -> Any:
    """YAML gives dates as date objects and numbers as ints; CSL-JSON wants text."""
    import datetime

    if isinstance(value, dict):
        return {str(k): _plain_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_yaml(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return value


# --------------------------------------------------------------------------- locale words

_WORDS_CACHE: dict = {}


def label_words(style: Any, locale: str | None) -> dict[str, str]:
    """Locator words pandoc recognizes: the locale's terms for each locator label (long
    and short, singular and plural), with the English ones as a fallback."""
    key = (id(style), locale)
    hit = _WORDS_CACHE.get(key)
    if hit is not None and hit[0] is style:  # the style is kept, so its id is not reused
        return hit[1]
    words: dict[str, str] = {}
    tags = [locale, "en-US"] if locale and not locale.lower().startswith("en-us") else [locale]
    for tag in reversed(tags):  # the requested locale wins over the English fallback
        loc = style.locale(tag)
        for label in syntax.LOCATOR_LABELS:
            for form in ("long", "short"):
                for plural in (False, True):
                    text = loc.term_text(label, form, plural)
                    if text and not text.isspace():
                        words[text.lower().strip()] = label
    if len(_WORDS_CACHE) > 64:
        _WORDS_CACHE.clear()
    _WORDS_CACHE[key] = (style, words)
    return words


# --------------------------------------------------------------------------- the processor

@dataclass
class _Event:
    citation: syntax.Citation
    note_index: int  # the footnote the citation sits in or becomes (0: in the main text)
    in_note: bool  # inside a footnote the author wrote
    makes_note: bool  # a note style's citation in the main text: it becomes a footnote
    cluster: int | None = None  # index into the engine's clusters
    author_cluster: tuple | None = None  # (key, position) of the author-only form it needs
    missing: list = field(default_factory=list)
    text: str = ""  # the rendered citation
    author: str = ""  # author-in-text: the name(s) that stay in the sentence


class _Formats:
    """What differs between the Markdown and plain-text targets."""

    def __init__(self, target: str, link_base: str = ""):
        self.engine = "text" if target == "plain" else "markdown"
        self.link_base = link_base

    def strong(self, text: str) -> str:
        return f"**{_md_escape(text)}**" if self.engine == "markdown" else text

    def escape(self, text: str) -> str:
        return _md_escape(text) if self.engine == "markdown" else text

    def link(self, text: str, key: str) -> str:
        if self.engine != "markdown":
            return text
        target = f"{self.link_base}#ref-{key}"
        if re.search(r"[\s()<>]", target):
            target = "<" + target.replace(">", "%3E").replace("<", "%3C") + ">"
        return f"[{text}]({target})"


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)


def _html_escape(text: str) -> str:
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;").replace('"', "&#34;")


def render_markdown(text: str, references: Any = None, *, style: Any = None, locale: str | None = None,
                    to: str = "markdown", base_dir: str | Path | None = None,
                    link_citations: bool | None = None, bibliography: bool | None = None,
                    nocite: Iterable[str] = (), link_base: str = "",
                    html_bibliography: bool = False, read_files: bool = True) -> RenderedDocument:
    """Resolve pandoc-style citations in Markdown `text`, as `pandoc --citeproc` does.

    `references`: a file name or a list of them (CSL-JSON, CSL-YAML, BibTeX, RIS), CSL-JSON
    dicts or citekit models; without it, the front matter's `bibliography` is read
    (relative to `base_dir`). `style` and `locale` win over the front matter's `csl` and
    `lang` (default style: chicago-author-date). `to`: "markdown", "html" (through
    Python-Markdown) or "plain". Returns a `RenderedDocument`; keys not found are shown as
    **key?** and listed in its `warnings`. See docs/documents.md.

    The keyword arguments past `link_citations` are for the MkDocs plugin and the Markdown
    extension: `bibliography=False` leaves the bibliography out, `nocite` adds keys to it,
    `link_base` is the page that holds the bibliography, and `html_bibliography` writes it
    as an HTML block (Python-Markdown has no fenced divs). `read_files=False` is for
    documents from people you do not trust: their front matter may then name no file
    (`bibliography`, a `.csl` path), only styles by name and inline `references`.
    """
    if to not in TARGETS:
        raise ValueError(f"unknown target {to!r}; expected one of {', '.join(TARGETS)}")
    if to == "html":
        from .html import markdown_to_html

        doc = render_markdown(text, references, style=style, locale=locale, base_dir=base_dir,
                              link_citations=link_citations, bibliography=bibliography, nocite=nocite,
                              link_base=link_base, html_bibliography=True, read_files=read_files)
        doc.text = markdown_to_html(doc.text)
        return doc
    from citekit import registry
    from citekit.api import Document as EngineDocument
    from citekit.api import render as engine_render

    warnings: list[str] = []
    crlf = "\r\n" in text  # read with \n line ends, written back with the document's own
    if crlf:
        text = text.replace("\r\n", "\n")
    meta, front, body = split_front_matter(text)
    base = Path(base_dir) if base_dir is not None else None

    # Arguments win over the front matter, as pandoc's command-line flags do.
    style_name = style if style is not None else (meta.get("csl") or meta.get("citation-style") or DEFAULT_STYLE)
    if not read_files and style is None and isinstance(style_name, str) and re.search(r"[/\\]|\.csl$|^\s*<", style_name):
        warnings.append(f"front matter: csl {style_name!r} names a file, which is not read here; "
                        f"using {DEFAULT_STYLE}")
        style_name = DEFAULT_STYLE
    if isinstance(style_name, str) and base is not None and style_name.endswith(".csl") \
            and not Path(style_name).is_absolute() and (base / style_name).is_file():
        style_name = str(base / style_name)
    parsed = registry.resolve(style_name)
    lang = locale or _meta_text(meta.get("lang"))
    if meta.get("citation-abbreviations"):
        warnings.append("front matter: citation-abbreviations is not supported; the full titles are used")
    note_style = parsed.info.style_class == "note"
    items = _as_items(references, base, warnings)
    meta_bib = meta.get("bibliography")
    if meta_bib and references is None and not read_files:
        warnings.append("front matter: bibliography files are not read here; give the references as an argument")
    elif meta_bib and references is None:
        items.extend(_as_items([str(b) for b in (meta_bib if isinstance(meta_bib, list) else [meta_bib])],
                               base, warnings))
    items.extend(_inline_references(meta.get("references"), warnings))
    by_id: dict[str, dict] = {}
    for item in items:
        iid = str(item.get("id", ""))
        if iid and iid not in by_id:
            by_id[iid] = item

    fmt = _Formats(to, link_base)
    found = syntax.scan(body, label_words(parsed, lang))
    events, numbers = _order(found, note_style)

    # -- the clusters, in document order ---------------------------------------------
    clusters: list[dict] = []
    cited: dict[str, None] = {}
    seen_keys: set[str] = set()
    warned: set[str] = set()
    for ev in events:
        cit = ev.citation
        specs = []
        for n, c in enumerate(cit.cites):
            if c.key not in by_id:
                ev.missing.append(c)
                if c.key not in warned:
                    warned.add(c.key)
                    warnings.append(f"citation {c.key!r} not found in the references")
                continue
            spec: dict = {"id": c.key}
            if c.locator:
                spec["locator"], spec["label"] = c.locator, c.label or "page"
            if c.prefix:
                spec["prefix"] = _affix(c.prefix) + " "
            if c.suffix:
                suffix = c.suffix if c.suffix[:1] in (" ", ",", ";", ".", ":") else " " + c.suffix
                spec["suffix"] = _affix(suffix)
            author_in_text = cit.in_text and n == 0
            if c.suppress_author or author_in_text:
                spec["suppress-author"] = True
            if author_in_text:
                ev.author_cluster = (c.key, 1 if c.key in seen_keys else 0)
            specs.append(spec)
            seen_keys.add(c.key)
            cited.setdefault(c.key, None)
        if specs:
            ev.cluster = len(clusters)
            clusters.append({"citationItems": specs, "properties": {"noteIndex": ev.note_index}})

    extra = _nocite(meta.get("nocite"), by_id, warnings, warned)
    extra += [k for k in nocite if k in by_id]
    for key in extra:
        cited.setdefault(key, None)
    run_items = [by_id[k] for k in cited]
    # One engine document for both passes: the author-in-text names are asked for in a
    # second set of clusters (so they take no part in positions), and what the engine
    # keeps between runs (normalized items, sort keys, names) is computed once.
    engine_doc = EngineDocument(parsed, run_items, locale=lang, format=fmt.engine)
    engine_doc.set_clusters(clusters)
    result = engine_doc.result()
    warnings.extend(w for w in result.warnings if "renders nothing" not in w)
    authors: dict = {}
    wanted = {ev.author_cluster for ev in events if ev.author_cluster is not None}
    if wanted:
        # One author-only cluster per item in the items' own order (so the engine numbers
        # and sorts them as before and reuses its sort keys), then the subsequent forms.
        order = [(k, 0) for k in cited] + [(k, 1) for k in cited if (k, 1) in wanted]
        engine_doc.set_clusters([{"citationItems": [{"id": k, "author-only": True, "position": p}],
                                  "properties": {"noteIndex": 1 if note_style else 0}} for k, p in order])
        authors = dict(zip(order, engine_doc.citations))

    layout = parsed.citation.child("layout") if parsed.citation is not None else None
    lay_prefix = layout.prefix if layout is not None else ""
    lay_suffix = layout.suffix if layout is not None else ""
    lay_delim = (layout.delimiter if layout is not None and layout.delimiter is not None else "; ")
    show_bib = not _flag(meta.get("suppress-bibliography"), False) and bibliography is not False \
        and parsed.bibliography is not None
    # citations link to entries shown here, or on the page `link_base` names
    bib_ids = {e.id for e in result.bibliography} if show_bib else (set(cited) if link_base else set())
    links = _flag(meta.get("link-citations"), False) if link_citations is None else link_citations
    links = links and not note_style and fmt.engine != "text"

    # cites stay in the order written (and apart) unless the style sorts or collapses them
    # (grouping by author moves only cites of one author, so works of different authors
    # keep their order under collapse)
    sorts = layout is None or parsed.citation.child("sort") is not None
    collapses = parsed.citation is not None and bool(parsed.citation.attrs.get("collapse"))
    ibid = (parsed.locale(lang).term_text("ibid") or "").rstrip(".").capitalize()
    # -- each citation's text ----------------------------------------------------------
    for ev in events:
        text = result.citations[ev.cluster] if ev.cluster is not None else ""
        keys = [c.key for c in ev.citation.cites if c.key in by_id]
        if ev.author_cluster is not None:
            author = _strip_affixes(authors[ev.author_cluster], fmt.escape(lay_prefix), fmt.escape(lay_suffix))
            if re.search(r"\w", author) and "CSL STYLE ERROR" not in author:
                ev.author = fmt.link(author, keys[0]) if links and keys[0] in bib_ids else author
        if links and text and keys and all(k in bib_ids for k in keys):
            keeps_order = not sorts and (not collapses or len({_first_author(by_id[k]) for k in keys}) == len(keys))
            text = _linked(text, ev, keys, fmt, lay_prefix, lay_suffix, lay_delim, keeps_order)
        if ev.missing:
            text = _with_missing(text, ev, fmt, lay_prefix, lay_suffix, lay_delim, note_style)
        if note_style and ev.in_note and text:
            # pandoc: a citation inside the author's own footnote runs in its text, in
            # parentheses unless the author is named in the sentence
            text = _drop_suffix(text, fmt.escape(lay_suffix))
            if text.startswith(ibid) and ibid:
                text = text[0].lower() + text[1:]
            if not ev.citation.in_text:
                text = f"({text})"
            elif ev.author:  # pandoc: "Smith and Roe, ibid., 40"
                ev.author, text = f"{ev.author}, {text}", ""
        if ev.makes_note and text:
            text = _capitalize_first(text)
        ev.text = text

    bib_html = None
    if html_bibliography and show_bib and result.bibliography and fmt.engine == "markdown":
        bib_html = engine_render(parsed, run_items, clusters, locale=lang, format="html").bibliography
    out = _compose(body, found, events, numbers, fmt, note_style,
                   _flag(meta.get("notes-after-punctuation"), True), result, show_bib, meta, parsed, bib_html)
    if html_bibliography:
        out = out.replace("\\@", "&#64;")  # Python-Markdown does not unescape `\@`
    elif to == "plain":
        out = out.replace("\\@", "@")
    if front and not html_bibliography and to != "plain":
        out = _front_matter_out(meta, front) + out
    entries = result.bibliography if show_bib else []
    if crlf:
        out = out.replace("\n", "\r\n")
    placed = [PlacedCitation(tuple(c.key for c in ev.citation.cites), ev.author, ev.text,
                             ev.note_index if ev.makes_note else None, ev.in_note) for ev in events]
    return RenderedDocument(out, [ev.author + (" " if ev.author and ev.text else "") + ev.text for ev in events],
                            entries, warnings, meta, parsed, placed)


_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_EMPH = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*|\b_(?=\S)(.+?)(?<=\S)_\b")


def _affix(text: str) -> str:
    """Markdown emphasis in a prefix or suffix, in the inline markup the engine reads in
    affixes (as citeproc-js does): `*see*` → `<i>see</i>`, `**x**` → `<b>x</b>`."""
    if "*" not in text and "_" not in text:
        return text
    text = _STRONG.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", text)
    return _EMPH.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", text)


def _nocite(value: Any, by_id: dict, warnings: list[str], warned: set) -> list[str]:
    if not value:
        return []
    text = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    keys = []
    for m in syntax.KEY_RE.finditer(text):
        key = m.group("bkey") if m.group("bkey") is not None else m.group("key")
        if key == "*":
            keys.extend(by_id)
        elif key in by_id:
            keys.append(key)
        elif key not in warned:
            warned.add(key)
            warnings.append(f"nocite: {key!r} not found in the references")
    if re.search(r"@\*", text):
        keys.extend(by_id)
    return keys


def _order(found: syntax.Scan, note_style: bool) -> tuple[list[_Event], dict[str, int]]:
    """Every citation in document order, a footnote's citations at its reference, with
    the note each one sits in (or, for note styles, becomes); and the number of each
    footnote label that is referred to."""
    in_def: dict[str, list[syntax.Citation]] = {}
    for cit in found.citations:
        if cit.note is not None:
            in_def.setdefault(cit.note, []).append(cit)
    defined = {d.label for d in found.defs}
    main = [("cite", c.start, c) for c in found.citations if c.note is None]
    main += [("ref", r.start, r) for r in found.refs if r.note is None and r.label in defined]
    main.sort(key=lambda e: e[1])
    events: list[_Event] = []
    note = 0
    numbered: dict[str, int] = {}
    for kind, _, obj in main:
        if kind == "ref":
            if obj.label in numbered:
                continue
            note += 1
            numbered[obj.label] = note
            for cit in in_def.get(obj.label, ()):
                events.append(_Event(cit, note, True, False))
        elif note_style:
            note += 1
            events.append(_Event(obj, note, False, True))
        else:
            events.append(_Event(obj, 0, False, False))
    return events, numbered


def _strip_affixes(text: str, prefix: str, suffix: str) -> str:
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    if suffix and text.endswith(suffix):
        text = text[:-len(suffix)]
    return text


def _first_author(item: dict) -> str:
    for var in ("author", "editor"):
        names = item.get(var)
        if isinstance(names, list) and names and isinstance(names[0], dict):
            return str(names[0].get("family") or names[0].get("literal") or "").lower()
    return str(item.get("id"))


def _linked(text: str, ev: _Event, keys: list[str], fmt: _Formats, lay_prefix: str, lay_suffix: str,
            delim: str, keeps_order: bool) -> str:
    """A citation with each work's part linked to its entry (link-citations). A cluster of
    several works is linked part by part only when its parts can be told apart: the style
    keeps them in order and apart, and no part holds the delimiter."""
    prefix, suffix = fmt.escape(lay_prefix), fmt.escape(lay_suffix)
    inner = _strip_affixes(text, prefix, suffix)
    if not inner or inner == text and (prefix or suffix):
        return text
    head = text[:text.find(inner)]
    tail = text[len(head) + len(inner):]
    if len(set(keys)) == 1:
        return head + fmt.link(inner, keys[0]) + tail
    pieces = inner.split(fmt.escape(delim)) if delim else [inner]
    if not keeps_order or len(pieces) != len(keys):
        return text
    linked = []
    for piece, cite in zip(pieces, [c for c in ev.citation.cites if c.key in keys]):
        lead = fmt.escape(cite.prefix) + " " if cite.prefix else ""
        if lead and piece.startswith(lead):
            linked.append(lead + fmt.link(piece[len(lead):], cite.key))
        else:
            linked.append(fmt.link(piece, cite.key))
    return head + fmt.escape(delim).join(linked) + tail


def _drop_suffix(text: str, suffix: str) -> str:
    if suffix and text.endswith(suffix):
        return text[:-len(suffix)]
    if suffix == "." and text[-2:-1] == "." and text[-1:] in "”’\"'":  # moved inside a closing quote
        return text[:-2] + text[-1]
    return text


def _capitalize_first(text: str) -> str:
    m = re.search(r"[^\W\d_]", text)
    if m is None or text[:m.start()].strip("*_[(\"'“‘<>bi"):
        return text
    return text[:m.start()] + text[m.start()].upper() + text[m.start() + 1:]


def _with_missing(text: str, ev: _Event, fmt: _Formats, lay_prefix: str, lay_suffix: str, delim: str,
                  note_style: bool) -> str:
    """A key not in the references shows as the key in bold with a question mark."""
    parts = []
    for c in ev.missing:
        part = fmt.strong(c.key + "?")
        if c.prefix:
            part = fmt.escape(c.prefix) + " " + part
        parts.append(part)
    shown = fmt.escape(delim).join(parts)
    if not text:
        if ev.makes_note or (note_style and ev.in_note):
            return shown
        if ev.citation.in_text:
            return shown if not lay_prefix else fmt.escape(lay_prefix) + shown + fmt.escape(lay_suffix)
        return fmt.escape(lay_prefix) + shown + fmt.escape(lay_suffix)
    prefix, suffix = fmt.escape(lay_prefix), fmt.escape(lay_suffix)
    if ev.citation.cites[0] in ev.missing and not ev.citation.in_text:  # the first cite stays first
        if prefix and text.startswith(prefix):
            return prefix + shown + fmt.escape(delim) + text[len(prefix):]
        return shown + fmt.escape(delim) + text
    if suffix and text.endswith(suffix):
        return text[:-len(suffix)] + fmt.escape(delim) + shown + suffix
    return text + fmt.escape(delim) + shown


# --------------------------------------------------------------------------- writing

def _compose(body: str, found: syntax.Scan, events: list[_Event], numbers: dict[str, int], fmt: _Formats,
             note_style: bool, after_punct: bool, result: Any, show_bib: bool, meta: dict, parsed: Any,
             bib_html: list | None) -> str:
    note_no = {ev.citation.start: ev.note_index for ev in events if ev.makes_note}
    by_start = {ev.citation.start: ev for ev in events}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    new_notes: list[tuple[int, str]] = []
    plain = fmt.engine == "text"

    def note_ref(n: int) -> str:
        return f"[{n}]" if plain else f"[^{n}]"

    for cit in found.citations:
        ev = by_start.get(cit.start)
        if ev is None:
            edits.append((cit.start, cit.end, ""))  # in a footnote that is never referenced
            continue
        if ev.makes_note:
            n = note_no[cit.start]
            start, end = cit.start, cit.end
            moved = ""
            if after_punct:
                m = re.match(r"[" + re.escape(_NOTE_PUNCT) + r"]+", body[end:])
                if m:
                    moved, end = m.group(), end + m.end()
            if not ev.author:
                while start > 0 and body[start - 1] in " \t":
                    start -= 1
            text = ev.author + moved + note_ref(n)
            edits.append((start, end, text))
            if ev.text:
                new_notes.append((n, ev.text))
            else:
                new_notes.append((n, ""))
            continue
        text = ev.text
        if ev.author:
            text = ev.author + (" " + text if text else "")
        edits.append((cit.start, cit.end, text))
    for ref in found.refs:
        if ref.label in numbers:
            edits.append((ref.start, ref.end, note_ref(numbers[ref.label])))
    for d in found.defs:
        if d.label in numbers:
            marker = f"[{numbers[d.label]}] " if plain else f"[^{numbers[d.label]}]: "
            edits.append((d.start, d.marker_end, marker))
        else:
            edits.append((d.start, d.end, ""))  # pandoc drops a note nothing refers to
    # pandoc puts reference-section-title only before a bibliography it places at the end
    bib = _bibliography_block(result, fmt, show_bib, meta if found.refs_div is None else
                              {k: v for k, v in meta.items() if k != "reference-section-title"}, parsed, bib_html)
    if found.refs_div is not None:
        edits.append((found.refs_div[0], found.refs_div[1], bib + "\n" if bib else ""))
    edits.sort(key=lambda e: (e[0], e[1]))
    # The notes go to the end, in note order, as pandoc writes them: the author's
    # definitions are cut from where they stand (with their citations resolved).
    cuts = sorted((d.start, d.end, d.label) for d in found.defs if d.label in numbers)
    notes = dict(new_notes)
    starts = [e[0] for e in edits]
    taken: set[int] = set()  # indexes of the edits made inside a cut definition
    main_edits = []
    for start, end, label in cuts:
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(starts, end)
        inside = [k for k in range(lo, hi) if edits[k][1] <= end]
        taken.update(inside)
        notes.setdefault(numbers[label], _apply(body, [edits[k] for k in inside], start, end))
        stop = end + 1 if body[end:end + 1] == "\n" else end
        main_edits.append((start, stop, ""))
    main_edits += [e for k, e in enumerate(edits) if k not in taken]
    main_edits.sort(key=lambda e: (e[0], e[1]))
    out = _apply(body, main_edits, 0, len(body))
    if bib and found.refs_div is None:
        out = out.rstrip("\n") + "\n\n" + bib + "\n"
    if notes:
        out = re.sub(r"\n{3,}", "\n\n", out).rstrip("\n") + "\n\n"
        for n in sorted(notes):
            text = notes[n]
            if text.startswith(("[^", "[")) and (text.startswith(f"[^{n}]: ") or text.startswith(f"[{n}] ")):
                out += text.rstrip("\n") + "\n\n"
            else:
                out += (f"[{n}] {text}\n\n" if plain else f"[^{n}]: {text}\n\n")
        out = out.rstrip("\n") + "\n"
    return out


def _apply(body: str, edits: list, lo: int, hi: int) -> str:
    pieces = []
    pos = lo
    for start, end, text in edits:
        if start < pos:  # an edit inside one already made (a citation inside a dropped note)
            continue
        pieces.append(body[pos:start])
        pieces.append(text)
        pos = end
    pieces.append(body[pos:hi])
    return "".join(pieces)


def _bibliography_block(result: Any, fmt: _Formats, show_bib: bool, meta: dict, parsed: Any,
                        bib_html: list | None) -> str:
    if not show_bib or not result.bibliography:
        return ""
    title = _meta_text(meta.get("reference-section-title"))
    opts = parsed.bibliography.attrs if parsed.bibliography is not None else {}
    hanging = opts.get("hanging-indent") == "true"
    links = _flag(meta.get("link-bibliography"), True)  # pandoc's default: addresses are links
    if fmt.engine == "text":
        head = f"{title}\n\n" if title else ""
        return head + "\n\n".join(e.text.strip() for e in result.bibliography)
    if bib_html is not None:
        classes = "references csl-bib-body" + (" hanging-indent" if hanging else "")
        entries = "\n".join(f'<div id="ref-{_html_escape(e.id)}" class="csl-entry" role="listitem">'
                            f"{_link_html(_one_line(e.text)) if links else _one_line(e.text)}</div>"
                            for e in bib_html)
        head = f"# {_md_escape(title)}\n\n" if title else ""
        return f'{head}<div id="refs" class="{classes}" role="list">\n{entries}\n</div>'
    classes = ".references .csl-bib-body" + (" .hanging-indent" if hanging else "")
    entries = "\n\n".join(f"::: {{{_entry_attrs(e.id)}}}\n{_link_md(e.text.strip()) if links else e.text.strip()}\n:::"
                            for e in result.bibliography)
    head = f"# {title} {{#bibliography .unnumbered}}\n\n" if title else ""
    return f"{head}::::: {{#refs {classes}}}\n{entries}\n:::::"


_MD_URL = re.compile(r"https?://(?:\\.|[^\s<>\\])+")
_HTML_URL = re.compile(r"https?://[^\s<>\"]+")


def _url_end(url: str) -> int:
    # a sentence's closing punctuation is not part of the address
    stripped = url.rstrip(".,;:")
    while stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
        stripped = stripped[:-1].rstrip(".,;:")
    return len(stripped)


def _link_md(text: str) -> str:
    """URLs and DOIs of an entry as Markdown autolinks (`<https://...>`)."""
    def link(m: re.Match) -> str:
        url = m.group()
        n = _url_end(url)
        plain = re.sub(r"\\(.)", r"\1", url[:n])
        return f"<{plain}>" + url[n:] if ">" not in plain else url
    return _MD_URL.sub(link, text)


def _link_html(text: str) -> str:
    def link(m: re.Match) -> str:
        url = m.group()
        n = _url_end(url)
        return f'<a href="{url[:n]}">{url[:n]}</a>' + url[n:]
    return _HTML_URL.sub(link, text)


def _one_line(html: str) -> str:
    # an HTML block ends at a blank line: an entry's own line breaks must not make one
    return re.sub(r"\s*\n\s*", " ", html.strip())


def _entry_attrs(key: str) -> str:
    # `#id` takes letters, digits and `-_:.`; any other key is written as id="..."
    if re.fullmatch(r"[\w:.-]+", key):
        return f"#ref-{key} .csl-entry"
    quoted = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'.csl-entry id="ref-{quoted}"'



def _front_matter_out(meta: dict, front: str) -> str:
    if not any(k in meta for k in CITATION_KEYS):
        return front
    rest = {k: v for k, v in meta.items() if k not in CITATION_KEYS}
    if not rest:
        return ""
    import yaml

    return "---\n" + yaml.safe_dump(rest, allow_unicode=True, sort_keys=False) + "---\n"
